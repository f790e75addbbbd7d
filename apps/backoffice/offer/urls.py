"""Courses, events, their speakers, and the speakers' own slots (URL names start with "offer_")."""

from django.urls import path

from . import views


def _offer_urls(kind, prefix):
    k = {"kind": kind}
    return [
        path(f"{prefix}/", views.offer_list, k, name=f"offer_{kind}_list"),
        path(f"{prefix}/new/", views.offer_create, k, name=f"offer_{kind}_create"),
        path(f"{prefix}/<int:pk>/", views.offer_detail, k, name=f"offer_{kind}_detail"),
        path(f"{prefix}/<int:pk>/edit/", views.offer_edit, k, name=f"offer_{kind}_edit"),
        path(f"{prefix}/<int:pk>/delete/", views.offer_delete, k, name=f"offer_{kind}_delete"),
        path(f"{prefix}/<int:pk>/publish/", views.offer_publish, k, name=f"offer_{kind}_publish"),
        path(f"{prefix}/<int:pk>/speakers/", views.offer_speakers, k, name=f"offer_{kind}_speakers"),
        path(f"{prefix}/<int:pk>/speakers/invite/", views.offer_invite_speaker, k, name=f"offer_{kind}_invite_speaker"),
    ]


urlpatterns = [
    *_offer_urls("course", "courses"),
    *_offer_urls("event", "events"),
    path("my-slots/", views.my_slots, name="offer_my_slots"),
]
