"""The staff pages, /back-office/staff/..., in the "staff" namespace (given by the project's URLs,
which put the back office's home there too: ``staff:home``)."""

from django.urls import path

from . import views

urlpatterns = [
    path("staff/charter/", views.charter, name="charter"),
    path("staff/invite/", views.invite, name="invite"),
    path("staff/people/", views.people, name="people"),
    path("staff/roles/<int:pk>/revoke/", views.revoke, name="revoke"),
    # Before the link's pattern: the page the link redirects to, without its token.
    path("staff/invitation/password/", views.choose_password, name="choose_password"),
    path("staff/invitation/<str:token>/", views.accept_invitation, name="accept_invitation"),
]
