from django.urls import path

from . import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("offer/", views.offer_view, name="offer"),
    path("offer/subdomains/<int:pk>/", views.subdomain, name="subdomain"),
    path("offer/trainings/<int:pk>/", views.training, name="training"),
    path("offer/courses/<int:pk>/", views.course, name="course"),
    path("events/", views.events, name="events"),
    path("slots/", views.slot_search, name="search"),
    path("slots/<int:pk>/", views.slot, name="slot"),
    path("establishments/", views.establishments, name="establishments"),
    path("high-schools/", views.high_schools, name="high_schools"),
]
