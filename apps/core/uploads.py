"""Is an uploaded file really what it claims to be? Its whole structure is read, within budgets.

libmagic (python-magic) names a file's type from its first bytes only: a file that starts
with ``%PDF-`` and goes on with HTML is "a PDF" to it. The checks here go further, each
with a well-kept parser and a bounded amount of work:

* :func:`check_pdf`: pypdf in strict mode, with tight decompression and page-tree limits;
  at least one page, at most :data:`PDF_MAX_PAGES`; no password needed to open it.
* :func:`check_image`: Pillow, of an allowed format, at most :data:`IMAGE_MAX_PIXELS`
  (a decompression bomb is refused from its header, before any decoding), then decoded
  in full (a JPEG at an eighth of its size: the whole compressed stream is still read).
* :func:`check_xlsx`: a ZIP package of bounded size, opened by openpyxl (read-only);
  :func:`check_opendocument` for ODS; :func:`check_text` for CSV and text.

Each raises ``ValidationError`` with a message for the person who sent the file; the
callers read the size and the type first (and keep the file at its start for storing).
"""

import contextlib
import io
import logging
import threading
import zipfile

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

#: A document people send (a form, a certificate, a class list, a guide) is short.
PDF_MAX_PAGES = 200
#: pypdf's limits while checking (its defaults are meant for reading big files, not for refusing them).
PDF_LIMITS = {
    "maximum_declared_stream_length": 20_000_000,
    "array_based_stream_maximum_output_length": 20_000_000,
    "zlib_maximum_output_length": 20_000_000,
    "lzw_maximum_output_length": 20_000_000,
    "run_length_maximum_output_length": 20_000_000,
    "brotli_maximum_output_length": 20_000_000,
    "jbig2_maximum_output_length": 20_000_000,
    "stream_decoding_work_maximum_length": 50_000_000,
    "array_maximum_element_count": 50_000,
    "dictionary_maximum_element_count": 50_000,
    "page_tree_maximum_entries": 10 * PDF_MAX_PAGES,
    "page_tree_maximum_depth": 32,
    "page_tree_maximum_page_entries": 200 * PDF_MAX_PAGES,
    "jbig2dec_binary": None,  # never run an external program on an upload
}
#: 40 million pixels: a 48-megapixel phone photo is refused, a 300 dpi A3 scan (35 Mpx) is not.
IMAGE_MAX_PIXELS = 40_000_000
#: A spreadsheet package may not unpack to more than this, nor hold more parts.
ZIP_MAX_UNPACKED = 50 * 1024 * 1024
ZIP_MAX_PARTS = 2000
#: Text files: a few control characters (form feeds, odd line ends) are tolerated, not binary data.
TEXT_ALLOWED_CONTROLS = {"\t", "\n", "\r", "\f", "\x0b", "\x1a"}


def _read_all(uploaded_file):
    uploaded_file.seek(0)
    try:
        return uploaded_file.read()
    finally:
        uploaded_file.seek(0)


# --- PDF -----------------------------------------------------------------------------------------


def _unreadable_pdf():
    return ValidationError(
        _(
            "This file claims to be a PDF document but it cannot be read: it is damaged, incomplete or not "
            "really a PDF. Save or scan the document again and send the new file."
        ),
        code="bad_pdf",
    )


def check_pdf(uploaded_file, *, max_pages=PDF_MAX_PAGES):
    """Parse the whole PDF structure; return its number of pages.

    Codes: ``bad_pdf`` (unreadable), ``encrypted_pdf`` (needs a password), ``no_page``,
    ``too_many_pages``.
    """
    import pypdf
    from pypdf.errors import DependencyError, FileNotDecryptedError

    data = _read_all(uploaded_file)
    if not data.startswith(b"%PDF-"):
        raise _unreadable_pdf()
    try:
        with pypdf.apply_configuration(**PDF_LIMITS):
            reader = pypdf.PdfReader(io.BytesIO(data), strict=True)
            if reader.is_encrypted and reader.decrypt("") == pypdf.PasswordType.NOT_DECRYPTED:
                raise FileNotDecryptedError("a password is needed")
            pages = len(reader.pages)  # reads the cross-reference table and the whole page tree
    except (FileNotDecryptedError, DependencyError):
        raise ValidationError(
            _(
                "This PDF document is protected by a password, so nobody here could open it. "
                "Send a copy without a password (print it to a new PDF, or scan it)."
            ),
            code="encrypted_pdf",
        ) from None
    except Exception as error:  # a parser fed with hostile input may raise anything
        logger.info("PDF upload refused: %r", error)
        raise _unreadable_pdf() from None
    if pages < 1:
        raise ValidationError(_("This PDF document has no page."), code="no_page")
    if pages > max_pages:
        raise ValidationError(
            _("This PDF document has %(count)s pages; at most %(limit)s are accepted.")
            % {"count": pages, "limit": max_pages},
            code="too_many_pages",
        )
    return pages


# --- Images --------------------------------------------------------------------------------------


def _unreadable_image():
    return ValidationError(
        _(
            "This image cannot be read: it is damaged, incomplete or not really an image. "
            "Take the photo or the scan again and send the new file."
        ),
        code="bad_image",
    )


def _too_many_pixels(max_pixels, width=None, height=None):
    limit = max_pixels // 1_000_000
    if width is None:
        message = _("This image is too large; at most %(limit)s million pixels are accepted. Send a smaller image.")
    else:
        message = _(
            "This image is too large (%(width)s × %(height)s pixels); at most %(limit)s million pixels are "
            "accepted. Send a smaller image."
        )
    return ValidationError(message % {"width": width, "height": height, "limit": limit}, code="image_too_large")


_STRICT_DECODING = threading.Lock()


@contextlib.contextmanager
def _truncated_images_refused():
    """Pillow's ``LOAD_TRUNCATED_IMAGES`` is a process-wide switch, and WeasyPrint turns it on when
    imported (it pads a truncated image instead of failing): turned off while an upload is decoded."""
    from PIL import ImageFile

    with _STRICT_DECODING:
        previous = ImageFile.LOAD_TRUNCATED_IMAGES
        ImageFile.LOAD_TRUNCATED_IMAGES = False
        try:
            yield
        finally:
            ImageFile.LOAD_TRUNCATED_IMAGES = previous


def check_image(uploaded_file, formats=("JPEG", "PNG"), *, max_pixels=IMAGE_MAX_PIXELS):
    """Open the image with Pillow, check its size in pixels, decode it; return its format (``"PNG"``...).

    Codes: ``bad_image`` (unreadable, or of another format), ``image_too_large``.
    """
    from PIL import Image

    data = _read_all(uploaded_file)
    try:
        with _truncated_images_refused(), Image.open(io.BytesIO(data), formats=list(formats)) as image:
            width, height = image.size
            if width * height > max_pixels:
                raise _too_many_pixels(max_pixels, width, height)
            image.verify()  # chunk checksums (PNG); must come right after opening
        with _truncated_images_refused(), Image.open(io.BytesIO(data), formats=list(formats)) as image:
            if image.format == "JPEG":  # decoded at 1/8 scale: little memory, yet every byte is read
                image.draft(image.mode, (max(1, width // 8), max(1, height // 8)))
            image.load()  # a truncated or corrupt image fails here
            return image.format
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):  # Pillow's own limit, from the header
        raise _too_many_pixels(max_pixels) from None
    except Exception as error:  # a decoder fed with hostile input may raise anything
        logger.info("Image upload refused: %r", error)
        raise _unreadable_image() from None


# --- Spreadsheets and text -----------------------------------------------------------------------


def _unreadable_spreadsheet():
    return ValidationError(
        _(
            "This spreadsheet cannot be opened: it is damaged or not really a spreadsheet. "
            "Save it again from your spreadsheet program and send the new file."
        ),
        code="bad_spreadsheet",
    )


def _zip_within_budget(data):
    """The declared sizes, checked before anything is unpacked (zipfile never unpacks more than declared)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise _unreadable_spreadsheet() from None
    if len(infos) > ZIP_MAX_PARTS or sum(info.file_size for info in infos) > ZIP_MAX_UNPACKED:
        raise _unreadable_spreadsheet()


def check_opendocument(uploaded_file, mimetype):
    """An OpenDocument package (ODS...) of this type, within budget, every part intact (unpacked, checksummed)."""
    data = _read_all(uploaded_file)
    _zip_within_budget(data)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if archive.testzip() is not None or archive.read("mimetype").strip() != mimetype.encode():
                raise _unreadable_spreadsheet()
    except ValidationError:
        raise
    except Exception as error:  # zlib and zipfile raise many kinds of errors on damaged input
        logger.info("OpenDocument upload refused: %r", error)
        raise _unreadable_spreadsheet() from None


def check_xlsx(uploaded_file):
    """An XLSX workbook that openpyxl opens (read-only), with at least one sheet; returns the sheet count."""
    from openpyxl import load_workbook

    data = _read_all(uploaded_file)
    _zip_within_budget(data)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            sheets = len(workbook.sheetnames)
        finally:
            workbook.close()
    except Exception as error:  # a parser fed with hostile input may raise anything
        logger.info("Spreadsheet upload refused: %r", error)
        raise _unreadable_spreadsheet() from None
    if sheets < 1:
        raise _unreadable_spreadsheet()
    return sheets


def check_text(uploaded_file):
    """Text (CSV...) in UTF-8 or Windows-1252 (what French spreadsheets export); returns the encoding."""
    data = _read_all(uploaded_file)
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if not any(ord(c) < 32 and c not in TEXT_ALLOWED_CONTROLS for c in text) and "\x7f" not in text:
            return encoding
        break
    raise ValidationError(
        _("This text file cannot be read. Save it as CSV or text (UTF-8) and send the new file."), code="bad_text"
    )


# --- Form field ----------------------------------------------------------------------------------


class ImageUploadField(forms.ImageField):
    """An image upload (logos) checked like a document: size, format, pixels, full decoding.

    Django's own field only opens the file with Pillow, whatever the format (EPS, PSD...),
    and verifies a PNG's checksums. The admin and the back office use this field for every
    ``ImageField`` of the models.
    """

    FORMATS = ("PNG", "JPEG", "GIF", "WEBP")

    def to_python(self, data):
        size = getattr(data, "size", None) or 0
        if size > settings.MAX_UPLOAD_SIZE:
            raise ValidationError(
                _("This file is too large (%(size)s); the limit is %(limit)s.")
                % {"size": filesizeformat(size), "limit": filesizeformat(settings.MAX_UPLOAD_SIZE)},
                code="too_large",
            )
        uploaded = super().to_python(data)
        if uploaded is not None:
            check_image(uploaded, formats=self.FORMATS)
        return uploaded
