"""The registrant's and the high-school referent's pages: /my-immersions/..."""

from django.urls import path

from . import views_certificates, views_mine, views_referent

app_name = "registrations"
urlpatterns = [
    # A registrant's own immersions
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
    # A high-school referent's pupils
    path("pupils/", views_referent.pupils_immersions, name="pupils_immersions"),
    path("pupils/register/<int:slot_pk>/", views_referent.register_pupils, name="register_pupils"),
    path("pupils/<int:pk>/cancel/", views_referent.cancel_pupil_registration, name="cancel_pupil_registration"),
    path("groups/", views_referent.groups, name="groups"),
    path("groups/register/<int:slot_pk>/", views_referent.register_group, name="register_group"),
    path("groups/<int:pk>/cancel/", views_referent.cancel_group, name="cancel_group"),
    path("groups/<int:pk>/class-list/", views_referent.class_list, name="group_class_list"),
]
