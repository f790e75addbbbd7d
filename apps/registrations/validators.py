"""What a group's class list may be: 5 MB at most, and really a PDF, a text/CSV file or a spreadsheet.

The type is read from the content (libmagic, through python-magic), never from the file
name nor from the type the browser claims; then the file is read by its parser
(:mod:`apps.core.uploads`): pypdf for a PDF, openpyxl for an XLSX, a bounded unpacking for
an ODS, a decoding for text, so a file that merely starts with the right bytes is refused.
"""

import os

import magic
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from apps.core.uploads import check_opendocument, check_pdf, check_text, check_xlsx

#: A class list is small; 5 MB is plenty for a scanned page.
CLASS_LIST_MAX_SIZE = 5 * 1024 * 1024
#: Accepted content types (as libmagic names them) and the extension a stored file gets.
ACCEPTED_TYPES = {
    "application/pdf": ".pdf",
    "text/plain": ".txt",
    "text/csv": ".csv",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ".xlsx",
    "application/vnd.oasis.opendocument.spreadsheet": ".ods",
    "application/vnd.ms-excel": ".xls",
}
#: The content type a stored class list is served with, from its extension.
CONTENT_TYPES = {extension: content_type for content_type, extension in ACCEPTED_TYPES.items()}
CONTENT_TYPES[".txt"] = "text/plain; charset=utf-8"
CONTENT_TYPES[".csv"] = "text/csv; charset=utf-8"
#: For the file input's ``accept`` attribute (a hint to the browser; the check is on the content).
ACCEPT = ",".join([*ACCEPTED_TYPES, ".pdf", ".csv", ".txt", ".xlsx", ".ods", ".xls"])
#: How many bytes libmagic reads (enough for the office formats' headers).
SNIFF_BYTES = 64 * 1024
#: Compound files (XLS, but also DOC, MSI...) start so.
OLE_SIGNATURE = bytes.fromhex("d0cf11e0a1b11ae1")


def _check_content(content_type, uploaded_file):
    """Is this really what libmagic says? Each claimed type is read by its parser (ValidationError if not)."""
    if content_type == "application/pdf":
        check_pdf(uploaded_file)
    elif content_type.startswith("text/"):
        check_text(uploaded_file)
    elif content_type == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet":
        check_xlsx(uploaded_file)
    elif content_type == "application/vnd.oasis.opendocument.spreadsheet":
        check_opendocument(uploaded_file, content_type)
    # XLS: libmagic names it so only after reading the compound file's directory.


def _not_accepted():
    return ValidationError(
        _(
            "This file is not a PDF, a text or CSV file or a spreadsheet (XLSX, ODS, XLS), whatever its name "
            "says. Send the class list in one of these formats."
        ),
        code="bad_type",
    )


def validate_class_list(uploaded_file):
    """Check an uploaded class list's size and content; return its content type.

    Raises ValidationError (code ``empty``, ``too_large``, ``bad_type``, or the code of
    :mod:`apps.core.uploads` for a file unreadable as what it claims to be: ``bad_pdf``,
    ``bad_spreadsheet``, ``bad_text``...) with a message for the person who sent it.
    """
    size = getattr(uploaded_file, "size", None)
    if not size:
        raise ValidationError(_("This file is empty."), code="empty")
    if size > CLASS_LIST_MAX_SIZE:
        raise ValidationError(
            _("This file is too large (%(size)s); the limit is %(limit)s.")
            % {"size": filesizeformat(size), "limit": filesizeformat(CLASS_LIST_MAX_SIZE)},
            code="too_large",
        )
    uploaded_file.seek(0)
    head = uploaded_file.read(SNIFF_BYTES)
    uploaded_file.seek(0)
    if head.startswith(OLE_SIGNATURE):  # an XLS: libmagic reads its directory, wherever it is in the file
        head = uploaded_file.read()
        uploaded_file.seek(0)
    content_type = magic.from_buffer(head, mime=True) if head else ""
    if content_type not in ACCEPTED_TYPES:
        raise _not_accepted()
    _check_content(content_type, uploaded_file)
    return content_type


def class_list_name(high_school, slot, content_type, original_name=""):
    """The stored file's name: from what it is, never from what the sender called it.

    Plain text keeps a ``.csv`` extension when it was sent as one (libmagic often sees a
    CSV file as plain text).
    """
    extension = ACCEPTED_TYPES[content_type]
    if content_type == "text/plain" and str(original_name).lower().endswith(".csv"):
        extension = ".csv"
    return f"class-list-{high_school.uai or high_school.pk}-{slot.date:%Y%m%d}{extension}"


def class_list_content_type(name):
    return CONTENT_TYPES.get(os.path.splitext(name)[1].lower(), "application/octet-stream")
