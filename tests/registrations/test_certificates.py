"""Attendance certificates: who may download one, for which registrations, and what it is."""

import pytest
from django.conf import settings
from django.shortcuts import resolve_url
from django.urls import reverse

from apps.accounts.models import Role
from apps.audit.models import ActionLog
from apps.records.models import PupilRecord
from apps.registrations.models import Attendance, Registration, Status
from apps.staff.models import CharterSignature
from apps.tenancy.scoping import for_site
from tests.factories import grant, make_slot, make_user


@pytest.fixture
def present(world):
    """The pupil attended a slot yesterday."""
    w = world
    with for_site(w.site):
        slot = make_slot(w, w.course, days=-1)
        slot.speakers.add(w.speaker)
        return Registration.objects.create(site=w.site, slot=slot, person=w.pupil, attendance=Attendance.PRESENT)


def _get(client, registration, host="testserver"):
    return client.get(reverse("registrations:certificate", args=[registration.pk]), HTTP_HOST=host)


def _consent(world, value):
    with for_site(world.site):
        PupilRecord.objects.filter(pk=world.pupil_record.pk).update(consent_high_school_sees_immersions=value)


def test_the_pupil_downloads_a_pdf_attachment(client, world, present):
    client.force_login(world.pupil)
    response = _get(client, present)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;") and ".pdf" in disposition
    assert world.pupil.last_name.lower() in disposition


@pytest.mark.parametrize("attendance", [Attendance.REMOTE])
def test_attending_remotely_gives_a_certificate_too(client, world, present, attendance):
    with for_site(world.site):
        Registration.objects.filter(pk=present.pk).update(attendance=attendance)
    client.force_login(world.pupil)
    assert _get(client, present).status_code == 200


@pytest.mark.parametrize("attendance", [Attendance.ABSENT, Attendance.NOT_ENTERED])
def test_no_certificate_without_attendance(client, world, present, attendance):
    with for_site(world.site):
        Registration.objects.filter(pk=present.pk).update(attendance=attendance)
    client.force_login(world.pupil)
    assert _get(client, present).status_code == 404


def test_no_certificate_for_a_cancelled_registration(client, world, present):
    from django.utils import timezone

    with for_site(world.site):
        Registration.objects.filter(pk=present.pk).update(status=Status.CANCELLED, cancelled_at=timezone.now())
    client.force_login(world.pupil)
    assert _get(client, present).status_code == 404


def test_the_high_school_referent_needs_the_pupils_consent(client, world, present):
    client.force_login(world.high_school_referent)
    _consent(world, False)
    assert _get(client, present).status_code == 404
    _consent(world, True)
    assert _get(client, present).status_code == 200


def test_another_high_schools_referent_gets_nothing_even_with_consent(client, world, present):
    _consent(world, True)
    with for_site(world.site):
        CharterSignature.objects.create(
            site=world.site,
            charter=world.charter,
            high_school=world.host_high_school,
            signed_by=world.host_high_school_referent,
        )
    client.force_login(world.host_high_school_referent)
    assert _get(client, present).status_code == 404


@pytest.mark.parametrize("role", ["master_referent", "establishment_referent", "structure_referent", "operator"])
def test_the_hosts_managers_download_it(client, world, present, role):
    client.force_login(getattr(world, role))
    assert _get(client, present).status_code == 200
    with for_site(world.site):  # someone else reading the pupil's certificate is logged; the pupil is not
        logged = ActionLog.objects.filter(action="registrations.certificate.downloaded", object_id=str(present.pk))
        assert list(logged.values_list("actor_id", "subject_id")) == [(getattr(world, role).pk, world.pupil.pk)]
    client.force_login(world.pupil)
    assert _get(client, present).status_code == 200
    with for_site(world.site):
        assert logged.count() == 1


@pytest.mark.parametrize("role", ["host_referent", "consultant", "speaker", "other_pupil", "legal", "visitor"])
def test_anybody_else_gets_404(client, world, present, role):
    _consent(world, True)
    client.force_login(getattr(world, role))
    assert _get(client, present).status_code == 404


def test_a_speaker_of_another_slot_gets_404(client, world, present):
    with for_site(world.site):
        other_speaker = make_user()
        grant(other_speaker, world.site, Role.SPEAKER, establishment=world.master)
        world.other_slot.speakers.add(other_speaker)
    client.force_login(other_speaker)
    assert _get(client, present).status_code == 404


def test_anonymous_people_are_sent_to_sign_in(client, world, present):
    response = _get(client, present)
    assert response.status_code == 302
    assert response.url.startswith(resolve_url(settings.LOGIN_URL))


def test_another_sites_registration_is_not_found(client, world, other_world):
    with for_site(other_world.site):
        slot = make_slot(other_world, other_world.course, days=-1)
        registration = Registration.objects.create(
            site=other_world.site, slot=slot, person=other_world.pupil, attendance=Attendance.PRESENT
        )
    client.force_login(other_world.pupil)
    assert _get(client, registration, host="beta.localhost").status_code == 200
    client.force_login(world.master_referent)
    assert _get(client, registration).status_code == 404
    client.force_login(other_world.pupil)
    assert _get(client, registration).status_code == 404


def test_the_certificate_names_the_pupil_the_course_and_the_host(world, present, settings):
    from django.utils import translation

    from apps.registrations import pdf

    with for_site(world.site), translation.override("en"):
        registration = Registration.objects.select_related("slot__course__training__structure__establishment").get(
            pk=present.pk
        )
        html = pdf.render_to_string(
            "registrations/pdf/certificate.html",
            {
                **pdf.branding(world.site, pdf.slot_host(registration.slot)),
                "slot": registration.slot,
                "registration": registration,
            },
        )
    assert world.pupil.first_name in html and world.pupil.last_name.upper() in html
    assert "attended “Algorithmique”" in html
    assert world.master.label in html and world.site.name in html


def test_the_hosts_logo_is_embedded_and_nothing_is_fetched(client, world, present, settings, tmp_path):
    import io

    from django.core.files.base import ContentFile
    from PIL import Image

    from apps.registrations import pdf

    settings.MEDIA_ROOT = tmp_path
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "#1d4e89").save(buffer, "PNG")
    with for_site(world.site):
        world.master.logo.save("logo.png", ContentFile(buffer.getvalue()))
        assert pdf.branding(world.site, world.master)["logo"].startswith("data:image/png;base64,")
    for address in ("http://example.org/logo.png", "file:///etc/passwd"):
        with pytest.raises(ValueError):
            pdf.local_fetcher()(address)
    client.force_login(world.pupil)
    response = _get(client, present)
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
