"""The validators' pages: who sees which records, validates, rejects, undoes; bulk validation."""

import datetime as dt

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import Role
from apps.records.models import PupilRecord, RecordStatus, VisitorRecord
from apps.tenancy.scoping import for_site
from tests.factories import grant, make_user

from .conftest import add_high_school, complete_pupil_record, pupil_post

PENDING = reverse("records:pending")
BULK = reverse("records:bulk_validate")


def review_url(record, action=""):
    kind = "pupil" if isinstance(record, PupilRecord) else "visitor"
    name = f"records:{action}" if action else "records:review"
    return reverse(name, kwargs={"kind": kind, "pk": record.pk})


def fresh(record):
    with for_site(record.site):
        return type(record).objects.get(pk=record.pk)


def pending_pupil(world, high_school=None, school_entry=None, **fields):
    with for_site(world.site):
        person = make_user(**fields.pop("user", {}))
        grant(person, world.site, Role.PUPIL)
        return PupilRecord.objects.create(
            site=world.site,
            user=person,
            high_school=high_school,
            school_entry=school_entry,
            status=RecordStatus.TO_VALIDATE,
            submitted_at=timezone.now(),
            **fields,
        )


@pytest.fixture
def other_school(world):
    """A second partner high school with an agreement, and its referent."""
    school = add_high_school(world.site, "Lycée Pasteur", "0680001B")
    with for_site(world.site):
        referent = make_user()
        grant(referent, world.site, Role.HIGH_SCHOOL_REFERENT, high_school=school)
    return school, referent


def test_pupil_fills_record_referent_validates_pupil_sees_it(en, world, refs, django_capture_on_commit_callbacks):
    pupil = make_user()
    en.force_login(pupil)
    en.post(reverse("records:home"), {"profile": "pupil"})
    assert en.post(reverse("records:edit"), pupil_post(refs, world.high_school)).status_code == 302
    with for_site(world.site):
        record = PupilRecord.objects.get(user=pupil)

    en.force_login(world.high_school_referent)
    page = en.get(PENDING).content.decode()
    assert review_url(record) in page
    assert en.get(review_url(record)).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        assert en.post(review_url(record, "validate")).status_code == 302
    record = fresh(record)
    assert record.status == RecordStatus.VALIDATED and record.validated_by == world.high_school_referent
    assert [m.to for m in mail.outbox] == [[pupil.email]]

    en.force_login(pupil)
    page = en.get(reverse("records:home")).content.decode()
    assert 'data-status="validated"' in page
    assert "you can register for immersions" in page


def test_rejection_with_reason_shown_to_the_pupil_then_undone(en, world, django_capture_on_commit_callbacks):
    record = world.other_pupil_record
    en.force_login(world.high_school_referent)
    response = en.post(review_url(record, "reject"), {"reason": "   "})
    assert response.status_code == 400
    assert fresh(record).status == RecordStatus.TO_VALIDATE
    with django_capture_on_commit_callbacks(execute=True):
        en.post(review_url(record, "reject"), {"reason": "Wrong <b>class</b> given, O'Neil."})
    record = fresh(record)
    assert record.status == RecordStatus.REJECTED and record.rejection_reason == "Wrong <b>class</b> given, O'Neil."
    assert [m.to for m in mail.outbox] == [[world.other_pupil.email]]
    assert "Wrong <b>class</b> given, O'Neil." in mail.outbox[0].body

    en.force_login(world.other_pupil)
    page = en.get(reverse("records:home")).content.decode()
    assert 'data-status="rejected"' in page
    assert "Wrong &lt;b&gt;class&lt;/b&gt; given, O&#x27;Neil." in page

    en.force_login(world.high_school_referent)
    assert en.post(review_url(record, "validate")).status_code == 302
    assert fresh(record).status == RecordStatus.REJECTED  # a rejected record is not validated directly
    en.post(review_url(record, "undo_rejection"))
    record = fresh(record)
    assert record.status == RecordStatus.TO_VALIDATE and record.rejection_reason == ""


def test_a_rejected_record_saved_again_goes_back_to_validation(en, world, refs):
    record = world.other_pupil_record
    en.force_login(world.high_school_referent)
    en.post(review_url(record, "reject"), {"reason": "Missing level."})
    en.force_login(world.other_pupil)
    assert en.post(reverse("records:edit"), pupil_post(refs, world.high_school)).status_code == 302
    assert fresh(record).status == RecordStatus.TO_VALIDATE


def test_high_school_referent_sees_and_validates_only_their_school(en, world, other_school):
    school, referent = other_school
    mine = pending_pupil(world, high_school=school, has_disability=True)
    theirs = world.other_pupil_record
    theirs.has_disability = True
    with for_site(world.site):
        theirs.save()

    en.force_login(referent)
    page = en.get(PENDING).content.decode()
    assert review_url(mine) in page and review_url(theirs) not in page
    assert theirs.user.last_name not in page
    assert page.count("disability-flag") == 1  # their own pupil's flag only
    assert en.get(review_url(theirs)).status_code == 404
    assert en.post(review_url(theirs, "validate")).status_code == 404
    assert en.post(review_url(theirs, "reject"), {"reason": "no"}).status_code == 404

    keys = [f"pupil:{mine.pk}", f"pupil:{theirs.pk}", "pupil:999999", "junk"]
    response = en.post(BULK, {"records": keys}, follow=True)
    assert fresh(mine).status == RecordStatus.VALIDATED
    assert fresh(theirs).status == RecordStatus.TO_VALIDATE
    assert "3 records ignored" in response.content.decode()

    en.force_login(world.high_school_referent)
    page = en.get(PENDING).content.decode()
    assert "disability-flag" in page  # the validator of the record sees the flag
    assert en.get(review_url(theirs)).status_code == 200


def test_establishment_referents_validate_schools_without_agreement_only(en, world, directory):
    no_agreement = pending_pupil(world, high_school=world.host_high_school)
    from_directory = pending_pupil(world, school_entry=directory.monnet)
    with_agreement = world.other_pupil_record
    for referent in (world.establishment_referent, world.host_referent):
        en.force_login(referent)
        page = en.get(PENDING).content.decode()
        assert review_url(no_agreement) in page and review_url(from_directory) in page
        assert review_url(with_agreement) not in page
        assert en.get(review_url(with_agreement)).status_code == 404
    en.post(BULK, {"records": [f"pupil:{with_agreement.pk}", f"pupil:{no_agreement.pk}"]})
    assert fresh(with_agreement).status == RecordStatus.TO_VALIDATE
    assert fresh(no_agreement).status == RecordStatus.VALIDATED
    assert en.post(review_url(from_directory, "validate")).status_code == 302
    assert fresh(from_directory).status == RecordStatus.VALIDATED


def test_high_school_referent_may_see_but_not_validate_without_agreement(en, world):
    with for_site(world.site):
        world.high_school.agreement_start = None
        world.high_school.save()
    en.force_login(world.high_school_referent)
    assert world.other_pupil_record.user.last_name not in en.get(PENDING).content.decode()
    assert en.get(review_url(world.other_pupil_record)).status_code == 403
    assert en.post(review_url(world.other_pupil_record, "validate")).status_code == 403
    assert fresh(world.other_pupil_record).status == RecordStatus.TO_VALIDATE


def test_master_referent_validates_visitors_and_filters(en, world, refs):
    visitor = world.visitor_record
    visitor.status, visitor.submitted_at = RecordStatus.TO_VALIDATE, timezone.now()
    with for_site(world.site):
        visitor.save()
    en.force_login(world.master_referent)
    page = en.get(PENDING).content.decode()
    assert review_url(visitor) in page and review_url(world.other_pupil_record) in page
    page = en.get(PENDING, {"kind": "visitor"}).content.decode()
    assert review_url(visitor) in page and review_url(world.other_pupil_record) not in page
    page = en.get(PENDING, {"high_school": world.high_school.pk}).content.decode()
    assert review_url(visitor) not in page and review_url(world.other_pupil_record) in page
    page = en.get(PENDING, {"q": world.visitor.last_name.lower()}).content.decode()
    assert review_url(visitor) in page and review_url(world.other_pupil_record) not in page
    page = en.get(PENDING, {"status": "validated"}).content.decode()
    assert review_url(world.pupil_record) in page and review_url(visitor) not in page
    for garbage in ({"level": "x"}, {"high_school": "999999"}, {"status": "zzz"}, {"page": "-3"}, {"kind": "?"}):
        assert en.get(PENDING, garbage).status_code == 200
    en.post(BULK, {"records": [f"visitor:{visitor.pk}"]})
    assert fresh(visitor).status == RecordStatus.VALIDATED


def test_other_site_validator_sees_nothing(world, other_world, client):
    client.force_login(other_world.master_referent)
    page = client.get(PENDING, HTTP_HOST="beta.localhost").content.decode()
    assert world.other_pupil.last_name not in page
    response = client.get(review_url(world.other_pupil_record), HTTP_HOST="beta.localhost")
    assert response.status_code == 404
    client.post(BULK, {"records": [f"pupil:{world.other_pupil_record.pk}"]}, HTTP_HOST="beta.localhost")
    assert fresh(world.other_pupil_record).status == RecordStatus.TO_VALIDATE
    # ...and on this site, they are nobody.
    assert client.get(PENDING).status_code == 403


@pytest.mark.parametrize("who", ["pupil", "speaker", "consultant", "structure_referent", "legal", "student"])
def test_registrants_and_other_staff_get_403(client, world, who):
    client.force_login(getattr(world, who))
    record = world.other_pupil_record
    assert client.get(PENDING).status_code == 403
    assert client.get(review_url(record)).status_code == 403
    assert client.post(review_url(record, "validate")).status_code == 403
    assert client.post(BULK, {"records": [f"pupil:{record.pk}"]}).status_code == 403
    assert fresh(record).status == RecordStatus.TO_VALIDATE


def test_anonymous_is_sent_to_sign_in(client, world, settings):
    settings.LOGIN_URL = "/sign-in/"
    record = world.other_pupil_record
    for response in (client.get(PENDING), client.get(review_url(record)), client.post(review_url(record, "validate"))):
        assert response.status_code == 302 and response.url.startswith("/sign-in/")
    assert fresh(record).status == RecordStatus.TO_VALIDATE


def test_nobody_validates_their_own_record(client, world, refs):
    with for_site(world.site):
        own = VisitorRecord.objects.create(
            site=world.site, user=world.master_referent, status=RecordStatus.TO_VALIDATE, submitted_at=timezone.now()
        )
    client.force_login(world.master_referent)
    client.post(BULK, {"records": [f"visitor:{own.pk}"]})
    assert fresh(own).status == RecordStatus.TO_VALIDATE


def test_review_page_and_huge_or_unknown_ids(client, world):
    client.force_login(world.master_referent)
    assert client.get(reverse("records:review", kwargs={"kind": "pupil", "pk": 10**30})).status_code == 404
    assert client.get(reverse("records:review", kwargs={"kind": "teacher", "pk": 1})).status_code == 404
    assert client.get(reverse("records:review", kwargs={"kind": "pupil", "pk": 999999})).status_code == 404


def test_validation_list_runs_a_constant_number_of_queries(client, world, refs, other_school):
    school, _referent = other_school
    long_ago = timezone.now() - dt.timedelta(days=30)
    with for_site(world.site):  # every kind on the first page, whatever the number of pupils
        for record in (world.visitor_record, world.student_record):
            record.status, record.submitted_at = RecordStatus.TO_VALIDATE, long_ago
            record.save()
    client.force_login(world.master_referent)
    client.get(PENDING)  # warms the host-name cache

    def count_queries():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(PENDING)
        assert response.status_code == 200
        return len(queries), response.content.decode()

    for _ in range(5):
        complete_pupil_record(pending_pupil(world, high_school=school), refs, status=RecordStatus.TO_VALIDATE)
    few, page = count_queries()
    assert review_url(world.visitor_record) in page
    for _ in range(20):
        record = pending_pupil(world, high_school=world.high_school)
        complete_pupil_record(record, refs, status=RecordStatus.TO_VALIDATE)
    many, page = count_queries()
    assert review_url(world.visitor_record) in page and "page=2" in page
    assert many == few
