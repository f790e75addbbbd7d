from django.urls import path

from . import views

app_name = "yearly"
urlpatterns = [
    path("", views.years, name="years"),
    path("<int:year_id>/", views.year, name="year"),
    path("<int:year_id>/statistics/refresh/", views.refresh, name="refresh"),
    path("<int:year_id>/dry-run/", views.dry_run, name="dry_run"),
    path("<int:year_id>/purge/", views.purge, name="purge"),
    path("runs/<int:run_id>/", views.run, name="run"),
    path("runs/<int:run_id>/archive/", views.archive, name="archive"),
]
