import datetime as dt
from types import SimpleNamespace

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from apps.academic_calendar.models import Period, UniversityYear
from apps.accounts.models import Role, RoleAssignment
from apps.attestations.models import Attestation, AttestationType
from apps.catalogue.models import Slot
from apps.notifications.models import OutgoingMessage
from apps.records.models import PupilRecord, StudentRecord, VisitorRecord
from apps.referentials.models import HighSchoolLevel
from apps.registrations.models import (
    Attendance,
    CalendarFeed,
    CourseAlert,
    GroupRegistration,
    Registration,
    Status,
    WaitingListEntry,
)
from apps.tenancy.scoping import for_site, platform_job
from tests.factories import build_world, grant, make_pupil, make_slot

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    return settings.PRIVATE_MEDIA_ROOT


def _message(site, status, created_at, to="someone@example.org"):
    message = OutgoingMessage.objects.create(
        site=site, key="test", recipient=to, from_email="noreply@example.org", language="fr", subject="s", body="b",
        status=status, sent_at=created_at if status == OutgoingMessage.Status.SENT else None,
    )  # fmt: skip
    OutgoingMessage.objects.filter(pk=message.pk).update(created_at=created_at)
    return message


def build_past_year(w, label="2024-2025"):
    """A finished year on the world's site with a realistic set of registrants and registrations."""
    site = w.site
    p = SimpleNamespace(world=w)
    today, now = timezone.localdate(), timezone.now()
    past = now - dt.timedelta(days=200)
    with for_site(site):
        p.year = UniversityYear.objects.create(
            site=site, label=label, start_date=today - dt.timedelta(days=400), end_date=today - dt.timedelta(days=35),
            accounts_open_date=today - dt.timedelta(days=400), purge_date=today - dt.timedelta(days=5),
        )  # fmt: skip
        p.period = Period.objects.create(
            site=site, year=p.year, label="S1", registration_start=now - dt.timedelta(days=390),
            registration_end=now - dt.timedelta(days=300), immersion_start=today - dt.timedelta(days=390),
            immersion_end=today - dt.timedelta(days=40),
        )  # fmt: skip
        p.slot = make_slot(w, w.course, days=-100, period=p.period, individual_places=20)
        p.group_slot = make_slot(
            w, w.other_course, days=-90, period=p.period, allows_group_registrations=True, group_places=40
        )
        p.event_slot = Slot.objects.create(
            site=site, event=w.event, period=p.period, date=today - dt.timedelta(days=80), start_time=dt.time(9),
            end_time=dt.time(12), campus=w.campus, individual_places=50, published=True,
        )  # fmt: skip
        level = HighSchoolLevel.objects.create(site=site, label="Terminale")
        p.pupils = [make_pupil(w, level=level) for _ in range(3)]
        p.multi_site_pupil = p.pupils[2]  # also a pupil of another site: account kept
        p.late_pupil = make_pupil(w)  # signed up after the year ended: kept
        # Old records and roles, from the year being purged
        PupilRecord.objects.filter(site=site).exclude(user=p.late_pupil).update(created_at=past)
        for model in (StudentRecord, VisitorRecord):
            model.objects.filter(site=site).update(created_at=past)
        RoleAssignment.objects.filter(site=site).exclude(user=p.late_pupil).update(granted_at=past)
        attendances = [Attendance.PRESENT, Attendance.ABSENT, Attendance.REMOTE]
        p.registrations = [
            Registration.objects.create(site=site, slot=p.slot, person=pupil, attendance=attendance)
            for pupil, attendance in zip(p.pupils, attendances, strict=True)
        ]
        p.registrations.append(
            Registration.objects.create(site=site, slot=p.group_slot, person=w.student, attendance=Attendance.PRESENT)
        )
        p.registrations.append(
            Registration.objects.create(
                site=site, slot=p.event_slot, person=w.visitor, status=Status.CANCELLED, cancelled_at=past
            )
        )
        # world.pupil took part in the past year and is registered this year: kept.
        p.registrations.append(
            Registration.objects.create(site=site, slot=p.event_slot, person=w.pupil, attendance=Attendance.REMOTE)
        )
        p.group = GroupRegistration.objects.create(
            site=site, slot=p.group_slot, high_school=w.high_school, pupils_count=24, contact_name="Mme Prof",
            contact_email="prof@example.org",
        )  # fmt: skip
        p.group.class_list.save("classe.pdf", ContentFile(PDF))
        p.cancelled_group = GroupRegistration.objects.create(
            site=site, slot=p.group_slot, high_school=w.high_school, pupils_count=10, contact_name="M. Prof",
            contact_email="prof2@example.org", status=Status.CANCELLED, cancelled_at=past,
        )  # fmt: skip
        p.waiting = WaitingListEntry.objects.create(site=site, slot=p.slot, person=p.pupils[0], status="expired")
        p.old_alert = CourseAlert.objects.create(site=site, course=w.course, person=p.pupils[1])
        CourseAlert.objects.filter(pk=p.old_alert.pk).update(created_at=past)
        p.new_alert = CourseAlert.objects.create(site=site, course=w.course, person=w.pupil)
        kind = AttestationType.objects.create(site=site, label="Autorisation parentale")
        p.attestation = Attestation(
            site=site, user=p.pupils[0], attestation_type=kind, original_name="a.pdf", content_type="application/pdf",
            size=len(PDF),
        )  # fmt: skip
        p.attestation.file.save("a.pdf", ContentFile(PDF))
        p.kept_attestation = Attestation(
            site=site, user=w.pupil, attestation_type=kind, original_name="b.pdf", content_type="application/pdf",
            size=len(PDF),
        )  # fmt: skip
        p.kept_attestation.file.save("b.pdf", ContentFile(PDF))
        p.feed = CalendarFeed.objects.create(site=site, person=p.pupils[0])
    with platform_job():
        p.old_message = _message(site, OutgoingMessage.Status.SENT, past, to=p.pupils[0].email)
        p.failed_message = _message(site, OutgoingMessage.Status.FAILED, past)
        p.pending_message = _message(site, OutgoingMessage.Status.PENDING, past)
        p.new_message = _message(site, OutgoingMessage.Status.SENT, now)
    return p


@pytest.fixture
def past(world):
    return build_past_year(world)


@pytest.fixture
def other_past(past, db):
    """The same past year on a second site; one pupil of the first site is a pupil here too."""
    with platform_job():
        other = build_world("beta", hosts=("beta.localhost",))
        other_past = build_past_year(other)
        with for_site(other.site):
            grant(past.multi_site_pupil, other.site, Role.PUPIL)
    return other_past
