import datetime as dt
import io
import zipfile
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from apps.accounts.models import Role
from apps.attestations.models import AttestationType
from apps.records.models import PupilRecord
from apps.tenancy.scoping import for_site
from tests.factories import grant, make_user

# A minimal, well-formed one-page PDF.
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n"
    b"xref\n0 4\n0000000000 65535 f \n0000000009 00000 n \n0000000052 00000 n \n0000000101 00000 n \n"
    b"trailer<</Size 4/Root 1 0 R>>\nstartxref\n164\n%%EOF\n"
)
HTML = b"<!DOCTYPE html><html><head><title>x</title></head><body><script>alert(1)</script></body></html>"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48 + b"PE\x00\x00" + b"\x00" * 200


def image_bytes(fmt):
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(buffer, format=fmt)
    return buffer.getvalue()


def zip_bytes():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("document.pdf", PDF)
    return buffer.getvalue()


def upload(content=PDF, name="attestation.pdf", content_type="application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def years_before(day, years):
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    """Private files in a fresh directory; public media elsewhere, to prove nothing lands there."""
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.MEDIA_ROOT = tmp_path / "public"
    return settings.PRIVATE_MEDIA_ROOT


def stored_files(root):
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def make_types(site):
    """The document types of a site, one per case."""
    with for_site(site):

        def kind(label, position, **flags):
            return AttestationType.objects.create(site=site, label=label, position=position, **flags)

        return SimpleNamespace(
            parental=kind(
                "Parental authorisation",
                1,
                for_pupils_with_agreement=True,
                for_pupils_without_agreement=True,
                for_visitors=True,
                minors_only=True,
            ),
            insurance=kind(
                "Insurance certificate",
                2,
                for_pupils_with_agreement=True,
                for_pupils_without_agreement=True,
                for_visitors=True,
                requires_validity_date=True,
            ),
            photo=kind("Photo release", 3, for_pupils_with_agreement=True, mandatory=False),
            no_agreement=kind("Head teacher's agreement", 4, for_pupils_without_agreement=True),
            visitor=kind("Identity document", 5, for_visitors=True),
            inactive=kind(
                "Old form",
                6,
                for_pupils_with_agreement=True,
                for_pupils_without_agreement=True,
                for_visitors=True,
                is_active=False,
            ),
        )


@pytest.fixture
def types(world):
    return make_types(world.site)


@pytest.fixture
def other_types(other_world):
    return make_types(other_world.site)


def make_pupil(w, **fields):
    """A pupil of ``w``'s site with a record (16 years old by default)."""
    with for_site(w.site):
        user = make_user()
        grant(user, w.site, Role.PUPIL)
        fields.setdefault("birth_date", years_before(timezone.localdate(), 16))
        record = PupilRecord.objects.create(site=w.site, user=user, **fields)
    return user, record


def in_a_year():
    return timezone.localdate() + dt.timedelta(days=365)
