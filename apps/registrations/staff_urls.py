"""The high-school referent's pages: /back-office/high-school/... (same "registrations" namespace)."""

from django.urls import path

from . import views_referent

urlpatterns = [
    path("pupils/", views_referent.pupils_immersions, name="pupils_immersions"),
    path("pupils/register/<int:slot_pk>/", views_referent.register_pupils, name="register_pupils"),
    path("pupils/<int:pk>/cancel/", views_referent.cancel_pupil_registration, name="cancel_pupil_registration"),
    path("groups/", views_referent.groups, name="groups"),
    path("groups/register/<int:slot_pk>/", views_referent.register_group, name="register_group"),
    path("groups/<int:pk>/cancel/", views_referent.cancel_group, name="cancel_group"),
    path("groups/<int:pk>/class-list/", views_referent.class_list, name="group_class_list"),
]
