"""A document must be readable as what it claims to be: a PDF parsed by pypdf, an image decoded by Pillow.

Before, a file starting with ``%PDF-`` and going on with a web page was kept as a PDF.
"""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from apps.attestations.models import Attestation, AttestationType
from apps.attestations.services import upload_attestation
from apps.tenancy.scoping import for_site, platform_job
from tests.admin.helpers import admin_url, form_data, with_values
from tests.core.upload_samples import (
    PDF_THEN_HTML,
    image_bytes,
    pdf_bytes,
    png_with_garbage,
    polyglot_jpeg,
    truncated_jpeg,
)

from .conftest import stored_files, upload

pytestmark = pytest.mark.django_db

MINE = reverse("attestations:mine")

REFUSED = [
    (PDF_THEN_HTML, "autorisation.pdf", "bad_pdf", "cannot be read"),
    (pdf_bytes()[:-200], "autorisation.pdf", "bad_pdf", "cannot be read"),
    (pdf_bytes(password="secret", owner_password="owner"), "autorisation.pdf", "encrypted_pdf", "password"),
    (png_with_garbage(), "photo.png", "bad_image", "cannot be read"),
    (polyglot_jpeg(), "photo.jpg", "bad_image", "cannot be read"),
    (truncated_jpeg(), "photo.jpg", "bad_image", "cannot be read"),
    (image_bytes("PNG")[:-30], "photo.png", "bad_image", "cannot be read"),
]
IDS = [
    "pdf-then-html",
    "truncated-pdf",
    "encrypted-pdf",
    "png-garbage",
    "polyglot-jpeg",
    "truncated-jpeg",
    "truncated-png",
]


@pytest.fixture
def english(client):
    client.cookies["django_language"] = "en"
    return client


@pytest.mark.parametrize("content, name, code, words", REFUSED, ids=IDS)
def test_the_service_refuses_files_that_only_start_like_a_document(
    in_site, types, private_media, content, name, code, words
):
    w = in_site
    with pytest.raises(ValidationError) as caught:
        upload_attestation(w.site, w.pupil, types.parental, upload(content, name))
    assert [e.code for e in caught.value.error_dict["file"]] == [code]
    assert not Attestation.objects.exists()
    assert stored_files(private_media) == []


@pytest.mark.parametrize("content, name, code, words", REFUSED, ids=IDS)
def test_the_documents_page_explains_the_refusal_next_to_the_field(
    client, english, world, types, private_media, content, name, code, words
):
    client.force_login(world.pupil)
    data = {"attestation_type": types.parental.pk, f"type{types.parental.pk}-file": upload(content, name)}
    response = client.post(MINE, data)
    assert response.status_code == 200
    page = response.content.decode()
    assert f'id="id_type{types.parental.pk}-file-error"' in page and words in page
    with for_site(world.site):
        assert not Attestation.objects.exists()
    assert stored_files(private_media) == []


def test_a_real_one_page_pdf_goes_through_the_documents_page(client, english, world, types, private_media):
    content = pdf_bytes()
    client.force_login(world.pupil)
    data = {"attestation_type": types.parental.pk, f"type{types.parental.pk}-file": upload(content, "scan.pdf")}
    response = client.post(MINE, data)
    assert response.status_code == 302
    with for_site(world.site):
        document = Attestation.objects.get(user=world.pupil)
    assert document.content_type == "application/pdf"
    assert (private_media / document.file.name).read_bytes() == content


def test_a_blank_template_is_checked_the_same_way_in_the_admin(client, world, private_media):
    client.force_login(world.master_referent)
    url = admin_url(AttestationType, "add")
    data = with_values(form_data(client.get(url), AttestationType), label="Modèle piégé")
    data["template_file"] = upload(PDF_THEN_HTML, "modele.pdf", "application/pdf")
    response = client.post(url, data)
    assert response.status_code == 200
    assert "template_file" in response.context["adminform"].form.errors
    with platform_job():
        assert not AttestationType.objects.filter(label="Modèle piégé").exists()
    assert stored_files(private_media) == []
