"""Helpers shared by the demo tests."""

from django.apps import apps

from apps.tenancy.scoping import platform_job


def row_counts():
    """Rows of every model (auto-created many-to-many tables included), all sites together."""
    with platform_job():
        return {model._meta.label: model._base_manager.count() for model in apps.get_models(include_auto_created=True)}


def stored_files(root):
    return sorted(path for path in root.rglob("*") if path.is_file()) if root.exists() else []
