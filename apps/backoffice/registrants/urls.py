"""URLs of a slot's registrants, included in the "backoffice" namespace (names prefixed "registrants_")."""

from django.urls import path

from . import views

urlpatterns = [
    path("slots/<int:pk>/registrants/", views.registrants, name="registrants_slot"),
    path("slots/<int:pk>/registrants/attendance/", views.attendance, name="registrants_attendance"),
    path("slots/<int:pk>/registrants/all-present/", views.all_present, name="registrants_all_present"),
    path("slots/<int:pk>/registrants/cancel/", views.cancel, name="registrants_cancel"),
    path("slots/<int:pk>/registrants/register/", views.register, name="registrants_register"),
    path("slots/<int:pk>/attendance.pdf", views.attendance_pdf, name="registrants_attendance_pdf"),
]
