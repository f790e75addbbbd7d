"""PDF documents of registrations (WeasyPrint): a slot's attendance list and attendance certificates.

Nothing is fetched from the network or the file system while rendering: the logo is embedded as a
``data:`` URI and the URL fetcher refuses every other address.
"""

import base64
import mimetypes
import re

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.http import content_disposition_header
from django.utils.text import slugify

MAX_LOGO_BYTES = 2 * 1024 * 1024
COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")


def slot_host(slot):
    """The establishment or high school hosting the slot (its branding goes on the documents)."""
    if slot.course_id:
        training = slot.course.training
        return training.structure.establishment if training.structure_id else training.high_school
    event = slot.event
    if event.establishment_id:
        return event.establishment
    if event.structure_id:
        return event.structure.establishment
    return event.high_school


def _data_uri(file_field):
    """A small image file as a ``data:`` URI, or None (no file, unreadable, too big, not an image)."""
    if not file_field:
        return None
    content_type, _encoding = mimetypes.guess_type(file_field.name)
    if content_type not in ("image/png", "image/jpeg", "image/gif", "image/svg+xml", "image/webp"):
        return None
    try:
        with file_field.open("rb") as handle:
            content = handle.read(MAX_LOGO_BYTES + 1)
    except (OSError, ValueError):
        return None
    if not content or len(content) > MAX_LOGO_BYTES:
        return None
    return f"data:{content_type};base64,{base64.b64encode(content).decode('ascii')}"


def branding(site, host):
    """What the documents show of the site and the host: names, logo, colours."""
    logo = _data_uri(getattr(host, "logo", None)) or _data_uri(site.logo)
    return {
        "site": site,
        "host": host,
        "logo": logo,
        "primary_colour": site.primary_colour if COLOUR.match(site.primary_colour or "") else "#1d4e89",
        "secondary_colour": site.secondary_colour if COLOUR.match(site.secondary_colour or "") else "#f5a623",
    }


def local_fetcher():
    """A WeasyPrint URL fetcher that only reads ``data:`` URIs (no network, no file system)."""
    from weasyprint.urls import URLFetcher

    return URLFetcher(allowed_protocols=("data",), allow_redirects=False, timeout=5)


def render_pdf(template, context) -> bytes:
    from weasyprint import HTML  # imported on use: loading Pango takes time

    html = render_to_string(template, context)
    return HTML(string=html, base_url="about:blank", url_fetcher=local_fetcher()).write_pdf()


def pdf_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["Cache-Control"] = "private, no-store"
    return response


def attendance_list_pdf(slot, *, site, rows, groups) -> bytes:
    """The list to sign on the day: registrants (with a signature column) and group registrations."""
    context = {**branding(site, slot_host(slot)), "slot": slot, "rows": rows, "groups": groups}
    return render_pdf("registrations/pdf/attendance_list.html", context)


def attendance_list_filename(slot):
    return f"attendance-{slot.date:%Y-%m-%d}-{slugify(slot.offer_label)[:60] or slot.pk}.pdf"


def certificate_pdf(registration, *, site) -> bytes:
    """The certificate of attendance of one registration (present or attended remotely)."""
    slot = registration.slot
    context = {**branding(site, slot_host(slot)), "slot": slot, "registration": registration}
    return render_pdf("registrations/pdf/certificate.html", context)


def certificate_filename(registration):
    name = slugify(f"{registration.person.last_name} {registration.person.first_name}")[:60]
    return f"certificate-{registration.slot.date:%Y-%m-%d}-{name or registration.pk}.pdf"
