"""Every upload page reads the whole file: class lists, accompanying documents, logos (site and admin)."""

import pytest
from django.urls import reverse

from apps.content.models import AccompanyingDocument
from apps.organisations.models import Establishment
from apps.tenancy.models import Site
from apps.tenancy.scoping import for_site
from tests.admin.helpers import admin_url, form_data, with_values
from tests.backoffice.test_reference_settings import settings_data
from tests.registrations.test_referent_groups import form_data as group_data
from tests.registrations.test_referent_groups import group_slot, groups_of

from .upload_samples import (
    PDF_THEN_HTML,
    fake_xlsx,
    image_bytes,
    pdf_bytes,
    png_header_only,
    png_with_garbage,
    polyglot_jpeg,
    truncated_jpeg,
    upload,
    xlsx_bytes,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def en(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.MEDIA_ROOT = tmp_path / "public"
    return tmp_path


def files_in(root):
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


# --- Class lists ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "content, name, words",
    [
        (PDF_THEN_HTML, "liste.pdf", "claims to be a PDF document but it cannot be read"),
        (pdf_bytes(password="secret", owner_password="owner"), "liste.pdf", "protected by a password"),
        (xlsx_bytes()[:-300], "liste.xlsx", "This spreadsheet cannot be opened"),
        (
            fake_xlsx(PDF_THEN_HTML),
            "liste.xlsx",
            "This spreadsheet cannot be opened",
        ),
    ],
    ids=["pdf-then-html", "encrypted-pdf", "truncated-xlsx", "fake-xlsx"],
)
def test_a_class_list_is_read_whole(en, world, media, content, name, words):
    slot = group_slot(world)
    en.force_login(world.high_school_referent)
    url = reverse("registrations:register_group", args=[slot.pk])
    response = en.post(url, group_data(class_list=upload(content, name)))
    assert response.status_code == 400 and words in response.content.decode()
    assert groups_of(world, slot) == [] and files_in(media) == []
    response = en.post(url, group_data(class_list=upload(xlsx_bytes(), "liste.xlsx")))
    assert response.status_code == 302 and groups_of(world, slot)[0].class_list.name.endswith(".xlsx")


# --- Accompanying documents (back office) --------------------------------------------------------


def document_data(file):
    return {"title": "Livret", "description": "", "audience": "pupils", "position": 0, "published": "on", "file": file}


def test_an_accompanying_document_must_be_a_readable_pdf(en, world, media):
    en.force_login(world.master_referent)
    url = reverse("backoffice:content_create", args=["documents"])
    for content in (PDF_THEN_HTML, pdf_bytes()[:-200], pdf_bytes(password="secret", owner_password="x")):
        response = en.post(url, document_data(upload(content, "guide.pdf", "application/pdf")))
        assert response.status_code == 200 and "file" in response.context["form"].errors
    with for_site(world.site):
        assert not AccompanyingDocument.objects.exists()
    assert files_in(media) == []
    response = en.post(url, document_data(upload(pdf_bytes(pages=2), "guide.pdf", "application/pdf")))
    assert response.status_code == 302


# --- Logos ---------------------------------------------------------------------------------------

#: Django's own image field opens the file and checks a PNG's checksums: it already refuses some of
#: these (with its own message); the two it let through are named by the new check's message.
BAD_LOGOS = [
    (truncated_jpeg(), "cannot be read"),
    (png_header_only(10_000, 5_000), "at most 40 million pixels"),
    (png_with_garbage(), ""),
    (polyglot_jpeg(), ""),
    (PDF_THEN_HTML, ""),
]
BAD_LOGO_IDS = ["truncated-jpeg", "too-many-pixels", "png-garbage", "polyglot-jpeg", "pdf"]


@pytest.mark.parametrize("content, words", BAD_LOGOS, ids=BAD_LOGO_IDS)
def test_the_site_logo_is_decoded_in_full(en, world, media, content, words):
    en.force_login(world.master_referent)
    url = reverse("backoffice:reference_site_settings")
    response = en.post(url, {**settings_data(), "logo": upload(content, "logo.png", "image/png")})
    assert response.status_code == 200 and words in str(response.context["form"].errors["logo"])
    assert not Site.objects.get(pk=world.site.pk).logo and files_in(media) == []
    response = en.post(url, {**settings_data(), "logo": upload(image_bytes("JPEG"), "logo.jpg", "image/jpeg")})
    assert response.status_code == 302 and Site.objects.get(pk=world.site.pk).logo


@pytest.mark.parametrize("content, words", BAD_LOGOS, ids=BAD_LOGO_IDS)
def test_an_establishment_logo_in_the_admin_is_decoded_in_full(en, world, media, content, words):
    en.force_login(world.master_referent)
    url = admin_url(Establishment, "change", world.master.pk)
    data = with_values(form_data(en.get(url), Establishment))
    response = en.post(url, {**data, "logo": upload(content, "logo.png", "image/png")})
    assert response.status_code == 200
    assert words in str(response.context["adminform"].form.errors["logo"])
    assert files_in(media) == []
    response = en.post(url, {**data, "logo": upload(image_bytes("PNG"), "logo.png", "image/png")})
    assert response.status_code == 302
    with for_site(world.site):
        assert Establishment.objects.get(pk=world.master.pk).logo
