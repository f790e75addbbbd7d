"""The registrant's own record: /record/... (the validators' pages are the back office's: apps.backoffice.records)."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("edit/", views.edit, name="edit"),
    path("schools/", views.school_search, name="school_search"),
    path("institutions/", views.institution_search, name="institution_search"),
]
