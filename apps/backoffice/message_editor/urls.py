"""The editor of the site's messages (back office, master referent and operator), in the
"notifications" namespace the project's URLs give it."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.message_list, name="message_list"),
    path("<slug:key>/", views.message_detail, name="message_detail"),
    path("<slug:key>/<str:language>/", views.message_edit, name="message_edit"),
    path("<slug:key>/<str:language>/reset/", views.message_reset, name="message_reset"),
]
