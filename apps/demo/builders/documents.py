"""Attestation types of a site, and the documents the demo pupils sent.

Documents go through :func:`apps.attestations.services.upload_attestation`, like a real
upload: the file is checked (a real PDF, made here in memory) and written to the private
storage (``PRIVATE_MEDIA_ROOT``) under a random name. A person who has a current document
of a type (sent by a previous run, or during the demo) gets no new one, even when it has
expired: running again writes nothing.
"""

import logging
from contextlib import contextmanager

from django.core.files.base import ContentFile
from django.utils.text import slugify

from apps.attestations import selectors
from apps.attestations.models import Attestation, AttestationType
from apps.attestations.services import upload_attestation
from apps.records.models import PupilRecord

from . import ensure

TYPE_FIELDS = (
    "description",
    "for_pupils_with_agreement",
    "for_pupils_without_agreement",
    "for_visitors",
    "minors_only",
    "mandatory",
    "requires_validity_date",
    "position",
)


def build_attestation_types(site, spec, stats):
    """The site's document types, by label (flags brought back to the spec's)."""
    types = {}
    for item in spec.get("attestation_types", ()):
        values = {name: item.get(name, AttestationType._meta.get_field(name).get_default()) for name in TYPE_FIELDS}
        values["is_active"] = True
        types[item["label"]] = ensure(stats, AttestationType, site, {"label": item["label"]}, values)
    return types


@contextmanager
def _quiet(name):
    """Hold back a logger's INFO lines (one per stored file) while the demo uploads."""
    logger = logging.getLogger(name)
    level = logger.level
    logger.setLevel(logging.WARNING)
    try:
        yield
    finally:
        logger.setLevel(level)


def build_documents(site, spec, stats, records, calendar, today):
    """Upload, for each demo pupil, the documents they need and do not have yet."""
    with _quiet(upload_attestation.__module__):
        return _upload_missing(site, spec, stats, records, calendar, today)


def _upload_missing(site, spec, stats, records, calendar, today):
    documents = spec.get("documents") or {}
    keys = {record.pk: key for key, record in records.items() if isinstance(record, PupilRecord)}
    if not keys or not spec.get("attestation_types"):
        return 0
    current = set(
        Attestation.objects.filter(site=site, archived_at__isnull=True).values_list("user_id", "attestation_type_id")
    )
    pupils = PupilRecord.objects.filter(site=site, pk__in=keys).select_related("user", "high_school").order_by("pk")
    sent = 0
    for record in pupils:
        key = keys[record.pk]
        missing = set(documents.get("missing", {}).get(key, ()))
        optional = set(documents.get("optional", {}).get(key, ()))
        for attestation_type in selectors.required_types(record, today):
            wanted = attestation_type.mandatory or attestation_type.label in optional
            if not wanted or attestation_type.label in missing or (record.user_id, attestation_type.pk) in current:
                continue
            content = ContentFile(
                demo_pdf(attestation_type.label, record.user.get_full_name(), site.name),
                name=f"{slugify(attestation_type.label)}.pdf",
            )
            validity = calendar.year.end_date if attestation_type.requires_validity_date else None
            upload_attestation(site, record.user, attestation_type, content, validity, on=today)
            stats.count(Attestation, "created")
            sent += 1
    return sent


def _pdf_text(text):
    """A PDF literal string in WinAnsi (Latin) encoding, with its special characters escaped."""
    escaped = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    return b"(" + escaped.encode("cp1252", errors="replace") + b")"


def demo_pdf(title, person, site_name):
    """A small, well-formed one-page PDF (A4, Helvetica) saying what it stands for."""
    lines = [
        (18, title),
        (12, person),
        (12, site_name),
        (10, "Document de démonstration : aucune valeur."),
    ]
    operations = [b"BT", b"72 770 Td"]
    for size, text in lines:
        operations += [b"/F1 %d Tf" % size, _pdf_text(text) + b" Tj", b"0 -%d Td" % (size * 2)]
    operations.append(b"ET")
    stream = b"\n".join(operations)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    pdf = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(pdf))
        pdf += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(pdf)
    pdf += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    pdf += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    pdf += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n" % (len(objects) + 1, xref)
    pdf += b"%%EOF\n"
    return bytes(pdf)
