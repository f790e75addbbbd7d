"""Every write of the offer's services leaves its action-log row (``catalogue.*``), written by
the service: slots (created, changed old → new, published, cancelled with its reason and counts,
deleted, duplicated, repeated one row per slot, bulk one row per slot), courses and events
(created, changed, published, speakers, invitations, deleted); a refused write leaves none."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from apps.accounts.policy import actor_for
from apps.audit import context
from apps.audit.models import ActionLog
from apps.catalogue import offer_services
from apps.catalogue.models import Course, Event, Slot
from apps.registrations import slot_services as services
from apps.staff.services import InvitationMethod
from tests.factories import make_slot

pytestmark = pytest.mark.django_db


def _rows_of(write):
    """Run ``write``; the ``catalogue.*`` rows it left, oldest first."""
    last = ActionLog.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    with context.origin(ip="192.0.2.10"):
        write()
    return list(ActionLog.objects.filter(pk__gt=last, action__startswith="catalogue.").order_by("pk"))


def _summary(rows):
    return [(row.action, row.object_type, row.object_id) for row in rows]


def test_each_slot_service_leaves_its_rows(in_site):
    w = in_site
    by = w.establishment_referent
    today = timezone.localdate()
    fresh = Slot(
        site=w.site,
        course=w.course,
        course_type=w.course_type,
        period=w.period,
        date=today + dt.timedelta(days=20),
        start_time=dt.time(14),
        end_time=dt.time(16),
        campus=w.campus,
        individual_places=8,
    )
    spare = make_slot(w, w.course, days=30, published=False)
    made = {"spare_pk": spare.pk}

    def duplicate():
        made["copy"], _warnings = services.duplicate_slot(w.draft_slot, date=today + dt.timedelta(days=21), by=by)

    def repeat():
        days = [today + dt.timedelta(days=n) for n in (40, 47)]
        made["repeated"], _skipped, _warnings = services.repeat_slot(w.draft_slot, days, by=by)

    slot = "catalogue.slot"
    cases = [
        (
            "create",
            lambda: services.create_slot(fresh, m2m={"speakers": [w.speaker]}, by=by),
            lambda: [("catalogue.slot.created", slot, str(fresh.pk))],
            lambda rows: rows[0].data["individual_places"] == 8 and rows[0].data["date"] == fresh.date.isoformat(),
        ),
        (
            "edit, old → new",
            lambda: services.update_slot(
                w.draft_slot, {"room": "B202", "individual_places": 12}, m2m={"speakers": [w.speaker]}, by=by
            ),
            lambda: [("catalogue.slot.changed", slot, str(w.draft_slot.pk))],
            lambda rows: (
                rows[0].data["changed"]["room"] == ["A101", "B202"]
                and rows[0].data["changed"]["individual_places"] == [10, 12]
                and rows[0].data["changed"]["speakers"][1][0]["id"] == w.speaker.pk
            ),
        ),
        ("an edit changing nothing", lambda: services.update_slot(w.draft_slot, {"room": "B202"}, by=by), list, None),
        (
            "publish (bulk, one row per slot changed)",
            lambda: services.bulk_update([w.draft_slot, spare, w.slot], {"published": True}, by=by),
            lambda: [
                ("catalogue.slot.published", slot, str(w.draft_slot.pk)),
                ("catalogue.slot.published", slot, str(spare.pk)),
            ],
            None,
        ),
        (
            "bulk edit",
            lambda: services.bulk_update([w.draft_slot, spare], {"room": "C1"}, by=by),
            lambda: [
                ("catalogue.slot.changed", slot, str(w.draft_slot.pk)),
                ("catalogue.slot.changed", slot, str(spare.pk)),
            ],
            lambda rows: all(row.data == {"changed": {"room": [row.data["changed"]["room"][0], "C1"]}} for row in rows),
        ),
        (
            "unpublish",
            lambda: services.update_slot(spare, {"published": False}, by=by),
            lambda: [("catalogue.slot.unpublished", slot, str(spare.pk))],
            None,
        ),
        (
            "duplicate",
            duplicate,
            lambda: [("catalogue.slot.created", slot, str(made["copy"].pk))],
            lambda rows: rows[0].data["duplicate_of"]["id"] == w.draft_slot.pk,
        ),
        (
            "repeat: one row per new slot",
            repeat,
            lambda: [("catalogue.slot.created", slot, str(copy.pk)) for copy in made["repeated"]],
            lambda rows: {row.data["repeat_of"]["id"] for row in rows} == {w.draft_slot.pk},
        ),
        (
            "cancel: the reason and how many registrations",
            lambda: services.cancel_slot(w.slot, "Grève des transports", by=by),
            lambda: [("catalogue.slot.cancelled", slot, str(w.slot.pk))],
            lambda rows: (
                rows[0].data == {"reason": "Grève des transports", "registrations_cancelled": 1, "groups_cancelled": 0}
            ),
        ),
        (
            "delete",
            lambda: services.delete_slot(spare, by=by),
            lambda: [("catalogue.slot.deleted", slot, str(made["spare_pk"]))],
            None,
        ),
    ]
    for name, write, expected, check in cases:
        rows = _rows_of(write)
        assert _summary(rows) == expected(), name
        assert all(row.actor_id == by.pk and row.ip == "192.0.2.10" for row in rows), name
        assert all(row.establishment_id == w.master.pk for row in rows), name
        assert check is None or check(rows), (name, [row.data for row in rows])
    assert not Slot.objects.filter(pk=made["spare_pk"]).exists()

    refused = [
        lambda: services.update_slot(w.other_slot, {"individual_places": 0}, by=by),  # below the places taken
        lambda: services.update_slot(w.slot, {"room": "Z"}, by=by),  # cancelled
        lambda: services.cancel_slot(w.other_slot, "  ", by=by),  # no reason
        lambda: services.delete_slot(w.other_slot, by=by),  # people registered
        lambda: services.bulk_update([w.host_slot, w.other_slot], {"individual_places": 0}, by=by),  # all or nothing
    ]
    for write in refused:
        with pytest.raises(ValidationError):
            _rows_of(write)
    untouched = [str(w.other_slot.pk), str(w.host_slot.pk)]
    assert not ActionLog.objects.filter(object_type="catalogue.slot", object_id__in=untouched).exists()


def test_each_course_and_event_service_leaves_its_row(in_site):
    w = in_site
    master = actor_for(w.master_referent, w.site)
    made = {}

    def create_course():
        made["course"] = offer_services.create_course(master, w.site, training=w.training, label="Compilation")

    def create_event():
        made["event"] = offer_services.create_event(
            master, w.site, event_type=w.event_type, label="Visite", establishment=w.master
        )
        made["event_pk"] = made["event"].pk

    def invite():
        offer_services.invite_speaker(
            master,
            w.site,
            made["course"],
            email="ada@example.org",
            first_name="Ada",
            last_name="Lovelace",
            method=InvitationMethod.LOCAL,
        )

    def key(action, obj):
        return lambda: [(action, obj()._meta.label_lower, str(obj().pk))]

    def course():
        return made["course"]

    def event():
        return made["event"]

    cases = [
        ("create a course", create_course, key("catalogue.course.created", course), "label", "Compilation"),
        ("create an event", create_event, key("catalogue.event.created", event), "label", "Visite"),
        (
            "edit a course",
            lambda: offer_services.update_course(master, w.site, course(), label="Compilation avancée"),
            key("catalogue.course.changed", course),
            "changed",
            {"label": ["Compilation", "Compilation avancée"]},
        ),
        (
            "edit an event",
            lambda: offer_services.update_event(master, w.site, event(), description="Labos"),
            key("catalogue.event.changed", event),
            "changed",
            {"description": ["", "Labos"]},
        ),
        (
            "publish a course",
            lambda: offer_services.set_published(master, w.site, course(), True),
            key("catalogue.course.published", course),
            None,
            None,
        ),
        (
            "publish it again: nothing changes",
            lambda: offer_services.set_published(master, w.site, course(), True),
            list,
            None,
            None,
        ),
        (
            "unpublish an event",
            lambda: offer_services.set_published(master, w.site, w.event, False),
            lambda: [("catalogue.event.unpublished", "catalogue.event", str(w.event.pk))],
            None,
            None,
        ),
        (
            "set the speakers",
            lambda: offer_services.set_speakers(master, w.site, course(), [w.speaker], notify=False),
            key("catalogue.course.speakers_changed", course),
            "added",
            [{"id": w.speaker.pk, "label": str(w.speaker)}],
        ),
        ("invite a speaker", invite, key("catalogue.course.speaker_invited", course), "invited", True),
        (
            "delete an event",
            lambda: offer_services.delete_offer(master, w.site, event()),
            lambda: [("catalogue.event.deleted", "catalogue.event", str(made["event_pk"]))],
            None,
            None,
        ),
    ]
    for name, write, expected, field, value in cases:
        rows = _rows_of(write)
        assert _summary(rows) == expected(), name
        assert all(row.actor_id == w.master_referent.pk for row in rows), name
        assert field is None or rows[0].data[field] == value, (name, rows[0].data)
    assert not Event.objects.filter(pk=made["event_pk"]).exists()

    structure_referent = actor_for(w.structure_referent, w.site)
    refused = [
        (
            PermissionDenied,
            lambda: offer_services.create_course(structure_referent, w.site, training=w.other_training, label="X"),
        ),
        (PermissionDenied, lambda: offer_services.set_published(structure_referent, w.site, w.other_course, False)),
        (
            ValidationError,
            lambda: offer_services.create_course(master, w.site, training=w.training, label="algorithmique"),
        ),
        (ValidationError, lambda: offer_services.delete_offer(master, w.site, w.course)),  # it has slots
        (ValidationError, lambda: offer_services.set_speakers(master, w.site, w.course, [w.pupil])),
    ]
    for error, write in refused:
        with pytest.raises(error):
            _rows_of(write)
    untouched = [str(w.course.pk), str(w.other_course.pk)]
    assert not ActionLog.objects.filter(object_type="catalogue.course", object_id__in=untouched).exists()
    assert Course.objects.filter(label__iexact="algorithmique").count() == 1


def test_a_cancelled_slot_logs_each_registration_and_group_it_cancels(in_site):
    from apps.registrations.models import GroupRegistration

    w = in_site
    Slot.objects.filter(pk=w.slot.pk).update(allows_group_registrations=True, group_places=3, group_places_taken=1)
    group = GroupRegistration.objects.create(site=w.site, slot=w.slot, high_school=w.high_school, pupils_count=12)
    last = ActionLog.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    services.cancel_slot(w.slot, "Salle inondée", by=w.establishment_referent)
    rows = ActionLog.objects.filter(pk__gt=last).order_by("pk")
    engine = {(row.action, row.object_id): row for row in rows if row.action.startswith("registrations.")}
    assert set(engine) == {
        ("registrations.registration.cancelled", str(w.registration.pk)),
        ("registrations.group.cancelled", str(group.pk)),
    }
    assert all(row.actor_id == w.establishment_referent.pk for row in engine.values())
    assert engine["registrations.group.cancelled", str(group.pk)].data["pupils_count"] == 12
