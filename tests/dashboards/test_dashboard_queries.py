"""Every dashboard and every fragment runs a constant number of queries whatever the number of rows."""

import datetime as dt

import pytest
from django.utils import timezone

from apps.records.models import PupilRecord, RecordStatus
from apps.registrations.models import Attendance, GroupRegistration, WaitingStatus
from apps.tenancy.scoping import for_site
from tests.dashboards.helpers import HOME, count_queries, panel_url, register, wait
from tests.factories import make_pupil, make_slot, make_user


def grow(w, n):
    """Add ``n`` of everything each dashboard counts or lists, in every role's scope."""
    with for_site(w.site):
        for index in range(n):
            for course in (w.course, w.other_course, w.host_course, w.bts_course):
                upcoming = make_slot(w, course, days=2 + index % 10)
                upcoming.speakers.add(w.speaker)
                past = make_slot(w, course, days=-1 - index)
                past.speakers.add(w.speaker)
                pupil = make_pupil(w, consent_high_school_sees_immersions=True)
                register(upcoming, pupil)
                register(past, pupil, attendance=Attendance.NOT_ENTERED)
                wait(upcoming, make_user(), minutes_ago=index)
                GroupRegistration.objects.create(
                    site=w.site,
                    slot=upcoming,
                    high_school=w.high_school,
                    pupils_count=10,
                    contact_name="Prof",
                    contact_email="prof@example.org",
                )
            register(make_slot(w, w.other_course, days=3 + index), w.pupil)
            wait(make_slot(w, w.course, days=4 + index), w.pupil, minutes_ago=index)
            wait(
                make_slot(w, w.course, days=5 + index),
                w.pupil,
                status=WaitingStatus.OFFERED,
                offered_at=timezone.now(),
                offer_expires_at=timezone.now() + dt.timedelta(hours=2),
            )
            for high_school in (w.high_school, w.host_high_school, None):
                PupilRecord.objects.create(
                    site=w.site,
                    user=make_user(),
                    high_school=high_school,
                    status=RecordStatus.TO_VALIDATE,
                    submitted_at=timezone.now(),
                )


ROLES = [
    ("master_referent", "site"),
    ("establishment_referent", "scope"),
    ("host_referent", "scope"),
    ("structure_referent", "scope"),
    ("speaker", "speaker"),
    ("high_school_referent", "high_school"),
    ("pupil", "registrant"),
]


@pytest.mark.parametrize("who, name", ROLES)
def test_query_count_does_not_grow_with_rows(client, world, who, name):
    client.force_login(getattr(world, who))
    grow(world, 1)
    client.get(HOME)  # warm the per-site caches (host, texts): the first request reads them once
    page_before = count_queries(client, HOME)
    fragment_before = count_queries(client, panel_url(name))
    grow(world, 6)
    assert count_queries(client, HOME) == page_before
    assert count_queries(client, panel_url(name)) == fragment_before


def test_several_roles_cost_the_sum_of_fixed_panels(client, world):
    """A master referent who also speaks and registers: still a constant count."""
    from apps.accounts.models import Role
    from tests.factories import grant

    with for_site(world.site):
        grant(world.speaker, world.site, Role.MASTER_REFERENT)
        grant(world.speaker, world.site, Role.PUPIL)
    client.force_login(world.speaker)
    grow(world, 1)
    client.get(HOME)
    before = count_queries(client, HOME)
    grow(world, 5)
    assert count_queries(client, HOME) == before
