"""The master referent defines the document types in the admin; documents are read only there."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from apps.attestations.models import Attestation, AttestationType
from apps.attestations.services import upload_attestation
from apps.tenancy.scoping import for_site, platform_job
from tests.admin.helpers import admin_url, form_data, with_values

from .conftest import HTML, PDF, stored_files, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def master(client, world):
    client.force_login(world.master_referent)
    return client


def test_the_master_referent_adds_a_type_with_a_blank_template(master, world, private_media, settings):
    url = admin_url(AttestationType, "add")
    data = with_values(
        form_data(master.get(url), AttestationType),
        label="Autorisation parentale",
        for_pupils_with_agreement="on",
        minors_only="on",
    )
    data["template_file"] = SimpleUploadedFile("modèle.pdf", PDF, content_type="application/pdf")
    response = master.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    with for_site(world.site):
        kind = AttestationType.objects.get(label="Autorisation parentale")
    assert kind.site_id == world.site.pk and kind.minors_only and kind.mandatory
    assert kind.template_original_name == "modèle.pdf" and kind.template_content_type == "application/pdf"
    assert stored_files(private_media) == [private_media / kind.template_file.name]
    assert stored_files(settings.MEDIA_ROOT) == []

    page = master.get(admin_url(AttestationType, "change", kind.pk))
    assert page.status_code == 200
    content = page.content.decode()
    assert "modèle.pdf" in content and reverse("attestations:template", args=[kind.pk]) in content
    assert kind.template_file.name not in content


def test_a_template_that_is_not_a_document_is_a_form_error(master, world, private_media):
    url = admin_url(AttestationType, "add")
    data = with_values(form_data(master.get(url), AttestationType), label="Piège")
    data["template_file"] = SimpleUploadedFile("modele.pdf", HTML, content_type="application/pdf")
    response = master.post(url, data)
    assert response.status_code == 200
    assert "template_file" in response.context["adminform"].form.errors
    with platform_job():
        assert not AttestationType.objects.filter(label="Piège").exists()
    assert stored_files(private_media) == []


def test_documents_are_read_only_and_never_show_a_file_url(master, world, types):
    with for_site(world.site):
        document = upload_attestation(world.site, world.pupil, types.parental, upload(PDF, "autorisation.pdf"))
    listing = master.get(admin_url(Attestation))
    assert listing.status_code == 200 and "autorisation.pdf" in listing.content.decode()
    page = master.get(admin_url(Attestation, "change", document.pk))
    assert page.status_code == 200
    content = page.content.decode()
    assert reverse("attestations:download", args=[document.pk]) in content
    assert document.file.name not in content
    assert master.get(admin_url(Attestation, "add")).status_code == 403
    assert master.get(admin_url(Attestation, "delete", document.pk)).status_code == 403
    master.post(admin_url(Attestation, "change", document.pk), {"archived_at_0": "2020-01-01"})
    document.refresh_from_db()
    assert document.archived_at is None


def test_a_type_in_use_cannot_be_deleted(master, world, types):
    with for_site(world.site):
        upload_attestation(world.site, world.pupil, types.parental, upload())
    master.post(admin_url(AttestationType, "delete", types.parental.pk), {"post": "yes"})
    with for_site(world.site):
        assert AttestationType.objects.filter(pk=types.parental.pk).exists()
