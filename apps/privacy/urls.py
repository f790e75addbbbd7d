from django.urls import path

from . import views

app_name = "privacy"
urlpatterns = [
    path("", views.home, name="home"),
    path("consents/", views.consents, name="consents"),
    path("export/", views.export, name="export"),
    path("delete/", views.delete, name="delete"),
]
