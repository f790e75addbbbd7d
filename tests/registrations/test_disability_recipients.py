"""Who hears that a registrant declared a disability: the host establishment's referents only.

Never the structure referents, consultants or speakers of the slot. A slot of a high school
hosting post-bac trainings goes to that high school's referents (its establishment-level
referents: no establishment referent is attached to a high school).
"""

import pytest
from django.core import mail

from apps.accounts.models import Role
from apps.catalogue.models import Event, Slot
from apps.notifications.models import OutgoingMessage
from apps.registrations.messages import disability_recipients
from apps.registrations.services import register
from tests.factories import grant, make_pupil, make_slot, make_user


def _told(w, slot, django_capture_on_commit_callbacks):
    """Register a pupil who declared a disability on ``slot``; the addresses the notice went to."""
    pupil = make_pupil(w, has_disability=True)
    with django_capture_on_commit_callbacks(execute=True):
        register(slot, pupil, by=pupil)
    notices = OutgoingMessage.objects.filter(key="registration_disability_notice")
    return sorted(notices.values_list("recipient", flat=True))


def test_a_structures_course_goes_to_the_establishments_referents_only(in_site, django_capture_on_commit_callbacks):
    w = in_site
    second = make_user()
    grant(second, w.site, Role.ESTABLISHMENT_REFERENT, establishment=w.master)
    w.slot.speakers.add(w.speaker)
    # w.slot: a course of the structure "Sciences" of the master establishment, with a speaker.
    told = _told(w, w.slot, django_capture_on_commit_callbacks)
    assert told == sorted([w.establishment_referent.email, second.email])
    for left_out in (w.structure_referent, w.consultant, w.speaker, w.host_referent, w.master_referent):
        assert left_out.email not in told
    assert all(m.to[0] not in (w.structure_referent.email, w.speaker.email) for m in mail.outbox)


def test_a_structures_event_goes_to_the_establishments_referents_only(in_site, django_capture_on_commit_callbacks):
    w = in_site
    event = Event.objects.create(
        site=w.site,
        event_type=w.event_type,
        label="Conférence",
        establishment=w.master,
        structure=w.structure,
        published=True,
    )
    slot = Slot.objects.create(
        site=w.site,
        event=event,
        period=w.period,
        date=w.event_slot.date,
        start_time=w.event_slot.start_time,
        end_time=w.event_slot.end_time,
        campus=w.campus,
        individual_places=10,
        published=True,
    )
    slot.speakers.add(w.speaker)
    assert _told(w, slot, django_capture_on_commit_callbacks) == [w.establishment_referent.email]


def test_another_establishments_slot_goes_to_its_own_referents(in_site, django_capture_on_commit_callbacks):
    w = in_site
    structure_referent = make_user()
    grant(structure_referent, w.site, Role.STRUCTURE_REFERENT, structure=w.host_structure)
    assert _told(w, w.host_slot, django_capture_on_commit_callbacks) == [w.host_referent.email]


def test_a_host_high_schools_slot_goes_to_that_high_schools_referents(in_site, django_capture_on_commit_callbacks):
    w = in_site
    speaker = make_user()
    grant(speaker, w.site, Role.SPEAKER, high_school=w.host_high_school)
    w.bts_slot.speakers.add(speaker)
    told = _told(w, w.bts_slot, django_capture_on_commit_callbacks)
    assert told == [w.host_high_school_referent.email]
    # Not the referents of the pupil's own high school, nor the high school's speaker.
    assert w.high_school_referent.email not in told and speaker.email not in told


@pytest.mark.parametrize("role", [Role.STRUCTURE_REFERENT, Role.STRUCTURE_CONSULTANT])
def test_structure_roles_are_never_recipients(in_site, role):
    w = in_site
    person = make_user()
    grant(person, w.site, role, structure=w.structure)
    with_course = make_slot(w, w.course, days=20)
    assert person not in disability_recipients(with_course)
    assert disability_recipients(with_course) == [w.establishment_referent]


def test_deactivated_referents_are_not_told(in_site):
    w = in_site
    w.establishment_referent.is_active = False
    w.establishment_referent.save(update_fields=["is_active"])
    assert disability_recipients(w.slot) == []
