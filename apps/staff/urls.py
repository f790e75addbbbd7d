"""The staff pages, mounted at /back-office/: its home (the grouped navigation), then /back-office/staff/..."""

from django.urls import path

from apps.backoffice import views as backoffice_views

from . import views

app_name = "staff"
urlpatterns = [
    path("", backoffice_views.home, name="home"),
    path("staff/charter/", views.charter, name="charter"),
    path("staff/invite/", views.invite, name="invite"),
    path("staff/people/", views.people, name="people"),
    path("staff/roles/<int:pk>/revoke/", views.revoke, name="revoke"),
    # Before the link's pattern: the page the link redirects to, without its token.
    path("staff/invitation/password/", views.choose_password, name="choose_password"),
    path("staff/invitation/<str:token>/", views.accept_invitation, name="accept_invitation"),
]
