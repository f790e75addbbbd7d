"""The master referent's area: reference data, calendar, site settings, public texts."""

from django.urls import path

from . import calendar, site_settings, views

urlpatterns = [
    path("reference/", views.index, name="reference_index"),
    path(
        "reference/domains/<int:domain_pk>/subdomains/add/",
        views.subdomain_create,
        name="reference_subdomain_create",
    ),
    path(
        "reference/domains/<int:domain_pk>/subdomains/<int:pk>/",
        views.subdomain_edit,
        name="reference_subdomain_edit",
    ),
    path(
        "reference/domains/<int:domain_pk>/subdomains/<int:pk>/delete/",
        views.subdomain_delete,
        name="reference_subdomain_delete",
    ),
    path(
        "reference/domains/<int:domain_pk>/subdomains/<int:pk>/active/",
        views.subdomain_set_flag,
        name="reference_subdomain_set_flag",
    ),
    path("reference/<slug:kind>/", views.reference_list, name="reference_list"),
    path("reference/<slug:kind>/add/", views.reference_create, name="reference_create"),
    path("reference/<slug:kind>/<int:pk>/", views.reference_edit, name="reference_edit"),
    path("reference/<slug:kind>/<int:pk>/delete/", views.reference_delete, name="reference_delete"),
    path("reference/<slug:kind>/<int:pk>/active/", views.reference_set_flag, name="reference_set_flag"),
    path("calendar/", calendar.years, name="reference_years"),
    path("calendar/add/", calendar.year_create, name="reference_year_create"),
    path("calendar/<int:pk>/", calendar.year_edit, name="reference_year_edit"),
    path("calendar/<int:pk>/delete/", calendar.year_delete, name="reference_year_delete"),
    path("calendar/<int:year_pk>/<slug:part>/add/", calendar.part_create, name="reference_year_part_create"),
    path("calendar/<int:year_pk>/<slug:part>/<int:pk>/", calendar.part_edit, name="reference_year_part_edit"),
    path(
        "calendar/<int:year_pk>/<slug:part>/<int:pk>/delete/",
        calendar.part_delete,
        name="reference_year_part_delete",
    ),
    path("site-settings/", site_settings.site_settings, name="reference_site_settings"),
    path("public-texts/", views.content_index, name="content_index"),
    path("public-texts/documents/<int:pk>/file/", views.content_document_file, name="content_document_file"),
    path("public-texts/<slug:kind>/", views.content_list, name="content_list"),
    path("public-texts/<slug:kind>/add/", views.content_create, name="content_create"),
    path("public-texts/<slug:kind>/<int:pk>/", views.content_edit, name="content_edit"),
    path("public-texts/<slug:kind>/<int:pk>/delete/", views.content_delete, name="content_delete"),
    path("public-texts/<slug:kind>/<int:pk>/published/", views.content_set_flag, name="content_set_flag"),
]
