"""Which documents a record needs: per profile, minors only, mandatory or optional."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apps.attestations import selectors
from apps.attestations.models import Attestation
from apps.attestations.services import upload_attestation
from apps.directories.models import SchoolDirectoryEntry
from apps.tenancy.scoping import for_site

from .conftest import in_a_year, make_pupil, upload, years_before

pytestmark = pytest.mark.django_db


def labels(types):
    return [t.label for t in types]


def test_pupil_of_a_high_school_with_an_agreement(in_site, types):
    w = in_site
    assert w.high_school.has_agreement()
    assert selectors.required_types(w.pupil_record) == [types.parental, types.insurance, types.photo]


@pytest.mark.parametrize("school", ["without_agreement", "directory", "none"])
def test_pupil_of_a_high_school_without_an_agreement(in_site, types, school):
    w = in_site
    fields = {}
    if school == "without_agreement":
        fields["high_school"] = w.host_high_school
    elif school == "directory":
        fields["school_entry"] = SchoolDirectoryEntry.objects.create(uai="0679999Z", label="Lycée lointain")
    _user, record = make_pupil(w, **fields)
    with for_site(w.site):
        assert selectors.required_types(record) == [types.parental, types.insurance, types.no_agreement]


def test_an_agreement_that_ended_changes_the_profile(in_site, types):
    w = in_site
    later = w.high_school.agreement_start + dt.timedelta(days=30)
    w.high_school.agreement_end = later
    w.high_school.save()
    assert types.photo in selectors.required_types(w.pupil_record, on=later)
    assert types.no_agreement in selectors.required_types(w.pupil_record, on=later + dt.timedelta(days=1))


def test_visitor_and_student(in_site, types):
    w = in_site
    # The visitor's record has no birth date: not known as a minor.
    assert selectors.required_types(w.visitor_record) == [types.insurance, types.visitor]
    w.visitor_record.birth_date = years_before(timezone.localdate(), 15)
    assert selectors.required_types(w.visitor_record) == [types.parental, types.insurance, types.visitor]
    assert selectors.required_types(w.student_record) == []
    assert selectors.document_status(w.student_record) == []
    assert selectors.missing_mandatory(w.student_record) == []


def test_other_sites_types_never_apply(in_site, types, other_types):
    w = in_site
    assert all(t.site_id == w.site.pk for t in selectors.required_types(w.pupil_record))


def test_a_pupil_turning_18_tomorrow_needs_the_minors_documents_today_only(in_site, types):
    w = in_site
    today = timezone.localdate()
    birthday = next(d for d in (today + dt.timedelta(days=n) for n in range(1, 5)) if (d.month, d.day) != (2, 29))
    eve = birthday - dt.timedelta(days=1)
    w.pupil_record.birth_date = years_before(birthday, 18)
    w.pupil_record.save()
    assert types.parental in selectors.required_types(w.pupil_record, on=eve)
    assert types.parental in selectors.missing_mandatory(w.pupil_record, on=eve)
    assert types.parental not in selectors.required_types(w.pupil_record, on=birthday)
    assert types.parental not in selectors.missing_mandatory(w.pupil_record, on=birthday)


def test_missing_mandatory_ignores_optional_documents(in_site, types):
    w = in_site
    assert selectors.missing_mandatory(w.pupil_record) == [types.parental, types.insurance]
    statuses = {s.attestation_type: s for s in selectors.document_status(w.pupil_record)}
    assert statuses[types.photo].state == selectors.MISSING and not statuses[types.photo].mandatory

    upload_attestation(w.site, w.pupil, types.parental, upload())
    upload_attestation(w.site, w.pupil, types.insurance, upload(), in_a_year())
    assert selectors.missing_mandatory(w.pupil_record) == []
    statuses = {s.attestation_type: s for s in selectors.document_status(w.pupil_record)}
    assert statuses[types.insurance].is_valid and statuses[types.insurance].attestation.validity_date == in_a_year()
    assert statuses[types.photo].attestation is None  # still missing, but optional


def test_an_expired_or_archived_document_is_not_valid(in_site, types):
    w = in_site
    today = timezone.localdate()
    w.high_school.agreement_start = today - dt.timedelta(days=30)
    w.high_school.save()
    upload_attestation(w.site, w.pupil, types.parental, upload())
    insurance = upload_attestation(w.site, w.pupil, types.insurance, upload(), in_a_year())

    Attestation.objects.filter(pk=insurance.pk).update(validity_date=today)
    assert selectors.missing_mandatory(w.pupil_record) == []  # valid through its last day
    Attestation.objects.filter(pk=insurance.pk).update(validity_date=today - dt.timedelta(days=1))
    statuses = {s.attestation_type: s for s in selectors.document_status(w.pupil_record)}
    assert statuses[types.insurance].state == selectors.EXPIRED
    assert selectors.missing_mandatory(w.pupil_record) == [types.insurance]
    # Checking on an earlier day, it was still valid.
    assert selectors.missing_mandatory(w.pupil_record, on=today - dt.timedelta(days=1)) == []

    Attestation.objects.filter(pk=insurance.pk).update(validity_date=None, archived_at=timezone.now())
    assert selectors.missing_mandatory(w.pupil_record) == [types.insurance]


def test_another_persons_documents_do_not_count(in_site, types):
    w = in_site
    upload_attestation(w.site, w.pupil, types.parental, upload())
    _other, record = make_pupil(w, high_school=w.high_school)
    with for_site(w.site):
        assert types.parental in selectors.missing_mandatory(record)


def count_queries(func, *args):
    with CaptureQueriesContext(connection) as queries:
        func(*args)
    return len(queries)


def test_status_reads_a_fixed_number_of_queries(in_site, types):
    w = in_site
    record = type(w.pupil_record).objects.get(pk=w.pupil_record.pk)  # nothing cached
    before = count_queries(selectors.document_status, record)
    for _ in range(3):
        upload_attestation(w.site, w.pupil, types.parental, upload())
        upload_attestation(w.site, w.pupil, types.photo, upload())
    record = type(w.pupil_record).objects.get(pk=w.pupil_record.pk)
    assert count_queries(selectors.document_status, record) == before <= 3
    assert count_queries(selectors.my_documents, w.site, w.pupil) <= 4
