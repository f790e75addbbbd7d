"""My documents page, the blank template download, and the partial for validators' pages."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.attestations.models import Attestation, AttestationType
from apps.attestations.services import upload_attestation
from apps.tenancy.scoping import for_site

from .conftest import HTML, PDF, image_bytes, in_a_year, stored_files, upload

pytestmark = pytest.mark.django_db

MINE = reverse("attestations:mine")
BETA = "beta.localhost"


@pytest.fixture
def english(client):
    client.cookies["django_language"] = "en"
    return client


def post_document(client, kind, file, validity_date=None, type_id=None):
    data = {"attestation_type": type_id or kind.pk, f"type{kind.pk}-file": file}
    if validity_date is not None:
        data[f"type{kind.pk}-validity_date"] = validity_date
    return client.post(MINE, data)


def test_anonymous_is_sent_to_sign_in(client, world):
    response = client.get(MINE)
    assert response.status_code == 302 and "next=" in response.url


def test_a_pupil_sees_the_documents_asked_of_them(client, english, world, types):
    client.force_login(world.pupil)
    response = client.get(MINE)
    assert response.status_code == 200
    page = response.content.decode()
    for kind in (types.parental, types.insurance, types.photo):
        assert kind.label in page
    for kind in (types.visitor, types.no_agreement, types.inactive):
        assert kind.label not in page
    assert page.count("<h1") == 1
    assert "Mandatory documents" in page and "Optional documents" in page
    assert page.count('enctype="multipart/form-data"') == 3
    assert page.count('type="date"') == 1  # the insurance certificate only
    assert f'aria-describedby="id_type{types.parental.pk}-file-help"' in page


def test_upload_end_to_end_then_renew(client, english, world, types, private_media):
    client.force_login(world.pupil)
    response = post_document(client, types.insurance, upload(PDF, "assurance.pdf"), in_a_year().isoformat())
    assert response.status_code == 302 and response.url == MINE
    with for_site(world.site):
        first = Attestation.objects.get(user=world.pupil, attestation_type=types.insurance)
    assert first.validity_date == in_a_year()

    page = client.get(MINE).content.decode()
    assert "has been received" in page
    assert "assurance.pdf" in page and reverse("attestations:download", args=[first.pk]) in page
    assert "Renew" in page

    response = post_document(client, types.insurance, upload(image_bytes("PNG"), "v2.png"), in_a_year().isoformat())
    assert response.status_code == 302
    with for_site(world.site):
        assert Attestation.objects.filter(user=world.pupil).count() == 2
        first.refresh_from_db()
    assert first.archived_at is not None
    page = client.get(MINE).content.decode()
    assert "1 earlier version" in page and reverse("attestations:download", args=[first.pk]) in page
    assert len(stored_files(private_media)) == 2


def test_a_refused_file_is_explained_next_to_the_field(client, english, world, types, private_media):
    client.force_login(world.pupil)
    response = post_document(client, types.insurance, upload(HTML, "evil.pdf"), "")
    assert response.status_code == 200
    page = response.content.decode()
    prefix = f"id_type{types.insurance.pk}"
    assert f'id="{prefix}-file-error"' in page and "not a PDF, JPEG or PNG" in page
    assert f'id="{prefix}-validity_date-error"' in page and "Give the date" in page
    assert f'aria-describedby="{prefix}-file-help {prefix}-file-error"' in page
    assert 'aria-invalid="true"' in page
    assert 'role="alert"' in page and f'href="#document-{types.insurance.pk}"' in page
    with for_site(world.site):
        assert not Attestation.objects.exists()
    assert stored_files(private_media) == []


def test_a_missing_file_or_a_bad_date_changes_nothing(client, english, world, types):
    client.force_login(world.pupil)
    response = client.post(MINE, {"attestation_type": types.parental.pk})
    assert response.status_code == 200 and "Choose a file" in response.content.decode()
    response = post_document(client, types.insurance, upload(), "31/02/2030")
    assert response.status_code == 200 and 'aria-invalid="true"' in response.content.decode()
    with for_site(world.site):
        assert not Attestation.objects.exists()


@pytest.mark.parametrize("type_id", ["", "abc", "999999", "visitor", "other_site"])
def test_a_type_not_asked_of_the_person_is_refused(client, english, world, types, other_types, type_id):
    kind = types.parental
    if type_id == "visitor":
        type_id = types.visitor.pk
    elif type_id == "other_site":
        type_id = other_types.parental.pk
    client.force_login(world.pupil)
    response = client.post(MINE, {"attestation_type": type_id, f"type{kind.pk}-file": upload()}, follow=True)
    assert response.status_code == 200
    assert "not asked of you" in response.content.decode()
    with for_site(world.site):
        assert not Attestation.objects.exists()


@pytest.mark.parametrize("who", ["visitor", "student", "high_school_referent"])
def test_other_people_see_their_own_list(client, english, world, types, who):
    client.force_login(getattr(world, who))
    page = client.get(MINE).content.decode()
    if who == "visitor":
        assert types.visitor.label in page and types.photo.label not in page
    else:
        assert "No document is asked of you" in page and '<form method="post" enctype' not in page


def test_the_page_is_the_sites_own(client, english, world, other_world, types, other_types):
    with for_site(world.site):
        upload_attestation(world.site, world.pupil, types.parental, upload(PDF, "alpha-only.pdf"))
    client.force_login(world.pupil)  # holds no record on the other site
    page = client.get(MINE, HTTP_HOST=BETA).content.decode()
    assert "alpha-only.pdf" not in page and types.parental.label not in page.replace(other_types.parental.label, "")


def count_queries(client):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(MINE).status_code == 200
    return len(queries)


def test_the_page_runs_a_constant_number_of_queries(client, world, types):
    with for_site(world.site):
        AttestationType.objects.exclude(pk=types.parental.pk).update(is_active=False)
    client.force_login(world.pupil)
    client.get(MINE)
    small = count_queries(client)
    with for_site(world.site):
        AttestationType.objects.update(is_active=True)
        for i in range(5):
            AttestationType.objects.create(site=world.site, label=f"Extra {i}", for_pupils_with_agreement=True)
        for _ in range(3):
            upload_attestation(world.site, world.pupil, types.parental, upload())
            upload_attestation(world.site, world.pupil, types.insurance, upload(), in_a_year())
    assert count_queries(client) == small


# --- Blank templates ----------------------------------------------------------------------


@pytest.fixture
def with_template(world, types):
    with for_site(world.site):
        types.parental.template_file = SimpleUploadedFile("modèle autorisation.pdf", PDF)  # as the admin does
        types.parental.save()
    return types.parental


def test_signed_in_people_download_the_blank_template(client, english, world, with_template, private_media):
    assert with_template.template_content_type == "application/pdf"
    assert "autorisation" not in with_template.template_file.name
    assert (private_media / with_template.template_file.name).exists()
    client.force_login(world.pupil)
    template_url = reverse("attestations:template", args=[with_template.pk])
    assert template_url in client.get(MINE).content.decode()
    response = client.get(template_url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    assert response["Content-Disposition"] == "attachment; filename*=utf-8''mod%C3%A8le%20autorisation.pdf"


def test_a_template_stored_by_code_gets_its_type_too(world, types, private_media, django_capture_on_commit_callbacks):
    with for_site(world.site), django_capture_on_commit_callbacks(execute=True):
        types.photo.template_file.save("ignored.png", ContentFile(image_bytes("PNG")))
        first = types.photo.template_file.name
        assert (types.photo.template_content_type, types.photo.template_original_name) == (
            "image/png",
            "Photo release.png",
        )
        types.photo.template_file.save("again.pdf", ContentFile(PDF))
    assert types.photo.template_content_type == "application/pdf"
    assert not (private_media / first).exists()  # the replaced template is removed
    assert stored_files(private_media) == [private_media / types.photo.template_file.name]


def test_template_refusals(client, world, other_world, types, with_template):
    template_url = reverse("attestations:template", args=[with_template.pk])
    assert client.get(template_url).status_code == 302  # anonymous: sign in first
    client.force_login(other_world.master_referent)
    assert client.get(template_url, HTTP_HOST=BETA).status_code == 404  # another site's id
    client.force_login(world.pupil)
    assert client.get(reverse("attestations:template", args=[types.insurance.pk])).status_code == 404  # none
    with for_site(world.site):
        AttestationType.objects.filter(pk=with_template.pk).update(is_active=False)
    assert client.get(template_url).status_code == 404


# --- The partial for validators' pages ----------------------------------------------------


def test_the_partial_needs_only_the_record(world, types):
    with for_site(world.site):
        document = upload_attestation(world.site, world.pupil, types.insurance, upload(PDF, "ok.pdf"), in_a_year())
        html = render_to_string("attestations/_record_documents.html", {"record": world.pupil_record})
        visitor_html = render_to_string("attestations/_record_documents.html", {"record": world.visitor_record})
    for kind in (types.parental, types.insurance, types.photo):
        assert kind.label in html
    assert reverse("attestations:download", args=[document.pk]) in html
    assert html.count('href="/documents/') == 1
    assert types.visitor.label in visitor_html and types.photo.label not in visitor_html


def test_the_date_picker_value_is_read_in_french_too(client, world, types):
    client.force_login(world.pupil)  # French, the site's default language
    response = post_document(client, types.insurance, upload(), in_a_year().isoformat())
    assert response.status_code == 302
    with for_site(world.site):
        assert Attestation.objects.get(user=world.pupil).validity_date == in_a_year()
