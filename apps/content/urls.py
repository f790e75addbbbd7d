from django.urls import path

from . import views

app_name = "content"
urlpatterns = [
    path("procedure/", views.procedure, name="procedure"),
    path("legal-notices/", views.legal_notices, name="legal_notices"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("privacy/", views.privacy, name="privacy"),
    path("faq/", views.faq, name="faq"),
    path("resources/", views.resources, name="resources"),
    path("resources/<int:pk>/file/", views.resource_file, name="resource_file"),
]
