import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from apps.academic_calendar.models import Holiday, Period, Vacation
from apps.catalogue import selectors
from apps.catalogue.models import Slot
from apps.referentials.models import HighSchoolLevel
from apps.registrations import slot_services as services
from apps.registrations.models import GroupRegistration, Registration, Status


def _taken(slot, n=1):
    Slot.objects.filter(pk=slot.pk).update(individual_places_taken=n)
    slot.refresh_from_db()


def _group(w, slot, **extra):
    Slot.objects.filter(pk=slot.pk).update(allows_group_registrations=True, group_places=30, group_places_taken=20)
    slot.refresh_from_db()
    return GroupRegistration.objects.create(
        site=w.site,
        slot=slot,
        high_school=w.high_school,
        pupils_count=20,
        contact_name="Mme Prof",
        contact_email="prof@lycee.example",
        **extra,
    )


def _next_weekday(day, weekday):
    return day + dt.timedelta(days=(weekday - day.weekday()) % 7)


def test_places_never_below_the_places_taken(in_site):
    w = in_site
    _taken(w.slot, 3)
    with pytest.raises(ValidationError) as error:
        services.update_slot(w.slot, {"individual_places": 2})
    assert "individual_places" in error.value.message_dict
    assert Slot.objects.get(pk=w.slot.pk).individual_places == 10
    services.update_slot(w.slot, {"individual_places": 3})
    assert Slot.objects.get(pk=w.slot.pk).individual_places == 3


def test_group_places_never_below_the_group_places_taken(in_site):
    w = in_site
    _group(w, w.slot)
    with pytest.raises(ValidationError) as error:
        services.update_slot(w.slot, {"group_places": 10})
    assert "group_places" in error.value.message_dict


def test_a_registration_mode_stays_on_while_it_has_registrations(in_site):
    w = in_site
    with pytest.raises(ValidationError) as error:
        services.update_slot(w.slot, {"allows_individual_registrations": False, "allows_group_registrations": True})
    assert "allows_individual_registrations" in error.value.message_dict
    _group(w, w.draft_slot)
    with pytest.raises(ValidationError) as error:
        services.update_slot(w.draft_slot, {"allows_group_registrations": False})
    assert "allows_group_registrations" in error.value.message_dict
    # Without active registrations, the mode can go.
    Registration.objects.filter(slot=w.slot).update(status=Status.CANCELLED, cancelled_at=timezone.now())
    services.update_slot(w.slot, {"allows_individual_registrations": False, "allows_group_registrations": True})


def test_editing_can_notify_the_registrants_of_a_change(in_site, django_capture_on_commit_callbacks):
    w = in_site
    with django_capture_on_commit_callbacks(execute=True):
        services.update_slot(w.slot, {"room": "B202"}, notify=False)
    assert mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        services.update_slot(w.slot, {"individual_places": 12}, notify=True)  # neither date nor place
    assert mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        services.update_slot(w.slot, {"start_time": dt.time(9), "room": "C303"}, notify=True)
    assert [m.to for m in mail.outbox] == [[w.pupil.email]]
    assert w.course.label in mail.outbox[0].subject
    assert "C303" in mail.outbox[0].body


def test_cancel_cancels_registrations_frees_places_and_tells_everyone(in_site, django_capture_on_commit_callbacks):
    w = in_site
    _taken(w.slot, 1)
    group = _group(w, w.slot)
    with django_capture_on_commit_callbacks(execute=True):
        told = services.cancel_slot(w.slot, "Enseignant malade", by=w.structure_referent)
    assert told == 2
    slot = Slot.objects.get(pk=w.slot.pk)
    assert slot.cancelled_at is not None and slot.cancellation_reason == "Enseignant malade"
    assert not slot.published
    assert (slot.individual_places_taken, slot.group_places_taken) == (0, 0)
    w.registration.refresh_from_db()
    group.refresh_from_db()
    assert w.registration.status == Status.CANCELLED and w.registration.cancelled_by == w.structure_referent
    assert group.status == Status.CANCELLED and group.cancelled_at is not None
    assert sorted(m.to[0] for m in mail.outbox) == sorted([w.pupil.email, "prof@lycee.example"])
    assert all("Enseignant malade" in m.body for m in mail.outbox)
    with pytest.raises(ValidationError):
        services.cancel_slot(w.slot, "encore", by=w.structure_referent)
    with pytest.raises(ValidationError):
        services.update_slot(w.slot, {"room": "X"})


def test_cancel_needs_a_reason(in_site):
    with pytest.raises(ValidationError):
        services.cancel_slot(in_site.slot, "  ")
    assert Slot.objects.get(pk=in_site.slot.pk).cancelled_at is None


def test_delete_only_without_any_registration_ever(in_site):
    w = in_site
    with translation.override("en"), pytest.raises(ValidationError) as error:
        services.delete_slot(w.slot)
    with translation.override("en"):
        assert "Cancel it instead" in error.value.messages[0]
    Registration.objects.filter(slot=w.slot).update(status=Status.CANCELLED, cancelled_at=timezone.now())
    with pytest.raises(ValidationError):
        services.delete_slot(w.slot)  # cancelled registrations still count
    services.delete_slot(w.draft_slot)
    assert not Slot.objects.filter(pk=w.draft_slot.pk).exists()


def test_duplicate_copies_everything_but_registrations(in_site):
    w = in_site
    level = HighSchoolLevel.objects.create(site=w.site, label="Terminale")
    w.slot.allowed_high_school_levels.add(level)
    _taken(w.slot, 1)
    copy, _warnings = services.duplicate_slot(w.slot, date=w.slot.date + dt.timedelta(days=7))
    assert copy.pk != w.slot.pk and copy.individual_places_taken == 0
    assert list(copy.allowed_high_school_levels.all()) == [level]
    assert list(copy.speakers.all()) == [w.speaker]
    assert (copy.campus, copy.room, copy.individual_places) == (w.slot.campus, "A101", 10)
    assert not copy.registrations.exists()


def _ten_dates(w):
    # Tuesdays, after the world's slots of this course (days 7 and 14), inside the period (90 days).
    first = _next_weekday(w.period.immersion_start + dt.timedelta(days=15), 1)
    return [first + dt.timedelta(weeks=n) for n in range(10)]


@pytest.mark.parametrize("policy", [Period.DeadlinePolicy.PERIOD, Period.DeadlinePolicy.SLOT])
def test_repeat_over_ten_dates_keeps_restrictions_and_deadlines_follow_the_policy(in_site, policy):
    w = in_site
    Period.objects.filter(pk=w.period.pk).update(
        deadline_policy=policy, registration_hours_before=48, cancellation_hours_before=72
    )
    w.slot.refresh_from_db()
    level = HighSchoolLevel.objects.create(site=w.site, label="Première")
    w.slot.allowed_high_school_levels.add(level)
    w.slot.allowed_high_schools.add(w.high_school)
    dates = _ten_dates(w)
    created, skipped, _warnings = services.repeat_slot(w.slot, [*dates, dates[0]])
    assert len(created) == 10 and skipped == []
    data = {s.pk: s for s in selectors.public_slot_data(w.site)}
    paris = timezone.get_default_timezone()
    for slot in created:
        public = data[slot.pk]
        assert public.restrictions["allowed_high_school_levels"] == [level.pk]
        assert public.restrictions["allowed_high_schools"] == [w.high_school.pk]
        start = timezone.make_aware(dt.datetime.combine(slot.date, dt.time(10)), paris)
        expected = (
            w.period.registration_end if policy == Period.DeadlinePolicy.PERIOD else start - dt.timedelta(hours=48)
        )
        assert public.registration_closes_at == min(expected, start)
        assert public.cancellation_closes_at == start - dt.timedelta(hours=72)
        assert public.registration_closes_at.tzinfo is not None
    # Repeating again skips the dates that already have the slot.
    again, skipped, _warnings = services.repeat_slot(w.slot, dates[:2])
    assert again == [] and skipped == dates[:2]


def test_a_slots_own_deadlines_win_and_move_with_copies(in_site):
    w = in_site
    deadline = selectors.slot_start(w.slot) - dt.timedelta(hours=5)
    services.update_slot(w.slot, {"registration_deadline": deadline})
    assert selectors.effective_deadlines(w.slot)[0] == deadline
    (copy,), _skipped, _warnings = services.repeat_slot(w.slot, [w.slot.date + dt.timedelta(days=1)])
    assert selectors.effective_deadlines(copy)[0] == deadline + dt.timedelta(days=1)


def test_warnings_for_sundays_holidays_vacations_and_outside_the_period(in_site):
    w = in_site
    start = w.period.immersion_start + dt.timedelta(days=20)  # away from the world's slots
    sunday = _next_weekday(start, 6)
    holiday = _next_weekday(start, 2)
    vacation_day = holiday + dt.timedelta(days=1)
    Holiday.objects.create(site=w.site, year=w.year, label="Fête", date=holiday)
    Vacation.objects.create(site=w.site, year=w.year, label="Hiver", start_date=vacation_day, end_date=vacation_day)
    outside = w.period.immersion_end + dt.timedelta(days=3)
    monday_ok = _next_weekday(start + dt.timedelta(days=10), 0)
    with translation.override("en"):
        created, _skipped, warnings = services.repeat_slot(w.slot, [sunday, holiday, vacation_day, outside, monday_ok])
        warnings = {day: [str(text) for text in texts] for day, texts in warnings.items()}
    assert len(created) == 5  # warnings never block
    assert "Sunday" in " ".join(warnings[sunday])
    assert "Fête" in " ".join(warnings[holiday])
    assert "Hiver" in " ".join(warnings[vacation_day])
    assert any("outside" in text for text in warnings[outside])
    assert monday_ok not in warnings


def test_bulk_update_is_all_or_nothing(in_site):
    w = in_site
    _taken(w.slot, 5)
    with pytest.raises(ValidationError) as error:
        services.bulk_update([w.draft_slot, w.slot], {"individual_places": 4, "published": True})
    assert any(w.course.label in m for m in error.value.messages)
    assert not Slot.objects.get(pk=w.draft_slot.pk).published
    assert Slot.objects.get(pk=w.draft_slot.pk).individual_places == 10
    level = HighSchoolLevel.objects.create(site=w.site, label="Seconde")
    services.bulk_update([w.draft_slot, w.slot], {"published": True}, m2m={"allowed_high_school_levels": [level]})
    assert Slot.objects.filter(pk__in=[w.slot.pk, w.draft_slot.pk], published=True).count() == 2
    assert list(w.draft_slot.allowed_high_school_levels.all()) == [level]
