"""Back-office pages of the public texts: pages, FAQ entries, accompanying documents."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from apps.content.models import AccompanyingDocument, FaqEntry, PublicPage
from apps.tenancy.scoping import for_site
from tests.backoffice import reference_support as support
from tests.backoffice.reference_support import PDF_BYTES, sign_in, url

client = support.client
private_media = support.private_media
ref_world = support.ref_world  # the area's fixtures


@pytest.fixture
def master(client, ref_world):
    return sign_in(client, ref_world, "master_referent")


def test_create_a_page_sanitised_on_save(master, ref_world):
    data = {
        "slug": "legal-notices",
        "title": "Mentions légales",
        "body": '<p onclick="x()">Éditeur</p><script>alert(1)</script><a href="javascript:alert(1)">x</a>',
        "published": "on",
    }
    assert master.post(url("content_create", "pages"), data).status_code == 302
    with for_site(ref_world.site):
        page = PublicPage.objects.get(slug="legal-notices")
    assert page.body.startswith("<p>Éditeur</p>")
    assert "script" not in page.body and "onclick" not in page.body and "javascript" not in page.body
    # One page per slug and site: a form error.
    response = master.post(url("content_create", "pages"), data)
    assert response.status_code == 200 and response.context["form"].errors


def test_same_page_slug_on_two_sites(master, ref_world, other_world):
    # Both sites already have their "procedure" page (fixture); edit alpha's.
    data = {"slug": "procedure", "title": "Comment faire", "body": "<p>Ok</p>", "published": "on"}
    assert master.post(url("content_edit", "pages", ref_world.page.pk), data).status_code == 302
    other_world.page.refresh_from_db()
    assert other_world.page.title == "Procedure beta"


def test_faq_entries(master, ref_world):
    data = {
        "question": "Qui ?",
        "answer": "<p>Vous <em>tous</em></p><img src=x onerror=alert(1)>",
        "position": 2,
        "published": "on",
    }
    assert master.post(url("content_create", "faq"), data).status_code == 302
    with for_site(ref_world.site):
        entry = FaqEntry.objects.get(question="Qui ?")
    assert entry.answer == "<p>Vous <em>tous</em></p>"
    listing = master.get(url("content_list", "faq") + "?q=Qui").content.decode()
    assert f'data-pk="{entry.pk}"' in listing
    master.post(url("content_set_flag", "faq", entry.pk), {"value": "0"})
    entry.refresh_from_db()
    assert not entry.published
    assert master.post(url("content_delete", "faq", entry.pk)).status_code == 302


def pdf(name="guide.pdf", content=PDF_BYTES):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def document_data(**changes):
    data = {
        "title": "Livret",
        "description": "Pour les familles",
        "audience": "pupils",
        "position": 0,
        "published": "on",
    }
    data.update(changes)
    return data


def test_upload_replace_and_delete_a_document(master, ref_world, private_media):
    response = master.post(url("content_create", "documents"), {**document_data(), "file": pdf()})
    assert response.status_code == 302
    with for_site(ref_world.site):
        document = AccompanyingDocument.objects.get(title="Livret")
    stored = private_media / document.file.name
    assert stored.exists() and document.size == len(PDF_BYTES) and document.original_name == "guide.pdf"
    assert "guide" not in document.file.name  # random stored name
    # Editing without a new file keeps it; a new file replaces (and removes) the old one.
    assert (
        master.post(url("content_edit", "documents", document.pk), document_data(title="Livret 2")).status_code == 302
    )
    document.refresh_from_db()
    assert document.title == "Livret 2" and document.file.name == stored.relative_to(private_media).as_posix()
    download = master.get(url("content_document_file", document.pk))
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content) == PDF_BYTES
    download.close()


@pytest.mark.django_db(transaction=True)
def test_replaced_and_deleted_files_are_removed(client, world, private_media):
    sign_in(client, world, "master_referent")
    client.post(url("content_create", "documents"), {**document_data(), "file": pdf()})
    with for_site(world.site):
        document = AccompanyingDocument.objects.get(title="Livret")
    first = private_media / document.file.name
    client.post(url("content_edit", "documents", document.pk), {**document_data(), "file": pdf("new.pdf")})
    document.refresh_from_db()
    second = private_media / document.file.name
    assert second.exists() and not first.exists()
    client.post(url("content_delete", "documents", document.pk))
    assert not second.exists()


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (
            SimpleUploadedFile("fake.pdf", b"<html><script>alert(1)</script></html>", content_type="application/pdf"),
            "not a PDF",
        ),
        (SimpleUploadedFile("empty.pdf", b"", content_type="application/pdf"), "empty"),
    ],
)
def test_only_real_pdfs_are_accepted(master, ref_world, upload, message):
    response = master.post(url("content_create", "documents"), {**document_data(), "file": upload})
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors.get("file", []))
    with for_site(ref_world.site):
        assert not AccompanyingDocument.objects.filter(title="Livret").exists()


def test_document_size_limit(master, ref_world, settings):
    settings.MAX_UPLOAD_SIZE = 20
    response = master.post(url("content_create", "documents"), {**document_data(), "file": pdf()})
    assert "too large" in " ".join(response.context["form"].errors["file"])


def test_a_document_needs_a_file(master):
    response = master.post(url("content_create", "documents"), document_data())
    assert "file" in response.context["form"].errors


@pytest.mark.parametrize("kind", ["pages", "faq", "documents"])
def test_every_page_of_each_kind_renders(master, ref_world, kind):
    row = {"pages": ref_world.page, "faq": ref_world.faq_entry, "documents": ref_world.document}[kind]
    for path in (
        url("content_index"),
        url("content_list", kind),
        url("content_create", kind),
        url("content_edit", kind, row.pk),
        url("content_delete", kind, row.pk),
    ):
        response = master.get(path, follow=True)
        assert response.status_code == 200, path
        assert response.content.decode().count("<h1") == 1
