"""URLs of the organisations area: establishments, high schools, structures, places, trainings."""

from django.urls import path

from . import views

PREFIXES = {
    "establishment": "establishments",
    "highschool": "high-schools",
    "structure": "structures",
    "campus": "campuses",
    "building": "buildings",
    "training": "trainings",
}


def _kind_patterns(key, prefix):
    base = f"organisations/{prefix}/"
    name = f"organisations_{key}"
    patterns = [
        path(base, views.list_page_view, {"key": key}, name=f"{name}_list"),
        path(f"{base}add/", views.create_page_view, {"key": key}, name=f"{name}_create"),
        path(f"{base}<int:pk>/", views.edit_page_view, {"key": key}, name=f"{name}_edit"),
        path(f"{base}<int:pk>/deactivate/", views.deactivate_action_view, {"key": key}, name=f"{name}_deactivate"),
    ]
    if views.KINDS[key].delete is not None:
        patterns.append(path(f"{base}<int:pk>/delete/", views.delete_action_view, {"key": key}, name=f"{name}_delete"))
    return patterns


urlpatterns = [
    *(pattern for key, prefix in PREFIXES.items() for pattern in _kind_patterns(key, prefix)),
    path(
        "organisations/directory/institutions/",
        views.institution_search,
        name="organisations_institution_search",
    ),
    path("organisations/directory/schools/", views.school_search, name="organisations_school_search"),
]
