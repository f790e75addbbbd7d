"""URLs of the slot pages, included in the "backoffice" namespace (names prefixed "slots_")."""

from django.urls import path

from . import views

urlpatterns = [
    path("slots/", views.slot_list, name="slots_list"),
    path("slots/new/", views.slot_create, name="slots_create"),
    path("slots/bulk/", views.slot_bulk, name="slots_bulk"),
    path("slots/<int:pk>/", views.slot_detail, name="slots_detail"),
    path("slots/<int:pk>/edit/", views.slot_edit, name="slots_edit"),
    path("slots/<int:pk>/duplicate/", views.slot_duplicate, name="slots_duplicate"),
    path("slots/<int:pk>/repeat/", views.slot_repeat, name="slots_repeat"),
    path("slots/<int:pk>/publish/", views.slot_publish, name="slots_publish"),
    path("slots/<int:pk>/unpublish/", views.slot_unpublish, name="slots_unpublish"),
    path("slots/<int:pk>/cancel/", views.slot_cancel, name="slots_cancel"),
    path("slots/<int:pk>/delete/", views.slot_delete, name="slots_delete"),
]
