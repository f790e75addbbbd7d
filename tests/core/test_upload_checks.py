"""The structure checks of uploads: a file is what it claims only if its parser reads it whole."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from apps.core import uploads

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
    zip_bytes,
)


def refusal(check, content, **options):
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        check(upload(content), **options)
    return caught.value.code, caught.value.messages[0]


# --- PDF -----------------------------------------------------------------------------------------


def test_a_real_pdf_is_read_and_left_at_its_start():
    content = pdf_bytes(pages=3)
    file = upload(content)
    assert uploads.check_pdf(file) == 3
    assert file.read() == content


@pytest.mark.parametrize(
    "content",
    [
        PDF_THEN_HTML,
        pdf_bytes()[:-200],  # cut short: no end marker, no cross-reference table
        pdf_bytes()[: len(pdf_bytes()) // 2],
        b"%PDF-1.7\n" + b"\x00" * 400,
        b"<html>%PDF-1.4</html>",
    ],
    ids=["pdf-then-html", "truncated-end", "truncated-half", "header-then-zeros", "html"],
)
def test_a_file_that_only_starts_like_a_pdf_is_refused(content):
    code, message = refusal(uploads.check_pdf, content)
    assert code == "bad_pdf"
    assert "cannot be read" in message


def test_a_pdf_that_needs_a_password_is_refused_with_its_reason():
    code, message = refusal(uploads.check_pdf, pdf_bytes(password="secret", owner_password="owner"))
    assert code == "encrypted_pdf" and "password" in message


def test_a_pdf_anyone_can_open_despite_its_owner_password_is_accepted():
    # Restrictions on printing or editing only: every reader opens it without a password.
    assert uploads.check_pdf(upload(pdf_bytes(owner_password="owner"))) == 1


def test_page_count_is_bounded_and_not_empty():
    code, message = refusal(uploads.check_pdf, pdf_bytes(pages=4), max_pages=3)
    assert code == "too_many_pages" and "4 pages" in message and "at most 3" in message
    assert uploads.check_pdf(upload(pdf_bytes(pages=3)), max_pages=3) == 3
    assert refusal(uploads.check_pdf, pdf_bytes(pages=0))[0] == "no_page"


def nested_pages_pdf(depth):
    """One page at the bottom of a chain of ``depth`` page-tree nodes."""
    objects = [b"<</Type/Catalog/Pages 2 0 R>>"]
    for level in range(depth):
        objects.append(b"<</Type/Pages/Kids[%d 0 R]/Count 1>>" % (3 + level))
    objects.append(b"<</Type/Page/MediaBox[0 0 10 10]>>")
    content = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(content))
        content += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(content)
    content += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    content += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    content += b"trailer\n<</Size %d/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(content)


def test_a_deep_page_tree_stops_the_parser_within_its_budget():
    """A page tree nested far deeper than any real document: refused, not walked."""
    assert uploads.check_pdf(upload(nested_pages_pdf(depth=10))) == 1
    assert refusal(uploads.check_pdf, nested_pages_pdf(depth=200))[0] == "bad_pdf"


# --- Images --------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["PNG", "JPEG"])
def test_a_real_image_is_decoded(fmt):
    content = image_bytes(fmt)
    file = upload(content)
    assert uploads.check_image(file) == fmt
    assert file.read() == content


@pytest.mark.parametrize(
    "content",
    [
        png_with_garbage(),
        polyglot_jpeg(),
        truncated_jpeg(),  # the compressed data cut short
        image_bytes("PNG")[:-30],
        image_bytes("GIF"),  # a real image, but not of an accepted format
    ],
    ids=["png-garbage", "polyglot-jpeg", "truncated-jpeg", "truncated-png", "gif"],
)
def test_a_file_that_only_starts_like_an_image_is_refused(content):
    code, message = refusal(uploads.check_image, content)
    assert code == "bad_image" and "cannot be read" in message


def test_truncated_images_are_refused_once_weasyprint_is_loaded():
    """WeasyPrint turns Pillow's process-wide LOAD_TRUNCATED_IMAGES on when imported (any PDF made
    earlier in the process): an upload is still decoded strictly, and the switch is left as found."""
    import weasyprint  # noqa: F401
    from PIL import ImageFile

    assert ImageFile.LOAD_TRUNCATED_IMAGES is True
    for content in (truncated_jpeg(), image_bytes("PNG")[:-30]):
        assert refusal(uploads.check_image, content)[0] == "bad_image"
    assert ImageFile.LOAD_TRUNCATED_IMAGES is True


def test_too_many_pixels_are_refused_from_the_header_before_decoding():
    code, message = refusal(uploads.check_image, png_header_only(10_000, 5_000))
    assert code == "image_too_large" and "10000 × 5000" in message and "40 million" in message
    # Far beyond Pillow's own decompression-bomb limit: refused by Pillow itself, same answer.
    assert refusal(uploads.check_image, png_header_only(30_000, 30_000))[0] == "image_too_large"
    assert refusal(uploads.check_image, image_bytes("PNG", (300, 200)), max_pixels=50_000)[0] == "image_too_large"


# --- Spreadsheets and text -----------------------------------------------------------------------


def test_a_real_workbook_is_opened():
    assert uploads.check_xlsx(upload(xlsx_bytes())) == 1


@pytest.mark.parametrize(
    "content",
    [
        xlsx_bytes()[:-300],  # cut short: no central directory
        fake_xlsx(),
        fake_xlsx(PDF_THEN_HTML),
    ],
    ids=["truncated", "empty-parts", "html-workbook"],
)
def test_a_package_that_only_looks_like_a_workbook_is_refused(content):
    code, message = refusal(uploads.check_xlsx, content)
    assert code == "bad_spreadsheet" and "cannot be opened" in message


def test_a_package_that_unpacks_to_too_much_is_refused(monkeypatch):
    ods = "application/vnd.oasis.opendocument.spreadsheet"
    bomb = zip_bytes([("mimetype", ods), ("content.xml", b"\x00" * 60_000_000)])
    assert len(bomb) < 200_000
    assert refusal(uploads.check_opendocument, bomb, mimetype=ods)[0] == "bad_spreadsheet"
    assert refusal(uploads.check_xlsx, bomb)[0] == "bad_spreadsheet"
    monkeypatch.setattr(uploads, "ZIP_MAX_UNPACKED", 100_000_000)  # only the budget refused it
    uploads.check_opendocument(upload(bomb), ods)


def test_an_opendocument_of_another_kind_or_damaged_is_refused():
    ods = "application/vnd.oasis.opendocument.spreadsheet"
    text = zip_bytes([("mimetype", "application/vnd.oasis.opendocument.text"), ("content.xml", "<c/>")])
    assert refusal(uploads.check_opendocument, text, mimetype=ods)[0] == "bad_spreadsheet"
    sound = zip_bytes([("mimetype", ods), ("content.xml", "<c/>" * 500)])
    uploads.check_opendocument(upload(sound), ods)
    data_start = sound.index(b"content.xml") + len(b"content.xml")  # the part's compressed bytes follow its name
    damaged = sound[: data_start + 2] + bytes(b ^ 0xFF for b in sound[data_start + 2 : data_start + 6])
    damaged += sound[data_start + 6 :]
    assert refusal(uploads.check_opendocument, damaged, mimetype=ods)[0] == "bad_spreadsheet"


@pytest.mark.parametrize(
    "content, encoding",
    [
        ("nom;prénom\nDurand;Élise\n".encode(), "utf-8-sig"),
        ("\ufeffnom;prénom\r\nDurand;Élise\r\n".encode(), "utf-8-sig"),
        ("nom;prénom\nDurand;Élise\n".encode("cp1252"), "cp1252"),
    ],
)
def test_text_in_the_usual_encodings_is_accepted(content, encoding):
    assert uploads.check_text(upload(content)) == encoding


@pytest.mark.parametrize(
    "content",
    [b"nom;prenom\nDurand\x00\x01\x02;Elise\n", b"nom;prenom\n\x81\x8d\x8f\x90\x9d\n"],
    ids=["controls", "undecodable"],
)
def test_binary_data_is_not_text(content):
    code, message = refusal(uploads.check_text, content)
    assert code == "bad_text" and "cannot be read" in message
