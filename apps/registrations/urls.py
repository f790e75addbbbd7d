"""A registrant's own immersions: /my-immersions/... (the high-school referent's pages are in staff_urls.py)."""

from django.urls import path

from . import views_certificates, views_mine

urlpatterns = [
    path("", views_mine.mine, name="mine"),
    path("register/<int:slot_pk>/", views_mine.register, name="register"),
    path("<int:pk>/cancel/", views_mine.cancel, name="cancel"),
    path("waiting-list/join/<int:slot_pk>/", views_mine.join_waiting_list, name="join_waiting_list"),
    path("waiting-list/<int:pk>/leave/", views_mine.leave_waiting_list, name="leave_waiting_list"),
    path("waiting-list/<int:pk>/claim/", views_mine.claim_offer, name="claim_offer"),
    path("alerts/<int:course_pk>/", views_mine.course_alert, name="course_alert"),
    path("calendar/", views_mine.calendar, name="calendar"),
    path("calendar/<str:token>.ics", views_mine.ical_feed, name="ical_feed"),
    path("<int:pk>/certificate.pdf", views_certificates.certificate, name="certificate"),
]
