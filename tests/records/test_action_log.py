"""Every write of a record leaves its action-log row (who, what, about whom, what changed); a refused
write leaves none. One world, the cases in order."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from apps.audit.models import ActionLog
from apps.audit.services import HIDDEN
from apps.records import services
from apps.records.models import PupilRecord, VisitorRecord
from apps.tenancy.scoping import for_site
from tests.factories import make_user

from .conftest import years_ago

pytestmark = pytest.mark.django_db


def pupil_data(refs, world, **overrides):
    data = {
        "first_name": "Léa",
        "last_name": "Müller",
        "birth_date": years_ago(16),
        "phone": "06 12 34 56 78",
        "high_school": world.high_school,
        "level": refs.seconde,
        "bachelor_type": refs.pro,
        "class_name": "2nde 4",
        "has_disability": True,
        "consent_high_school_sees_immersions": False,
        "consent_name_visible_to_registrants": False,
    }
    return data | overrides


def test_each_step_of_a_record_leaves_its_row(world, refs):
    w = world
    with for_site(w.site):
        newcomer = make_user()
        visitor_record = w.visitor_record
        cases = [
            (
                "profile chosen",
                lambda: services.choose_profile(w.site, newcomer, "pupil"),
                [("records.record.created", newcomer, newcomer, {})],
            ),
            (
                "first save, sent for validation (the disability flag without its value)",
                lambda: services.save_record(w.site, newcomer, _record(w, newcomer), pupil_data(refs, w)),
                [("records.record.submitted", newcomer, newcomer, {"status": ["to_complete", "to_validate"]})],
            ),
            (
                "phone changed while waiting",
                lambda: services.save_record(
                    w.site, newcomer, _record(w, newcomer), pupil_data(refs, w, phone="07 00 00 00 00")
                ),
                [("records.record.changed", newcomer, newcomer, {"phone": ["06 12 34 56 78", "07 00 00 00 00"]})],
            ),
            (
                "saved as it was: nothing to log",
                lambda: services.save_record(
                    w.site, newcomer, _record(w, newcomer), pupil_data(refs, w, phone="07 00 00 00 00")
                ),
                [],
            ),
            (
                "rejected, with the reason",
                lambda: services.reject_record(w.site, w.master_referent, _record(w, newcomer), "Wrong school"),
                [("records.record.rejected", w.master_referent, newcomer, {"status": ["to_validate", "rejected"]})],
            ),
            (
                "rejection cancelled",
                lambda: services.undo_rejection(w.site, w.master_referent, _record(w, newcomer)),
                [("records.rejection.cancelled", w.master_referent, newcomer, {"status": ["rejected", "to_validate"]})],
            ),
            (
                "validated",
                lambda: services.validate_record(w.site, w.master_referent, _record(w, newcomer)),
                [("records.record.validated", w.master_referent, newcomer, {"status": ["to_validate", "validated"]})],
            ),
            (
                "bulk validation: one row per record",
                lambda: services.bulk_validate(
                    w.site, w.master_referent, [f"pupil:{w.other_pupil_record.pk}", "pupil:0", "nonsense"]
                ),
                [
                    (
                        "records.record.validated",
                        w.master_referent,
                        w.other_pupil,
                        {"status": ["to_validate", "validated"]},
                    )
                ],
            ),
            (
                "a visitor's motivation is logged without its value",
                lambda: services.save_record(
                    w.site,
                    w.visitor,
                    visitor_record,
                    {
                        "first_name": "Jo",
                        "last_name": "Durand",
                        "birth_date": years_ago(40),
                        "visitor_type": refs.teacher,
                        "motivation": "Private reasons",
                        "phone": "",
                    },
                ),
                [("records.record.submitted", w.visitor, w.visitor, {"motivation": [HIDDEN, HIDDEN]})],
            ),
        ]
        for name, act, expected in cases:
            seen = ActionLog.objects.count()
            act()
            rows = list(ActionLog.objects.order_by("pk")[seen:])
            assert [(r.action, r.actor_id, r.subject_id) for r in rows] == [
                (action, actor.pk, subject.pk) for action, actor, subject, _data in expected
            ], name
            for row, (_action, _actor, subject, changed) in zip(rows, expected, strict=True):
                assert row.object_label == str(_record(w, subject)), name
                for field, values in changed.items():
                    assert row.data["changed"][field] == values, (name, field)
        submitted, changed, rejected = ActionLog.objects.filter(subject=newcomer).order_by("pk")[1:4]
        assert submitted.data["changed"]["has_disability"] == [HIDDEN, HIDDEN]
        assert submitted.data["changed"]["level"] == [None, {"id": refs.seconde.pk, "label": str(refs.seconde)}]
        assert rejected.data["reason"] == "Wrong school"
        assert ActionLog.objects.filter(data__bulk=True).count() == 1


def test_refused_writes_leave_no_row(world, refs):
    w = world
    with for_site(w.site):
        record = w.other_pupil_record
        refusals = [
            (PermissionDenied, lambda: services.validate_record(w.site, w.host_high_school_referent, record)),
            (ValidationError, lambda: services.reject_record(w.site, w.master_referent, record, "  ")),
            (services.RecordError, lambda: services.undo_rejection(w.site, w.master_referent, record)),
            (ValidationError, lambda: services.save_record(w.site, w.other_pupil, record, {"first_name": "X"})),
            (PermissionDenied, lambda: services.save_record(w.site, w.pupil, record, pupil_data(refs, w))),
            (services.RecordError, lambda: services.choose_profile(w.site, w.master_referent, "pupil")),
        ]
        for error, act in refusals:
            with pytest.raises(error):
                act()
        outcome = services.bulk_validate(w.site, w.host_high_school_referent, [f"pupil:{record.pk}"])
        assert outcome.validated == []
        assert not ActionLog.objects.exists()


def test_a_student_completing_their_record_is_validated_at_once(world, refs, directory):
    w = world
    with for_site(w.site):
        record = w.student_record
        data = {"birth_date": years_ago(20), "phone": "", "institution": directory.uha, "level": refs.licence1}
        services.save_record(w.site, w.student, record, data | {"origin_bachelor_type": refs.general})
        row = ActionLog.objects.get()
    assert (row.action, row.actor_id, row.subject_id) == ("records.record.validated", w.student.pk, w.student.pk)
    assert row.data["automatic"] is True and row.data["changed"]["status"] == ["to_complete", "validated"]


def _record(world, person):
    model = VisitorRecord if person == world.visitor else PupilRecord
    return model.objects.select_related("user").get(site=world.site, user=person)


def test_the_review_page_shows_the_records_history(en, world):
    w = world
    record = w.other_pupil_record
    url = reverse("records:review", kwargs={"kind": "pupil", "pk": record.pk})
    en.force_login(w.master_referent)
    assert "Nothing recorded yet." in en.get(url).content.decode()
    with for_site(w.site):
        services.reject_record(w.site, w.master_referent, record, "Missing level")
    page = en.get(url).content.decode()
    assert "Record rejected" in page and "Missing level" in page and w.master_referent.last_name in page
