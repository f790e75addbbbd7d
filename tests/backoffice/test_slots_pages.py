"""The slot pages through HTTP: the "ten repeated slots" journey, forged ids, bulk actions, cancel, delete."""

import datetime as dt

import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from apps.academic_calendar.models import Period
from apps.accounts.models import Role
from apps.catalogue import selectors
from apps.catalogue.models import Event, Slot
from apps.organisations.models import Campus
from apps.referentials.models import BachelorType, HighSchoolLevel
from apps.registrations.models import Registration, Status
from apps.tenancy.scoping import for_site
from tests.factories import grant, make_slot, make_user


@pytest.fixture
def staff(client, world, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(world.structure_referent)
    return client


def _tuesday(w, weeks=0):
    day = w.period.immersion_start + dt.timedelta(days=15)
    return day + dt.timedelta(days=(1 - day.weekday()) % 7 + 7 * weeks)


def _slot_data(w, **overrides):
    data = {
        "course": w.course.pk,
        "course_type": w.course_type.pk,
        "period": w.period.pk,
        "date": _tuesday(w).isoformat(),
        "start_time": "14:00",
        "end_time": "16:00",
        "place": "on_site",
        "campus": w.campus.pk,
        "building": w.building.pk,
        "room": "B12",
        "speakers": [w.speaker.pk],
        "allows_individual_registrations": "on",
        "individual_places": "24",
        "group_mode": "by_places",
        "group_places": "0",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def _messages(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_a_structure_referent_publishes_a_course_with_ten_repeated_slots(staff, world):
    w = world
    with for_site(w.site):
        Period.objects.filter(pk=w.period.pk).update(deadline_policy=Period.DeadlinePolicy.SLOT)
        level = HighSchoolLevel.objects.create(site=w.site, label="Terminale")
        bachelor = BachelorType.objects.create(site=w.site, label="Générale", kind="general")
    # 1. One slot, with restrictions, unpublished for now.
    data = _slot_data(w, allowed_high_school_levels=[level.pk], allowed_bachelor_types=[bachelor.pk])
    response = staff.post(reverse("backoffice:slots_create"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    with for_site(w.site):
        first = Slot.objects.get(course=w.course, start_time=dt.time(14))
    # 2. Repeated on nine more Tuesdays, with the weekly helper.
    response = staff.post(
        reverse("backoffice:slots_repeat", args=[first.pk]),
        {"weekday": "1", "every_from": _tuesday(w, 1).isoformat(), "every_to": _tuesday(w, 9).isoformat()},
    )
    assert response.status_code == 302
    assert "9 slots created." in _messages(response)
    with for_site(w.site):
        ten = list(Slot.objects.filter(course=w.course, start_time=dt.time(14)))
    assert len(ten) == 10
    # 3. Published together from the list.
    response = staff.post(reverse("backoffice:slots_bulk"), {"ids": [s.pk for s in ten], "action": "publish"})
    assert response.status_code == 302 and "10 slots changed." in _messages(response)
    # The public offer's data: ten slots with the restrictions and the effective deadlines.
    with for_site(w.site):
        public = {s.pk: s for s in selectors.public_slot_data(w.site) if s.course_id == w.course.pk}
    assert {s.pk for s in ten} <= set(public)
    paris = timezone.get_default_timezone()
    for slot in ten:
        row = public[slot.pk]
        assert row.restrictions["allowed_high_school_levels"] == [level.pk]
        assert row.restrictions["allowed_bachelor_types"] == [bachelor.pk]
        assert row.restrictions["allowed_establishments"] == []
        start = timezone.make_aware(dt.datetime.combine(slot.date, dt.time(14)), paris)
        assert row.registration_closes_at == start - dt.timedelta(hours=w.period.registration_hours_before)
        assert row.cancellation_closes_at == start - dt.timedelta(hours=w.period.cancellation_hours_before)
        assert [s.pk for s in row.speakers.all()] == [w.speaker.pk]


def test_warnings_are_shown_after_saving_without_blocking(staff, world):
    w = world
    sunday = _tuesday(w) + dt.timedelta(days=5)
    response = staff.post(reverse("backoffice:slots_create"), _slot_data(w, date=sunday.isoformat()))
    assert response.status_code == 302
    assert any("Sunday" in m for m in _messages(response))


@pytest.mark.parametrize(
    "forged",
    ["other_course", "other_site_level", "host_campus", "host_speaker", "host_event", "other_site_period"],
)
def test_forged_ids_are_form_errors(staff, world, other_world, forged):
    w = world
    with for_site(other_world.site):
        other_level = HighSchoolLevel.objects.create(site=other_world.site, label="Terminale")
    with for_site(w.site):
        host_campus = Campus.objects.create(site=w.site, establishment=w.host, label="Campus de l'école")
        host_speaker = make_user()
        grant(host_speaker, w.site, Role.SPEAKER, establishment=w.host)
        host_event = Event.objects.create(site=w.site, event_type=w.event_type, label="JPO école", establishment=w.host)
    data = {
        "other_course": _slot_data(w, course=w.other_course.pk),
        "other_site_level": _slot_data(w, allowed_high_school_levels=[other_level.pk]),
        "host_campus": _slot_data(w, campus=host_campus.pk, building=None),
        "host_speaker": _slot_data(w, speakers=[host_speaker.pk]),
        "host_event": _slot_data(w, course=None, course_type=None, event=host_event.pk),
        "other_site_period": _slot_data(w, period=other_world.period.pk),
    }[forged]
    with for_site(w.site):
        before = Slot.objects.count()
    response = staff.post(reverse("backoffice:slots_create"), data)
    assert response.status_code == 200
    assert response.context["form"].errors
    assert 'class="invalid-feedback d-block"' in response.content.decode()
    with for_site(w.site):
        assert Slot.objects.count() == before


def test_editing_refuses_places_below_the_registrations_and_keeps_everything(staff, world):
    w = world
    with for_site(w.site):
        Slot.objects.filter(pk=w.slot.pk).update(individual_places_taken=1)
    data = _slot_data(w, date=w.slot.date.isoformat(), individual_places="0", published="on")
    response = staff.post(reverse("backoffice:slots_edit", args=[w.slot.pk]), data)
    assert response.status_code == 200
    assert response.context["form"].errors
    with for_site(w.site):
        assert Slot.objects.get(pk=w.slot.pk).individual_places == 10


def test_editing_notifies_the_registrants_when_asked(staff, world, django_capture_on_commit_callbacks):
    w = world
    data = _slot_data(w, date=w.slot.date.isoformat(), start_time="10:00", end_time="12:00", room="Z9", notify="on")
    with django_capture_on_commit_callbacks(execute=True):
        response = staff.post(reverse("backoffice:slots_edit", args=[w.slot.pk]), data)
    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [[w.pupil.email]]


def test_bulk_with_a_slot_outside_the_scope_changes_nothing(staff, world):
    w = world
    ids = [w.draft_slot.pk, w.other_draft_slot.pk]
    response = staff.post(reverse("backoffice:slots_bulk"), {"ids": ids, "action": "publish"})
    assert response.status_code == 403
    response = staff.post(reverse("backoffice:slots_bulk"), {"ids": [*ids[:1], "x"], "action": "publish"})
    assert response.status_code == 403
    with for_site(w.site):
        assert not Slot.objects.filter(pk__in=ids, published=True).exists()


def test_bulk_edit_is_all_or_nothing_with_a_clear_error(staff, world):
    w = world
    with for_site(w.site):
        Slot.objects.filter(pk=w.slot.pk).update(individual_places_taken=5)
    ids = [w.slot.pk, w.draft_slot.pk]
    response = staff.post(reverse("backoffice:slots_bulk"), {"ids": ids, "action": "apply", "individual_places": "3"})
    assert response.status_code == 200
    assert "cannot go below" in response.content.decode()
    with for_site(w.site):
        assert set(Slot.objects.filter(pk__in=ids).values_list("individual_places", flat=True)) == {10}
    response = staff.post(
        reverse("backoffice:slots_bulk"),
        {"ids": ids, "action": "apply", "individual_places": "30", "reset_deadlines": "on"},
    )
    assert response.status_code == 302
    with for_site(w.site):
        assert set(Slot.objects.filter(pk__in=ids).values_list("individual_places", flat=True)) == {30}


def test_cancel_tells_the_registrants_and_delete_is_refused_with_registrations(
    staff, world, django_capture_on_commit_callbacks
):
    w = world
    delete_url = reverse("backoffice:slots_delete", args=[w.slot.pk])
    response = staff.post(delete_url)
    assert response.status_code == 200 and "Cancel it instead" in response.content.decode()
    cancel_url = reverse("backoffice:slots_cancel", args=[w.slot.pk])
    page = staff.get(cancel_url).content.decode()
    assert "1 registered person will be told by e-mail." in page
    assert staff.post(cancel_url, {"reason": ""}).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = staff.post(cancel_url, {"reason": "Salle indisponible"})
    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [[w.pupil.email]]
    with for_site(w.site):
        assert Registration.objects.get(pk=w.registration.pk).status == Status.CANCELLED
        assert Slot.objects.get(pk=w.slot.pk).cancelled_at is not None
    # A slot nobody registered to can be deleted.
    response = staff.post(reverse("backoffice:slots_delete", args=[w.draft_slot.pk]))
    assert response.status_code == 302
    with for_site(w.site):
        assert not Slot.objects.filter(pk=w.draft_slot.pk).exists()


def test_duplicate_and_quick_publish(staff, world):
    w = world
    day = _tuesday(w, 3)
    response = staff.post(
        reverse("backoffice:slots_duplicate", args=[w.draft_slot.pk]),
        {"date": day.isoformat(), "start_time": "08:00", "end_time": "09:00"},
    )
    assert response.status_code == 302
    with for_site(w.site):
        copy = Slot.objects.get(course=w.course, date=day)
    assert not copy.published
    assert staff.post(reverse("backoffice:slots_publish", args=[copy.pk])).status_code == 302
    with for_site(w.site):
        assert Slot.objects.get(pk=copy.pk).published


def test_list_filters(staff, world):
    w = world
    page = staff.get(reverse("backoffice:slots_list"), {"published": "no"}).content.decode()
    assert reverse("backoffice:slots_detail", args=[w.draft_slot.pk]) in page
    assert f'href="{reverse("backoffice:slots_detail", args=[w.slot.pk])}"' not in page
    page = staff.get(reverse("backoffice:slots_list"), {"fullness": "full", "q": "algo"}).content.decode()
    assert "No slot matches these filters." in page
    response = staff.get(reverse("backoffice:slots_list"), {"date_from": "not a date"})
    assert response.status_code == 200


def _list_queries(client):
    """Queries of one list page (after a first visit, so that the saved filters already exist)."""
    url = reverse("backoffice:slots_list")
    client.get(url, {"q": "", "sort": "places"})
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, {"q": "", "sort": "places"})
    assert response.status_code == 200
    return len(queries)


def test_the_list_runs_a_constant_number_of_queries(staff, world):
    w = world
    with for_site(w.site):
        for n in range(3):
            make_slot(w, w.course, days=20 + n)
    few = _list_queries(staff)
    with for_site(w.site):
        for n in range(27):
            make_slot(w, w.course, days=30 + n, allows_group_registrations=True, group_places=10)
    many = _list_queries(staff)
    assert few == many
