from django.urls import path

from . import views

app_name = "records"
urlpatterns = [
    path("", views.home, name="home"),
    path("edit/", views.edit, name="edit"),
    path("schools/", views.school_search, name="school_search"),
    path("institutions/", views.institution_search, name="institution_search"),
    path("validation/", views.pending, name="pending"),
    path("validation/bulk/", views.bulk_validate, name="bulk_validate"),
    path("validation/<slug:kind>/<int:pk>/", views.review, name="review"),
    path("validation/<slug:kind>/<int:pk>/validate/", views.validate, name="validate"),
    path("validation/<slug:kind>/<int:pk>/reject/", views.reject, name="reject"),
    path("validation/<slug:kind>/<int:pk>/undo-rejection/", views.undo_rejection, name="undo_rejection"),
]
