"""Digests (structures weekly, validations daily), surveys, waiting-list offers: each sent once."""

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from apps.jobs import services
from apps.notifications.models import OutgoingMessage
from apps.records.models import RecordStatus
from apps.registrations.models import Attendance, Registration, Status, WaitingListEntry, WaitingStatus

from .conftest import at, day, registered, run

pytestmark = pytest.mark.django_db


def _recipients(key):
    return sorted(OutgoingMessage.objects.filter(key=key).values_list("recipient", flat=True))


def test_structure_referents_get_their_coming_week_once_a_week(in_site):
    w = in_site
    WaitingListEntry.objects.create(site=w.site, slot=w.slot, person=w.student)
    assert run(services.structure_weekly_digest, at(day(1)), w.site) == {"due": 1, "sent": 1}
    assert run(services.structure_weekly_digest, at(day(2)), w.site)["sent"] == 0  # same week
    (message,) = mail.outbox
    assert message.to == [w.structure_referent.email] and "Sciences" in message.subject
    assert "Algorithmique" in message.body and "Poésie" not in message.body  # another structure's slot
    assert "places prises : 1 / 10" in message.body and "1 en liste d’attente" in message.body  # French by default
    # Nothing in the coming seven days: no digest.
    assert run(services.structure_weekly_digest, at(day(40)), w.site) == {"due": 0, "sent": 0}


def test_referents_with_records_waiting_get_a_daily_digest(in_site, other_world):
    w = in_site  # one pupil of the partner high school waits for validation
    assert run(services.pending_validations_digest, at(day(0)), w.site) == {"due": 1, "sent": 1}
    assert run(services.pending_validations_digest, at(day(0), 15), w.site)["sent"] == 0
    assert _recipients("pending_validations_digest") == [w.high_school_referent.email]
    assert "/back-office/records/validation/" in mail.outbox[0].body
    # The next day, still waiting: reminded again; once validated, nothing more.
    assert run(services.pending_validations_digest, at(day(1)), w.site)["sent"] == 1
    w.other_pupil_record.status, w.other_pupil_record.validated_at = RecordStatus.VALIDATED, timezone.now()
    w.other_pupil_record.save()
    assert run(services.pending_validations_digest, at(day(2)), w.site) == {"due": 0, "sent": 0}
    assert other_world.high_school_referent.email not in _recipients("pending_validations_digest")


def test_attendees_get_the_survey_once_after_their_slot(in_site):
    w = in_site
    Registration.objects.filter(pk=w.registration.pk).update(attendance=Attendance.PRESENT)
    Registration.objects.filter(pk=w.other_registration.pk).update(attendance=Attendance.ABSENT)
    remote = registered(w, days=7, course=w.host_course)
    Registration.objects.filter(pk=remote.pk).update(
        attendance=Attendance.REMOTE, status=Status.CANCELLED, cancelled_at=timezone.now()
    )
    # No survey address: nothing.
    assert run(services.surveys_after_slot, at(day(8)), w.site) == {"due": 0, "sent": 0}
    w.site.survey_after_slot_url = "https://survey.example.org/slot"
    w.site.save()
    assert run(services.surveys_after_slot, at(day(7), 11), w.site)["due"] == 0  # not over yet
    assert run(services.surveys_after_slot, at(day(8)), w.site) == {"due": 1, "sent": 1}
    assert run(services.surveys_after_slot, at(day(9)), w.site)["sent"] == 0
    assert _recipients("survey_after_slot") == [w.pupil.email]
    assert "https://survey.example.org/slot" in mail.outbox[0].body


def test_the_years_registrants_get_the_end_of_year_survey_once(in_site):
    w = in_site  # the year's last immersion day is in 90 days
    w.site.survey_end_of_year_url = "https://survey.example.org/year"
    w.site.save()
    cancelled = registered(w, days=8)
    Registration.objects.filter(pk=cancelled.pk).update(status=Status.CANCELLED, cancelled_at=timezone.now())
    assert run(services.survey_end_of_year, at(day(90)), w.site)["due"] == 0  # the year is not over
    assert run(services.survey_end_of_year, at(day(91)), w.site) == {"due": 2, "sent": 2}
    assert run(services.survey_end_of_year, at(day(95)), w.site)["sent"] == 0
    assert _recipients("survey_end_of_year") == sorted([w.pupil.email, w.other_pupil.email])
    assert run(services.survey_end_of_year, at(day(150)), w.site)["due"] == 0  # too late to ask


def test_expired_waiting_list_offers_go_to_the_next_person(in_site):
    w = in_site
    now = timezone.now()
    w.slot.individual_places = 1
    w.slot.save()
    late = WaitingListEntry.objects.create(
        site=w.site,
        slot=w.slot,
        person=w.student,
        status=WaitingStatus.OFFERED,
        offered_at=now - dt.timedelta(days=2),
        offer_expires_at=now - dt.timedelta(days=1),
    )
    Registration.objects.filter(pk=w.registration.pk).update(status=Status.CANCELLED, cancelled_at=now)
    type(w.slot).objects.filter(pk=w.slot.pk).update(individual_places_taken=0)
    assert run(services.waiting_list_offers, None, w.site) == {"served": 0}
    late.refresh_from_db()
    assert late.status == WaitingStatus.EXPIRED
