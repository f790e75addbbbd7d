"""The upload service: content and size checks, validity dates, renewal, nothing left on refusal."""

import datetime as dt

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from apps.attestations.models import Attestation
from apps.attestations.services import upload_attestation
from apps.tenancy.scoping import for_site

from .conftest import EXE, HTML, PDF, image_bytes, in_a_year, make_pupil, stored_files, upload, zip_bytes

pytestmark = pytest.mark.django_db


def codes(error, field):
    return [e.code for e in error.error_dict[field]]


@pytest.mark.parametrize(
    "content, name, expected",
    [
        (PDF, "autorisation.pdf", "application/pdf"),
        (image_bytes("PNG"), "photo.png", "image/png"),
        (image_bytes("JPEG"), "scan.jpeg", "image/jpeg"),
    ],
)
def test_real_documents_are_accepted_and_stored_privately(
    in_site, types, private_media, settings, content, name, expected
):
    w = in_site
    attestation = upload_attestation(w.site, w.pupil, types.parental, upload(content, name, "application/octet-stream"))

    assert attestation.content_type == expected  # from the content, not from what the browser said
    assert attestation.size == len(content)
    assert attestation.original_name.split(".")[0] == name.split(".")[0]
    assert attestation.archived_at is None and attestation.validity_date is None
    files = stored_files(private_media)
    assert len(files) == 1 and files[0].read_bytes() == content
    assert name.split(".")[0] not in str(files[0])  # a random name on disk
    assert stored_files(settings.MEDIA_ROOT) == []
    with pytest.raises(ValueError):
        attestation.file.url  # noqa: B018 - private files have no URL


@pytest.mark.parametrize(
    "content, name",
    [
        (HTML, "autorisation.pdf"),
        (zip_bytes(), "autorisation.pdf"),
        (EXE, "autorisation.pdf"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "photo.png"),
        (b"GIF89a" + b"\x00" * 64, "photo.gif"),
    ],
    ids=["html", "zip", "exe", "fake-png", "gif"],
)
def test_anything_else_is_refused_whatever_its_name(in_site, types, private_media, content, name):
    w = in_site
    with pytest.raises(ValidationError) as caught:
        upload_attestation(w.site, w.pupil, types.parental, upload(content, name))
    assert codes(caught.value, "file") == ["bad_type"]
    assert "PDF" in caught.value.message_dict["file"][0]
    assert not Attestation.objects.exists()
    assert stored_files(private_media) == []


def test_an_empty_file_is_refused(in_site, types, private_media):
    w = in_site
    with pytest.raises(ValidationError) as caught:
        upload_attestation(w.site, w.pupil, types.parental, upload(b""))
    assert codes(caught.value, "file") == ["empty"]
    with pytest.raises(ValidationError) as caught:
        upload_attestation(w.site, w.pupil, types.parental, None)
    assert codes(caught.value, "file") == ["required"]
    assert not Attestation.objects.exists() and stored_files(private_media) == []


def test_a_file_over_the_limit_is_refused(in_site, types, private_media, settings):
    w = in_site
    settings.MAX_UPLOAD_SIZE = len(PDF) - 1
    with pytest.raises(ValidationError) as caught:
        upload_attestation(w.site, w.pupil, types.parental, upload(PDF))
    assert codes(caught.value, "file") == ["too_large"]
    assert not Attestation.objects.exists() and stored_files(private_media) == []
    settings.MAX_UPLOAD_SIZE = len(PDF)
    upload_attestation(w.site, w.pupil, types.parental, upload(PDF))


@pytest.mark.parametrize("days, code", [(None, "validity_required"), (0, "validity_past"), (-1, "validity_past")])
def test_the_validity_date_is_required_and_in_the_future(in_site, types, private_media, days, code):
    w = in_site
    date = None if days is None else timezone.localdate() + dt.timedelta(days=days)
    with pytest.raises(ValidationError) as caught:
        upload_attestation(w.site, w.pupil, types.insurance, upload(), date)
    assert codes(caught.value, "validity_date") == [code]
    assert not Attestation.objects.exists() and stored_files(private_media) == []


def test_every_error_is_reported_at_once(in_site, types):
    w = in_site
    with pytest.raises(ValidationError) as caught:
        upload_attestation(w.site, w.pupil, types.insurance, upload(HTML), None)
    assert set(caught.value.error_dict) == {"file", "validity_date"}


def test_a_type_that_does_not_apply_is_refused(in_site, types, other_types, private_media):
    w = in_site
    for kind in (types.visitor, types.no_agreement, types.inactive, other_types.parental):
        with pytest.raises(ValidationError) as caught:
            upload_attestation(w.site, w.pupil, kind, upload())
        assert NON_FIELD_ERRORS in caught.value.error_dict
    # Staff and students have no document to send.
    with pytest.raises(ValidationError):
        upload_attestation(w.site, w.student, types.insurance, upload(), in_a_year())
    with pytest.raises(ValidationError):
        upload_attestation(w.site, w.high_school_referent, types.parental, upload())
    assert not Attestation.objects.exists() and stored_files(private_media) == []


def test_a_pupil_who_is_18_no_longer_sends_the_minors_documents(in_site, types):
    w = in_site
    adult, _record = make_pupil(w, high_school=w.high_school, birth_date=dt.date(2000, 1, 1))
    with for_site(w.site), pytest.raises(ValidationError):
        upload_attestation(w.site, adult, types.parental, upload())


def test_renewal_archives_the_previous_document_and_keeps_its_file(in_site, types, private_media):
    w = in_site
    first = upload_attestation(w.site, w.pupil, types.insurance, upload(PDF, "old.pdf"), in_a_year())
    second = upload_attestation(
        w.site, w.pupil, types.insurance, upload(image_bytes("PNG"), "new.png"), in_a_year() + dt.timedelta(days=1)
    )

    first.refresh_from_db()
    assert first.archived_at is not None and second.archived_at is None
    assert first.file.name != second.file.name
    assert len(stored_files(private_media)) == 2
    assert first.file.storage.exists(first.file.name)
    current = Attestation.objects.filter(user=w.pupil, attestation_type=types.insurance, archived_at__isnull=True)
    assert list(current) == [second]


def test_the_database_allows_one_current_document_per_person_and_type(in_site, types):
    w = in_site
    current = upload_attestation(w.site, w.pupil, types.parental, upload())
    with pytest.raises(IntegrityError), transaction.atomic():
        Attestation.objects.create(
            site=w.site,
            user=w.pupil,
            attestation_type=types.parental,
            file="x.pdf",
            original_name="x.pdf",
            content_type="application/pdf",
            size=1,
        )
    Attestation.objects.filter(pk=current.pk).update(archived_at=timezone.now())
    upload_attestation(w.site, w.pupil, types.parental, upload())


def test_the_file_is_removed_when_the_transaction_fails(in_site, types, private_media, monkeypatch):
    w = in_site
    first = upload_attestation(w.site, w.pupil, types.parental, upload())

    def broken_save(self, *args, **kwargs):
        raise RuntimeError("database down")

    monkeypatch.setattr(Attestation, "save", broken_save)
    with pytest.raises(RuntimeError):
        upload_attestation(w.site, w.pupil, types.parental, upload(image_bytes("PNG"), "b.png"))
    assert stored_files(private_media) == [private_media / first.file.name]
    first.refresh_from_db()
    assert first.archived_at is None  # the archiving was rolled back too


def test_a_concurrent_renewal_is_a_clear_error(in_site, types, private_media, monkeypatch):
    w = in_site
    upload_attestation(w.site, w.pupil, types.parental, upload())

    def conflicting_save(self, *args, **kwargs):
        raise IntegrityError("attestation_one_current_per_person_and_type")

    monkeypatch.setattr(Attestation, "save", conflicting_save)
    with pytest.raises(ValidationError) as caught:
        upload_attestation(w.site, w.pupil, types.parental, upload())
    assert NON_FIELD_ERRORS in caught.value.error_dict
    assert len(stored_files(private_media)) == 1


def test_deleting_documents_removes_their_files(in_site, types, private_media, django_capture_on_commit_callbacks):
    w = in_site
    upload_attestation(w.site, w.pupil, types.parental, upload())
    upload_attestation(w.site, w.pupil, types.parental, upload())
    assert len(stored_files(private_media)) == 2
    # Deleting rows (directly, or by cascade from the account or the site) removes their files.
    with django_capture_on_commit_callbacks(execute=True):
        Attestation.objects.filter(user=w.pupil).delete()
    assert stored_files(private_media) == []
