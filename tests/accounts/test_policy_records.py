"""Who sees and who decides on a record."""

import datetime as dt

import pytest
from django.utils import timezone

from apps.accounts.policy import Action, actor_for, can, record_validation_filter
from apps.organisations.models import HighSchool
from apps.records.models import PupilRecord

V, C, VALIDATE = Action.VIEW, Action.CHANGE, Action.VALIDATE


@pytest.fixture
def records(in_site):
    w = in_site
    without_agreement = HighSchool.objects.create(
        site=w.site, uai="0670003C", label="Lycée Marie Curie", city="Strasbourg"
    )
    expired = HighSchool.objects.create(
        site=w.site,
        uai="0670004D",
        label="Lycée Ancien",
        city="Colmar",
        agreement_start=timezone.localdate() - dt.timedelta(days=400),
        agreement_end=timezone.localdate() - dt.timedelta(days=1),
    )
    return {
        "agreement": w.pupil_record,
        "no_agreement": _moved(w.other_pupil_record, without_agreement),
        "expired": PupilRecord.objects.create(site=w.site, user=w.student, high_school=expired),
        "visitor": w.visitor_record,
    }


def _moved(record, high_school):
    record.high_school = high_school
    record.save()
    return record


CASES = [
    ("high_school_referent", "agreement", True),
    ("high_school_referent", "no_agreement", False),
    ("high_school_referent", "expired", False),
    ("high_school_referent", "visitor", False),
    ("host_high_school_referent", "agreement", False),
    ("establishment_referent", "agreement", False),
    ("establishment_referent", "no_agreement", True),
    ("establishment_referent", "expired", True),
    ("establishment_referent", "visitor", False),
    ("host_referent", "no_agreement", True),
    ("master_referent", "agreement", True),
    ("master_referent", "visitor", True),
    ("structure_referent", "no_agreement", False),
    ("speaker", "agreement", False),
    ("pupil", "agreement", False),  # their own record: never their own validator
    ("other_pupil", "agreement", False),
]


@pytest.mark.parametrize(("who", "record", "expected"), CASES)
def test_who_validates_which_record(in_site, records, who, record, expected):
    w = in_site
    user = getattr(w, who)
    assert can(user, VALIDATE, records[record], w.site) is expected
    model = type(records[record])
    listed = model.objects.filter(record_validation_filter(actor_for(user, w.site), model))
    assert (records[record] in listed) is expected


def test_a_record_is_seen_by_its_owner_and_its_validators_only(in_site, records):
    w = in_site
    assert can(w.pupil, V, records["agreement"], w.site)
    assert can(w.pupil, C, records["agreement"], w.site)
    assert not can(w.other_pupil, V, records["agreement"], w.site)
    assert not can(w.high_school_referent, C, records["agreement"], w.site)
    assert not can(w.structure_referent, V, records["agreement"], w.site)
    assert not can(w.speaker, V, records["visitor"], w.site)


def test_records_of_another_site_are_out_of_reach(in_site, records, other_world):
    assert not can(other_world.master_referent, VALIDATE, records["agreement"], in_site.site)


def test_which_kinds_of_record_each_role_decides_on(in_site):
    from apps.accounts.policy import validatable_record_models
    from apps.records.models import StudentRecord, VisitorRecord

    w = in_site

    def kinds(user):
        return set(validatable_record_models(actor_for(user, w.site)))

    assert kinds(w.master_referent) == {PupilRecord, StudentRecord, VisitorRecord}
    assert kinds(w.establishment_referent) == {PupilRecord}
    assert kinds(w.high_school_referent) == {PupilRecord}
    for who in ("structure_referent", "speaker", "consultant", "legal", "pupil", "visitor"):
        assert kinds(getattr(w, who)) == set(), who
