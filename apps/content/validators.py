"""An accompanying document must be a real PDF (read from its content, parsed in full) and small enough."""

import magic
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from apps.core.uploads import check_pdf

PDF = "application/pdf"
#: How many bytes libmagic reads (its own recommendation for reliable results).
SNIFF_BYTES = 2048


def validate_pdf(uploaded_file):
    """Raise ValidationError unless ``uploaded_file`` is a non-empty PDF under MAX_UPLOAD_SIZE."""
    size = getattr(uploaded_file, "size", None)
    if not size:
        raise ValidationError(_("This file is empty."), code="empty")
    if size > settings.MAX_UPLOAD_SIZE:
        raise ValidationError(
            _("This file is too large (%(size)s); the limit is %(limit)s.")
            % {"size": filesizeformat(size), "limit": filesizeformat(settings.MAX_UPLOAD_SIZE)},
            code="too_large",
        )
    uploaded_file.seek(0)
    head = uploaded_file.read(SNIFF_BYTES)
    uploaded_file.seek(0)
    if not head.startswith(b"%PDF-") or magic.from_buffer(head, mime=True) != PDF:
        raise ValidationError(
            _("This file is not a PDF document (whatever its name says). Send a PDF file."), code="bad_type"
        )
    check_pdf(uploaded_file)


def validate_pdf_field(value):
    """Model-field validator: checks new uploads only (stored files were checked when sent)."""
    if value and not getattr(value, "_committed", True):
        validate_pdf(value)
