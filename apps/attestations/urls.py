from django.urls import path

from . import views

app_name = "attestations"
urlpatterns = [
    path("", views.mine, name="mine"),
    path("<int:pk>/download/", views.download, name="download"),
    path("types/<int:pk>/template/", views.template, name="template"),
]
