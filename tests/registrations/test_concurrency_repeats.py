"""Repeated submissions arriving at the same moment, on PostgreSQL: each repeat waits for the first
under the slot's lock, then answers with what the first did (see ``test_double_submit.py``)."""

import datetime as dt

import pytest
from django.db import connection
from django.utils import timezone

from apps.accounts.models import User
from apps.catalogue.models import Slot
from apps.registrations.groups import register_group
from apps.registrations.models import GroupRegistration, Registration, Status, WaitingListEntry, WaitingStatus
from apps.registrations.services import claim_offer
from apps.tenancy.scoping import for_site
from tests.factories import make_slot

from .test_concurrency import run_at_once, validated_pupils

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="real concurrent connections need PostgreSQL; run with DATABASE_URL=postgres://…",
    ),
    pytest.mark.django_db(transaction=True),
]


def test_taking_an_offered_place_twice_at_once(world):
    w = world
    with for_site(w.site):
        slot = make_slot(w, w.course, days=10, individual_places=1)
        (pupil,) = validated_pupils(w, 1, "claim")
        entry = WaitingListEntry.objects.create(
            site=w.site,
            slot=slot,
            person=pupil,
            status=WaitingStatus.OFFERED,
            offered_at=timezone.now(),
            offer_expires_at=timezone.now() + dt.timedelta(hours=5),
        )

    def claim():
        return claim_offer(WaitingListEntry.objects.get(pk=entry.pk), by=User.objects.get(pk=pupil.pk))

    results = run_at_once(w.site, [claim, claim, claim])
    assert all(isinstance(r, Registration) for r in results), results
    assert len({r.pk for r in results}) == 1  # every click answers with the one registration
    with for_site(w.site):
        assert Registration.objects.filter(slot=slot, person=pupil, status=Status.ACTIVE).count() == 1
        assert Slot.objects.get(pk=slot.pk).individual_places_taken == 1


def test_the_same_group_sent_twice_at_once(world):
    w = world
    with for_site(w.site):
        slot = make_slot(
            w, w.course, days=10, allows_group_registrations=True, group_mode=Slot.GroupMode.BY_PLACES, group_places=30
        )

    def send():
        return register_group(
            Slot.objects.get(pk=slot.pk),
            w.high_school,
            by=User.objects.get(pk=w.high_school_referent.pk),
            pupils_count=12,
            contact_name="Mme Martin",
            contact_email="martin@lycee.example",
            submission_key="the-same-form-sent-three-times",
        )

    hold = f"LOCK TABLE {GroupRegistration._meta.db_table} IN SHARE MODE"
    results = run_at_once(w.site, [send, send, send], hold_sql=hold)
    assert all(isinstance(r, GroupRegistration) for r in results), results
    assert len({r.pk for r in results}) == 1
    assert sorted(r.repeated for r in results) == [False, True, True]
    with for_site(w.site):
        assert GroupRegistration.objects.filter(slot=slot, status=Status.ACTIVE).count() == 1
        assert Slot.objects.get(pk=slot.pk).group_places_taken == 12
