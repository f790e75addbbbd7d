"""URLs of the action log."""

from django.urls import path

from . import views

urlpatterns = [
    path("log/", views.log_list, name="log"),
]
