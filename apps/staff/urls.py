from django.urls import path

from . import views

app_name = "staff"
urlpatterns = [
    path("", views.home, name="home"),
    path("charter/", views.charter, name="charter"),
    path("invite/", views.invite, name="invite"),
    path("people/", views.people, name="people"),
    path("roles/<int:pk>/revoke/", views.revoke, name="revoke"),
    # Before the link's pattern: the page the link redirects to, without its token.
    path("invitation/password/", views.choose_password, name="choose_password"),
    path("invitation/<str:token>/", views.accept_invitation, name="accept_invitation"),
]
