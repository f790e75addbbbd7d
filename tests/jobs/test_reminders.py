"""Reminders: sent once, caught up after a downtime, never for a started, cancelled or other site's slot."""

import datetime as dt
from unittest import mock

import pytest
from django.core import mail
from django.utils import timezone

from apps.jobs import services
from apps.jobs.runner import run_platform
from apps.notifications.models import OutgoingMessage
from apps.registrations.models import Registration, Status
from apps.registrations.services import cancel_registration
from apps.tenancy.scoping import for_site

from .conftest import at, day, registered, run

pytestmark = pytest.mark.django_db


def _reminded(key="registrant_reminder"):
    return sorted(OutgoingMessage.objects.filter(key=key).values_list("recipient", flat=True))


def test_a_reminder_job_run_twice_sends_once(in_site):
    w = in_site
    now = at(day(6))  # the world's two registrations are on slots in 7 days
    assert run(services.registrant_reminders, now, w.site) == {"due": 2, "sent": 2}
    assert run(services.registrant_reminders, now, w.site) == {"due": 2, "sent": 0}
    assert run(services.registrant_reminders, now + dt.timedelta(hours=5), w.site)["sent"] == 0
    assert sorted(m.to[0] for m in mail.outbox) == sorted([w.pupil.email, w.other_pupil.email])
    reminder = next(m for m in mail.outbox if m.to == [w.pupil.email])
    assert "Algorithmique" in reminder.subject and "A101" in reminder.body and "/my-immersions/" in reminder.body


def test_a_job_that_did_not_run_for_three_days_sends_the_missed_reminders_once(in_site):
    w = in_site  # reminders two days before (the default)
    started = registered(w, days=3, start=7, end=9)  # would have been reminded, but it has started by then
    missed = [registered(w, days=4), registered(w, days=5)]  # became due during the downtime
    later = registered(w, days=6)  # not due yet
    assert run(services.registrant_reminders, at(day(0)), w.site)["sent"] == 0  # last run before the downtime
    # ...three days without the job, then it runs again:
    assert run(services.registrant_reminders, at(day(3)), w.site)["sent"] == 2
    assert _reminded() == sorted(r.person.email for r in missed)
    assert run(services.registrant_reminders, at(day(3), 9), w.site)["sent"] == 0
    # The next day, the next one becomes due, and only it is sent.
    assert run(services.registrant_reminders, at(day(4)), w.site)["sent"] == 1
    assert later.person.email in _reminded() and started.person.email not in _reminded()
    assert len(mail.outbox) == 3


def test_the_reminder_window_follows_the_site_setting(in_site):
    w = in_site
    w.site.reminder_days_before = 7
    w.site.save()
    assert run(services.registrant_reminders, at(day(0)), w.site)["sent"] == 2
    w.site.reminder_days_before = 0
    w.site.save()
    same_day = registered(w, days=1, start=18, end=19)
    assert run(services.registrant_reminders, at(day(1)), w.site)["sent"] == 1
    assert _reminded().count(same_day.person.email) == 1


def test_cancelled_registrations_and_cancelled_slots_are_not_reminded(in_site):
    w = in_site
    cancel_registration(w.registration, by=None, notify=False)
    cancelled_slot = registered(w, days=7, course=w.other_course)
    type(cancelled_slot.slot).objects.filter(pk=cancelled_slot.slot_id).update(cancelled_at=timezone.now())
    assert run(services.registrant_reminders, at(day(6)), w.site) == {"due": 1, "sent": 1}
    assert _reminded() == [w.other_pupil.email]


def test_another_site_is_untouched(in_site, other_world):
    w = in_site
    run(services.registrant_reminders, at(day(6)), w.site)
    assert w.other_pupil.email in _reminded()
    assert other_world.pupil.email not in _reminded() and other_world.other_pupil.email not in _reminded()
    assert not OutgoingMessage.objects.filter(site=other_world.site).exists()
    with for_site(other_world.site):
        assert run(services.registrant_reminders, at(day(6)), other_world.site)["sent"] == 2
    assert OutgoingMessage.objects.filter(site=other_world.site).count() == 2


def test_speakers_are_reminded_once_per_slot_with_their_registrants(in_site):
    w = in_site
    w.draft_slot.speakers.add(w.speaker)  # not published: no reminder
    assert run(services.speaker_reminders, at(day(13)), w.site)["sent"] == 0
    assert run(services.speaker_reminders, at(day(6)), w.site) == {"due": 1, "sent": 1}
    assert run(services.speaker_reminders, at(day(6), 12), w.site)["sent"] == 0
    (message,) = mail.outbox
    assert message.to == [w.speaker.email] and "Algorithmique" in message.subject
    assert "Registrants: 1" in message.body or "Inscrits : 1" in message.body


def test_a_failing_mail_server_leaves_the_reminders_queued_then_sent_once(in_site):
    w = in_site
    with mock.patch("django.core.mail.EmailMessage.send", side_effect=ConnectionRefusedError("no server")):
        assert run(services.registrant_reminders, at(day(6)), w.site)["sent"] == 2
        assert run(services.registrant_reminders, at(day(6), 9), w.site)["sent"] == 0  # no second copy queued
    queued = OutgoingMessage.objects.filter(key="registrant_reminder")
    assert queued.count() == 2 and set(queued.values_list("status", flat=True)) == {"pending"}
    assert mail.outbox == []
    # The outbox job sends them once the mail server is back and their retry is due.
    (log,) = run_platform("flush_outbox", services.outbox, now=timezone.now() + dt.timedelta(hours=1))
    assert log.counts["sent"] == 2
    run_platform("flush_outbox", services.outbox, now=timezone.now() + dt.timedelta(hours=2))
    assert len(mail.outbox) == 2 and set(queued.values_list("status", flat=True)) == {"sent"}
    assert Registration.objects.filter(status=Status.ACTIVE).count() == 2


def test_group_contacts_are_reminded_once_and_cancelled_groups_are_not(in_site):
    from apps.registrations.models import GroupRegistration

    w = in_site
    group = GroupRegistration.objects.create(
        site=w.site,
        slot=w.slot,
        high_school=w.high_school,
        pupils_count=24,
        accompanying_adults=2,
        contact_name="Mme Durand",
        contact_email="durand@lycee.example",
    )
    GroupRegistration.objects.create(
        site=w.site,
        slot=w.slot,
        high_school=w.high_school,
        pupils_count=10,
        contact_name="M. Martin",
        contact_email="martin@lycee.example",
        status=Status.CANCELLED,
        cancelled_at=timezone.now(),
    )
    assert run(services.group_reminders, at(day(3)), w.site) == {"due": 0, "sent": 0}  # not due yet
    assert run(services.group_reminders, at(day(6)), w.site) == {"due": 1, "sent": 1}
    assert run(services.group_reminders, at(day(6), 15), w.site) == {"due": 1, "sent": 0}
    (message,) = [m for m in mail.outbox if m.to == [group.contact_email]]
    assert "Algorithmique" in message.subject and "Lycée Kléber" in message.body and "24" in message.body
    assert _reminded("group_reminder") == [group.contact_email]
