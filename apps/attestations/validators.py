"""What an uploaded document must be: small enough, and really a PDF, a JPEG or a PNG.

The type is read from the content (libmagic, through python-magic), never from the file
name nor from the type the browser claims; then the whole file is read by its parser
(:mod:`apps.core.uploads`: pypdf for a PDF, Pillow for an image), so a file that merely
starts with the right bytes is refused too.
"""

import os
import unicodedata

import magic
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from apps.core.uploads import check_image, check_pdf

#: Accepted content types and the extension a stored file gets.
ACCEPTED_TYPES = {
    "application/pdf": ".pdf",
    "image/jpeg": ".jpg",
    "image/png": ".png",
}
#: Pillow's name of each accepted image type.
IMAGE_FORMATS = {"image/jpeg": "JPEG", "image/png": "PNG"}
#: How many bytes libmagic reads (its own recommendation for reliable results).
SNIFF_BYTES = 2048


def _read_head(uploaded_file):
    uploaded_file.seek(0)
    head = uploaded_file.read(SNIFF_BYTES)
    uploaded_file.seek(0)
    return head


def validate_document(uploaded_file):
    """Check an uploaded file's size and content; return its content type.

    Raises ValidationError (code ``empty``, ``too_large``, ``bad_type``, or one of
    :mod:`apps.core.uploads`' codes for a file that claims a type but is not readable as
    such: ``bad_pdf``, ``encrypted_pdf``, ``too_many_pages``, ``bad_image``...) with a
    message for the person who uploaded it.
    """
    if uploaded_file is None:
        raise ValidationError(_("Choose a file to send."), code="required")
    size = getattr(uploaded_file, "size", None)
    if not size:
        raise ValidationError(_("This file is empty."), code="empty")
    limit = settings.MAX_UPLOAD_SIZE
    if size > limit:
        raise ValidationError(
            _("This file is too large (%(size)s); the limit is %(limit)s.")
            % {"size": filesizeformat(size), "limit": filesizeformat(limit)},
            code="too_large",
        )
    head = _read_head(uploaded_file)
    if not head:
        raise ValidationError(_("This file is empty."), code="empty")
    content_type = magic.from_buffer(head, mime=True)
    if content_type not in ACCEPTED_TYPES:
        raise ValidationError(
            _("This file is not a PDF, JPEG or PNG document (whatever its name says). Send a PDF, JPEG or PNG file."),
            code="bad_type",
        )
    if content_type == "application/pdf":
        check_pdf(uploaded_file)
    else:
        check_image(uploaded_file, formats=[IMAGE_FORMATS[content_type]])
    return content_type


def validate_document_field(value):
    """Model-field validator (blank template files of attestation types, in the admin)."""
    if value and not getattr(value, "_committed", True):
        validate_document(value)


def display_name(name, content_type=None, max_length=200):
    """A safe file name for display and for Content-Disposition, from an uploaded name.

    Keeps letters (accented ones too), digits, spaces, dots, dashes and underscores;
    drops any directory part and control characters; gives the extension that matches
    the real content type.
    """
    name = os.path.basename(str(name or "").replace("\\", "/"))
    stem, extension = os.path.splitext(unicodedata.normalize("NFC", name))
    stem = "".join(c if (c.isalnum() or c in " ._-") else "_" for c in stem).strip(" ._") or "document"
    extension = ACCEPTED_TYPES.get(content_type) or "".join(c for c in extension if c.isalnum() or c == ".")[:10]
    return stem[: max_length - len(extension)] + extension
