"""Shared fixtures and helpers of the master referent's area tests (test_reference_*.py)."""

import pytest
from django.core.files.base import ContentFile
from django.test import override_settings
from django.urls import reverse

from apps.content.models import AccompanyingDocument, FaqEntry, PublicPage
from apps.staff.models import CharterSignature
from apps.tenancy.scoping import for_site, platform_job

#: A minimal, well-formed one-page PDF (uploads are parsed in full).
PDF_BYTES = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n"
    b"xref\n0 4\n0000000000 65535 f \n0000000009 00000 n \n0000000052 00000 n \n0000000101 00000 n \n"
    b"trailer<</Size 4/Root 1 0 R>>\nstartxref\n164\n%%EOF\n"
)

#: Every role of the matrix (attribute of the world), plus "anonymous".
STAFF_DENIED = (
    "establishment_referent",
    "host_referent",
    "structure_referent",
    "consultant",
    "speaker",
    "high_school_referent",
    "host_high_school_referent",
    "legal",
)
OTHERS_DENIED = ("pupil", "student", "visitor")
ALLOWED = ("operator", "master_referent")
ROLES = (*ALLOWED, *STAFF_DENIED, *OTHERS_DENIED, "anonymous")


@pytest.fixture
def client(client, settings):
    """Pages in English, whatever the default language."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    return settings.PRIVATE_MEDIA_ROOT


def add_content(w):
    """A page, an FAQ entry and a document on the world's site (scope held by the caller)."""
    w.page = PublicPage.objects.create(
        site=w.site, slug=PublicPage.Slug.PROCEDURE, title=f"Procedure {w.site.slug}", body="<p>Hi</p>", published=True
    )
    w.faq_entry = FaqEntry.objects.create(site=w.site, question=f"Why {w.site.slug}?", answer="<p>Because.</p>")
    w.document = AccompanyingDocument(site=w.site, title=f"Guide {w.site.slug}", published=True)
    w.document.file.save("guide.pdf", ContentFile(PDF_BYTES), save=False)
    w.document.save()
    return w


def _ref_rows(world, other_world):
    """Public texts on both sites, and the host high school's charter signed."""
    with platform_job():
        CharterSignature.objects.create(
            site=world.site,
            charter=world.charter,
            high_school=world.host_high_school,
            signed_by=world.host_high_school_referent,
        )
    for w in (world, other_world):
        with for_site(w.site):
            add_content(w)
            w.domain = w.subdomain.domain
    return world


@pytest.fixture
def ref_world(world, other_world, private_media):
    """Both sites, with public texts, and the host high school's charter signed."""
    return _ref_rows(world, other_world)


@pytest.fixture(scope="class")
def class_ref_world(class_world, class_other_world, tmp_path_factory):
    """``ref_world``, built once for a test class (see ``class_db`` in tests/conftest.py), its
    files in a private media folder of the class's own."""
    with override_settings(PRIVATE_MEDIA_ROOT=tmp_path_factory.mktemp("class") / "private"):
        yield _ref_rows(class_world, class_other_world)


def sign_in(client, w, role):
    if role != "anonymous":
        client.force_login(getattr(w, role))
    return client


def url(name, *args):
    return reverse(f"backoffice:{name}", args=args)
