from django.urls import path

from . import views

app_name = "duplicates"
urlpatterns = [
    path("", views.candidate_list, name="list"),
    path("<int:pk>/", views.review, name="review"),
]
