"""The validators' pages of the records: /back-office/records/validation/... (the "records" namespace)."""

from django.urls import path

from . import views

urlpatterns = [
    path("validation/", views.pending, name="pending"),
    path("validation/bulk/", views.bulk_validate, name="bulk_validate"),
    path("validation/<slug:kind>/<int:pk>/", views.review, name="review"),
    path("validation/<slug:kind>/<int:pk>/validate/", views.validate, name="validate"),
    path("validation/<slug:kind>/<int:pk>/reject/", views.reject, name="reject"),
    path("validation/<slug:kind>/<int:pk>/undo-rejection/", views.undo_rejection, name="undo_rejection"),
]
