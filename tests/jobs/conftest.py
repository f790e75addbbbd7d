import datetime as dt

import pytest
from django.utils import timezone

from apps.jobs.runner import run_per_site
from apps.registrations.models import Registration
from tests.factories import make_pupil, make_slot


def at(day, hour=8):
    """An aware moment of a local day (the jobs take ``now`` instead of a frozen clock)."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def day(offset):
    return timezone.localdate() + dt.timedelta(days=offset)


def run(function, now, *sites):
    """Run a site job the way its task does (scope, run log) and return the site's counts."""
    runs = run_per_site(function.__name__, function, now=now, sites=list(sites))
    return runs[0].counts


def registered(w, days, start=10, end=12, course=None):
    """A new slot in ``days`` days with one new pupil registered on it."""
    slot = make_slot(w, course or w.course, days=days, start_time=dt.time(start), end_time=dt.time(end))
    registration = Registration.objects.create(site=w.site, slot=slot, person=make_pupil(w))
    return registration


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.MEDIA_ROOT = tmp_path / "public"
