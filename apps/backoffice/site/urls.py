"""URLs of the site-management pages, in the "backoffice" namespace, under /back-office/site/."""

from django.urls import path

from . import views

urlpatterns = [
    path("site/host-names/", views.host_names, name="host_names"),
    path("site/sign-in/", views.sign_in_settings, name="sign_in_settings"),
    path("site/attestation-types/", views.attestation_types, name="attestation_types"),
    path("site/attestation-types/add/", views.attestation_type_create, name="attestation_types_create"),
    path("site/attestation-types/<int:pk>/", views.attestation_type_edit, name="attestation_types_edit"),
    path("site/charters/", views.charters, name="charters"),
    path("site/charters/add/", views.charter_create, name="charters_create"),
    path("site/charters/<int:pk>/", views.charter_edit, name="charters_edit"),
    path("site/charters/<int:pk>/publish/", views.charter_publish, name="charters_publish"),
]
