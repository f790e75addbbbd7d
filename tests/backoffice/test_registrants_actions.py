"""Attendance, batch cancellation and registration by a manager, through the registrants pages."""

import pytest
from django.urls import reverse

from apps.catalogue.models import Slot
from apps.referentials.models import CancellationReason
from apps.registrations.models import Attendance, Registration, Status
from apps.tenancy.scoping import for_site
from tests.factories import make_slot


@pytest.fixture
def english(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def started(world):
    """A slot that started yesterday, its speaker, and two registrations."""
    w = world
    with for_site(w.site):
        slot = make_slot(w, w.course, days=-1)
        slot.speakers.add(w.speaker)
        first = Registration.objects.create(site=w.site, slot=slot, person=w.pupil)
        second = Registration.objects.create(site=w.site, slot=slot, person=w.student)
        Slot.objects.filter(pk=slot.pk).update(individual_places_taken=2)
    return slot, first, second


def _attendance(registration):
    return Registration.objects.get(pk=registration.pk).attendance


def _messages(response):
    return [str(m) for m in response.context["messages"]] if response.context else []


def test_attendance_before_the_start_is_refused(english, world):
    english.force_login(world.speaker)
    url = reverse("backoffice:registrants_attendance", args=[world.slot.pk])
    response = english.post(url, {f"attendance-{world.registration.pk}": "present"}, follow=True)
    assert "Attendance can be entered once the slot has started." in _messages(response)
    response = english.post(reverse("backoffice:registrants_all_present", args=[world.slot.pk]), follow=True)
    assert "Attendance can be entered once the slot has started." in _messages(response)
    with for_site(world.site):
        assert _attendance(world.registration) == Attendance.NOT_ENTERED


def test_the_speaker_records_present_absent_and_remote(english, world, started):
    slot, first, second = started
    english.force_login(world.speaker)
    url = reverse("backoffice:registrants_attendance", args=[slot.pk])
    response = english.post(url, {f"attendance-{first.pk}": "remote", f"attendance-{second.pk}": "absent"}, follow=True)
    assert "Attendance saved (2 changes)." in _messages(response)
    with for_site(world.site):
        assert _attendance(first) == Attendance.REMOTE
        assert _attendance(second) == Attendance.ABSENT
        assert Registration.objects.get(pk=first.pk).attendance_recorded_by == world.speaker


@pytest.mark.parametrize(
    "data",
    [
        {"attendance-{first}": "present", "attendance-{other}": "present"},  # another slot's registration
        {"attendance-{first}": "present", "attendance-abc": "present"},
        {"attendance-{first}": "present", "attendance-{second}": "sleeping"},
        {},
    ],
)
def test_bad_ids_or_values_change_nothing(english, world, started, data):
    slot, first, second = started
    ids = {"first": first.pk, "second": second.pk, "other": world.registration.pk}
    english.force_login(world.structure_referent)
    url = reverse("backoffice:registrants_attendance", args=[slot.pk])
    response = english.post(url, {key.format(**ids): value for key, value in data.items()}, follow=True)
    assert response.status_code == 200
    assert any(m.level_tag == "error" for m in response.context["messages"])
    with for_site(world.site):
        assert _attendance(first) == _attendance(second) == Attendance.NOT_ENTERED
        assert _attendance(world.registration) == Attendance.NOT_ENTERED


def test_all_present_marks_only_those_not_recorded(english, world, started):
    slot, first, second = started
    with for_site(world.site):
        Registration.objects.filter(pk=second.pk).update(attendance=Attendance.ABSENT)
    english.force_login(world.speaker)
    response = english.post(reverse("backoffice:registrants_all_present", args=[slot.pk]), follow=True)
    assert "1 registrant marked present." in _messages(response)
    with for_site(world.site):
        assert _attendance(first) == Attendance.PRESENT
        assert _attendance(second) == Attendance.ABSENT


def test_all_present_on_a_remote_slot_says_attended_remotely(english, world, started):
    slot, first, second = started
    with for_site(world.site):
        Slot.objects.filter(pk=slot.pk).update(
            place=Slot.Place.REMOTE, remote_url="https://visio.example.org/x", campus=None, building=None
        )
    english.force_login(world.speaker)
    page = english.get(reverse("backoffice:registrants_slot", args=[slot.pk])).content.decode()
    assert "Mark everyone not yet recorded as attended remotely" in page
    response = english.post(reverse("backoffice:registrants_all_present", args=[slot.pk]), follow=True)
    assert "2 registrants marked as attended remotely." in _messages(response)
    with for_site(world.site):
        assert _attendance(first) == _attendance(second) == Attendance.REMOTE


def test_a_consultant_may_not_record_attendance(english, world, started):
    slot, first, _second = started
    english.force_login(world.consultant)
    url = reverse("backoffice:registrants_attendance", args=[slot.pk])
    assert english.post(url, {f"attendance-{first.pk}": "present"}).status_code == 403
    with for_site(world.site):
        assert _attendance(first) == Attendance.NOT_ENTERED


@pytest.fixture
def reason(world):
    with for_site(world.site):
        return CancellationReason.objects.create(site=world.site, label="Organisational reason")


def test_a_manager_cancels_a_batch_with_a_reason(
    english, world, reason, mailoutbox, django_capture_on_commit_callbacks
):
    w = world
    with for_site(w.site):
        second = Registration.objects.create(site=w.site, slot=w.slot, person=w.student)
        Slot.objects.filter(pk=w.slot.pk).update(individual_places_taken=2)
    english.force_login(w.structure_referent)
    url = reverse("backoffice:registrants_cancel", args=[w.slot.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = english.post(url, {"ids": [w.registration.pk, second.pk], "reason": reason.pk}, follow=True)
    assert "2 registrations cancelled." in _messages(response)
    with for_site(w.site):
        rows = Registration.objects.filter(pk__in=[w.registration.pk, second.pk])
        assert {r.status for r in rows} == {Status.CANCELLED}
        assert {r.cancellation_reason_id for r in rows} == {reason.pk}
        assert Slot.objects.get(pk=w.slot.pk).individual_places_taken == 0
    assert {m.to[0] for m in mailoutbox} >= {w.pupil.email, w.student.email}
    assert "Organisational reason" in response.content.decode()  # the cancelled list shows the reason


@pytest.mark.parametrize("data", [{"ids": ["{other}"]}, {"ids": ["x"]}, {"ids": []}, {"ids": ["{mine}"], "reason": ""}])
def test_a_bad_batch_cancels_nothing(english, world, reason, data):
    w = world
    ids = {"other": w.other_registration.pk, "mine": w.registration.pk}
    post = {"ids": [value.format(**ids) for value in data["ids"]], "reason": data.get("reason", reason.pk)}
    english.force_login(w.master_referent)
    response = english.post(reverse("backoffice:registrants_cancel", args=[w.slot.pk]), post, follow=True)
    assert any(m.level_tag == "error" for m in response.context["messages"])
    with for_site(w.site):
        assert Registration.objects.filter(status=Status.CANCELLED).count() == 0


def test_a_reason_not_usable_by_managers_is_refused(english, world):
    with for_site(world.site):
        private = CancellationReason.objects.create(site=world.site, label="Mine", usable_by_managers=False)
    english.force_login(world.structure_referent)
    url = reverse("backoffice:registrants_cancel", args=[world.slot.pk])
    english.post(url, {"ids": [world.registration.pk], "reason": private.pk})
    with for_site(world.site):
        assert Registration.objects.get(pk=world.registration.pk).status == Status.ACTIVE


def test_the_search_finds_the_sites_registrants_only(english, world, other_world):
    english.force_login(world.structure_referent)
    url = reverse("backoffice:registrants_register", args=[world.slot.pk])
    response = english.get(url, {"q": world.student.last_name.upper()})
    assert world.student in response.context["results"] and world.pupil not in response.context["results"]
    assert world.student.email in response.content.decode()
    assert english.get(url, {"q": world.speaker.email}).context["results"] == []  # staff: no registrant record
    assert english.get(url, {"q": other_world.pupil.email}).context["results"] == []
    assert english.get(url, {"person": other_world.pupil.pk}).context["person"] is None


def _restricted_slot(w):
    with for_site(w.site):
        slot = make_slot(w, w.course, days=9)
        slot.allowed_high_schools.add(w.host_high_school)
    return slot


def test_a_manager_forces_a_restriction_and_it_is_recorded(english, world):
    w = world
    slot = _restricted_slot(w)
    english.force_login(w.structure_referent)
    url = reverse("backoffice:registrants_register", args=[slot.pk])
    page = english.get(url, {"person": w.pupil.pk})
    assert "This slot is reserved for people from some establishments or high schools." in page.content.decode()
    assert 'name="force" value="restricted"' in page.content.decode()
    assert 'value="period_quota"' not in page.content.decode()  # only what may be forced here is offered
    assert english.post(url, {"person": w.pupil.pk}).status_code == 400  # not forced: refused
    response = english.post(url, {"person": w.pupil.pk, "force": ["restricted"]})
    assert response.status_code == 302
    with for_site(w.site):
        registration = Registration.objects.get(slot=slot, person=w.pupil, status=Status.ACTIVE)
        assert registration.overrides == ["restricted"]
        assert registration.registered_by == w.structure_referent
    html = english.get(reverse("backoffice:registrants_slot", args=[slot.pk])).content.decode()
    assert "restrictions" in html


def _quota_slot(w):
    with for_site(w.site):
        w.period.quota_per_person = 1
        w.period.save(update_fields=["quota_per_person"])
        return make_slot(w, w.course, days=9)


def test_a_structure_referent_may_not_force_a_quota(english, world):
    w = world
    slot = _quota_slot(w)
    english.force_login(w.structure_referent)
    url = reverse("backoffice:registrants_register", args=[slot.pk])
    response = english.post(url, {"person": w.pupil.pk, "force": ["period_quota"]})
    assert response.status_code == 400
    assert "You may not force: quota per period." in response.content.decode()
    with for_site(w.site):
        assert not Registration.objects.filter(slot=slot).exists()


def test_an_establishment_referent_forces_a_quota(english, world):
    w = world
    slot = _quota_slot(w)
    english.force_login(w.establishment_referent)
    url = reverse("backoffice:registrants_register", args=[slot.pk])
    assert english.post(url, {"person": w.pupil.pk, "force": ["period_quota"]}).status_code == 302
    with for_site(w.site):
        assert Registration.objects.get(slot=slot, person=w.pupil).overrides == ["period_quota"]
