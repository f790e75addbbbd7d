"""Builders of the demo sites. Each runs inside ``for_site(site)`` and is idempotent.

Rows are found by their natural key (the model's unique constraint, or a label where the
model has none) and created when missing. Values that do not depend on the day (names,
addresses, flags) are brought back to the spec's on every run; values computed from today
(dates) are only set when the row is created, so running again later moves nothing.
"""

from dataclasses import dataclass, field

from django.db import models


@dataclass
class Stats:
    """Rows created or changed per model during one run (for the command's summary)."""

    created: dict = field(default_factory=dict)
    updated: dict = field(default_factory=dict)

    def count(self, model, outcome):
        bucket = getattr(self, outcome)
        name = model._meta.object_name
        bucket[name] = bucket.get(name, 0) + 1

    def add(self, model, outcome, number):
        if number:
            bucket = getattr(self, outcome)
            name = model._meta.object_name
            bucket[name] = bucket.get(name, 0) + number


def ensure(stats, model, site, lookup, values=None, on_create=None):
    """The ``model`` row of ``site`` matching ``lookup``: created if missing, ``values`` kept up to date.

    ``on_create`` holds values only set on creation (dates relative to today, counters...).
    """
    values = values or {}
    manager = model.objects
    obj = manager.filter(site=site, **lookup).first()
    if obj is None:
        obj = manager.create(site=site, **lookup, **values, **(on_create or {}))
        stats.count(model, "created")
        return obj
    changed = [name for name, value in values.items() if differs(obj, name, value)]
    if changed:
        for name in changed:
            setattr(obj, name, values[name])
        obj.save(update_fields=changed)
        stats.count(model, "updated")
    return obj


def differs(obj, name, value):
    """True when ``obj.name`` is not ``value``; foreign keys compared by id (no query)."""
    if isinstance(value, models.Model):
        return getattr(obj, f"{name}_id") != value.pk
    return getattr(obj, name) != value


def osm_url(latitude, longitude, zoom=18):
    """A plain OpenStreetMap link centred on a point, with a marker."""
    return (
        f"https://www.openstreetmap.org/?mlat={latitude:.4f}&mlon={longitude:.4f}"
        f"#map={zoom}/{latitude:.4f}/{longitude:.4f}"
    )
