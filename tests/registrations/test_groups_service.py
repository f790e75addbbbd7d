"""Group registrations: one-group and by-places modes, rights, deadlines, cancellation."""

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from apps.catalogue.models import Slot
from apps.registrations.groups import cancel_group_registration, register_group
from apps.registrations.models import GroupRegistration, Status
from apps.registrations.rules import Code, evaluate_group, group_places_left
from apps.registrations.services import CancellationRefused, RegistrationRefused
from apps.tenancy.models import Site
from tests.factories import make_slot

CONTACT = {"contact_name": "Mme Martin", "contact_email": "martin@lycee.example", "accompanying_adults": 2}


def group_slot(w, mode=Slot.GroupMode.BY_PLACES, places=30, **fields):
    return make_slot(
        w, w.course, days=10, allows_group_registrations=True, group_mode=mode, group_places=places, **fields
    )


def taken(slot):
    return Slot.objects.get(pk=slot.pk).group_places_taken


def test_by_places_groups_share_the_places_exactly(in_site, django_capture_on_commit_callbacks):
    w = in_site
    slot = group_slot(w, places=30)
    with django_capture_on_commit_callbacks(execute=True):
        first = register_group(slot, w.high_school, by=w.high_school_referent, pupils_count=18, **CONTACT)
    assert first.status == Status.ACTIVE and first.accompanying_adults == 2 and first.contact_name == "Mme Martin"
    assert [m.to for m in mail.outbox] == [["martin@lycee.example"]]
    assert taken(slot) == 18
    with pytest.raises(RegistrationRefused) as refused:
        register_group(slot, w.high_school, by=w.high_school_referent, pupils_count=13, **CONTACT)
    assert "12" in str(refused.value)
    register_group(slot, w.high_school, by=w.high_school_referent, pupils_count=12, **CONTACT)
    assert taken(slot) == 30 and group_places_left(Slot.objects.get(pk=slot.pk)) == 0
    with pytest.raises(RegistrationRefused):
        register_group(slot, w.high_school, by=w.structure_referent, pupils_count=1, **CONTACT)
    with pytest.raises(RegistrationRefused):
        register_group(slot, w.high_school, by=w.high_school_referent, pupils_count=0, **CONTACT)
    assert GroupRegistration.objects.filter(slot=slot).count() == 2


def test_one_group_takes_the_whole_slot(in_site):
    w = in_site
    slot = group_slot(w, mode=Slot.GroupMode.ONE_GROUP, places=25)
    with pytest.raises(RegistrationRefused) as refused:
        register_group(slot, w.high_school, by=w.high_school_referent, pupils_count=26, **CONTACT)
    assert "25" in str(refused.value)
    group = register_group(slot, w.high_school, by=w.high_school_referent, pupils_count=20, **CONTACT)
    assert taken(slot) == 25 and group_places_left(Slot.objects.get(pk=slot.pk)) == 0
    with pytest.raises(RegistrationRefused) as refused:
        register_group(slot, w.host_high_school, by=w.master_referent, pupils_count=1, **CONTACT)
    assert GroupRegistration.objects.filter(slot=slot, status=Status.ACTIVE).count() == 1
    assert cancel_group_registration(group, by=w.high_school_referent)
    assert taken(slot) == 0
    register_group(slot, w.host_high_school, by=w.master_referent, pupils_count=5, **CONTACT)


@pytest.mark.parametrize(
    ("who", "allowed"),
    [
        ("high_school_referent", True),
        ("structure_referent", True),
        ("establishment_referent", True),
        ("master_referent", True),
        ("host_high_school_referent", False),
        ("pupil", False),
        ("speaker", False),
        ("consultant", False),
    ],
)
def test_who_may_register_a_group(in_site, who, allowed):
    w = in_site
    slot = group_slot(w)
    decision = evaluate_group(slot, w.high_school, by=getattr(w, who), site=w.site, pupils_count=10)
    assert decision.allowed is allowed
    if not allowed:
        with pytest.raises(RegistrationRefused):
            register_group(slot, w.high_school, by=getattr(w, who), pupils_count=10, **CONTACT)
        assert taken(slot) == 0


def test_slot_and_site_must_take_groups(in_site):
    w = in_site
    no_groups = make_slot(w, w.course, days=10, group_places=10)
    assert not evaluate_group(no_groups, w.high_school, by=w.high_school_referent, site=w.site, pupils_count=5).allowed
    slot = group_slot(w)
    Site.objects.filter(pk=w.site.pk).update(group_registrations_enabled=False)
    site = Site.objects.get(pk=w.site.pk)
    assert not evaluate_group(slot, w.high_school, by=w.master_referent, site=site, pupils_count=5).allowed


def test_deadlines_and_restrictions_are_forcible_by_managers_only(in_site):
    w = in_site
    slot = group_slot(w, registration_deadline=timezone.now() - dt.timedelta(hours=1))
    slot.allowed_high_schools.set([w.host_high_school])
    force = (Code.DEADLINE_PASSED, Code.RESTRICTED)
    referent = evaluate_group(slot, w.high_school, by=w.high_school_referent, site=w.site, pupils_count=5, force=force)
    assert referent.codes == [Code.DEADLINE_PASSED, Code.RESTRICTED] and not referent.is_manager
    with pytest.raises(RegistrationRefused):
        register_group(slot, w.high_school, by=w.high_school_referent, pupils_count=5, force=force, **CONTACT)
    with pytest.raises(RegistrationRefused):
        register_group(slot, w.high_school, by=w.structure_referent, pupils_count=5, **CONTACT)
    group = register_group(slot, w.high_school, by=w.structure_referent, pupils_count=5, force=force, **CONTACT)
    assert group.registered_by == w.structure_referent and taken(slot) == 5


def test_nobody_forces_a_started_or_cancelled_slot(in_site):
    w = in_site
    cancelled = group_slot(w, cancelled_at=timezone.now())
    yesterday = group_slot(w, date=timezone.localdate() - dt.timedelta(days=1))
    for slot in (cancelled, yesterday):
        with pytest.raises(RegistrationRefused):
            register_group(
                slot, w.high_school, by=w.master_referent, pupils_count=5, force=(Code.SLOT_STARTED,), **CONTACT
            )


def test_cancelling_a_group_frees_its_places(in_site, django_capture_on_commit_callbacks):
    w = in_site
    slot = group_slot(w, places=30)
    group = register_group(slot, w.high_school, by=w.high_school_referent, pupils_count=20, **CONTACT)
    with pytest.raises(CancellationRefused):
        cancel_group_registration(group, by=w.host_high_school_referent)
    with django_capture_on_commit_callbacks(execute=True):
        assert cancel_group_registration(group, by=w.high_school_referent)
    assert not cancel_group_registration(group, by=w.structure_referent, check=False)
    assert taken(slot) == 0
    assert [m.to for m in mail.outbox] == [["martin@lycee.example"]]
    group.refresh_from_db()
    assert group.status == Status.CANCELLED and group.cancelled_at is not None


def test_after_the_cancellation_deadline_only_managers_cancel_a_group(in_site):
    w = in_site
    slot = group_slot(w)
    group = register_group(slot, w.high_school, by=w.high_school_referent, pupils_count=10, **CONTACT)
    Slot.objects.filter(pk=slot.pk).update(cancellation_deadline=timezone.now() - dt.timedelta(minutes=1))
    with pytest.raises(CancellationRefused):
        cancel_group_registration(group, by=w.high_school_referent)
    assert cancel_group_registration(group, by=w.structure_referent)
    assert taken(slot) == 0


def test_unknown_fields_are_refused(in_site):
    w = in_site
    with pytest.raises(TypeError):
        register_group(group_slot(w), w.high_school, by=w.high_school_referent, pupils_count=1, colour="red")
