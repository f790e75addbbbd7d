"""The application's URLs plus the bare comparison views (benchmarks only)."""

from django.urls import path

from immersup.urls import urlpatterns as application

from . import bare_views

urlpatterns = [
    path("__bench__/locked-write/<int:key>/", bare_views.locked_write, name="bench_locked_write"),
    path("__bench__/cached/", bare_views.cached_page, name="bench_cached"),
    *application,
]
