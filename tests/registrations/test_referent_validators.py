"""Class list uploads: accepted by what they contain, never by their name."""

import io
import struct
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from apps.registrations.validators import CLASS_LIST_MAX_SIZE, class_list_content_type, validate_class_list

#: A minimal, well-formed one-page PDF (class lists are parsed in full).
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n"
    b"xref\n0 4\n0000000000 65535 f \n0000000009 00000 n \n0000000052 00000 n \n0000000101 00000 n \n"
    b"trailer<</Size 4/Root 1 0 R>>\nstartxref\n164\n%%EOF\n"
)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ODS = "application/vnd.oasis.opendocument.spreadsheet"


def zip_bytes(files):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in files:
            kind = zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED
            archive.writestr(name, content, compress_type=kind)
    return buffer.getvalue()


def xlsx_bytes():
    """A real workbook, as openpyxl writes it."""
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.append(["nom", "prénom", "classe"])
    workbook.active.append(["Dupont", "Jérôme", "2nde A"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def pdf_of_size(size):
    """A well-formed PDF of exactly ``size`` bytes (the padding is a metadata string)."""
    from pypdf import PdfWriter

    def build(padding):
        writer = PdfWriter()
        writer.add_blank_page(200, 200)
        writer.add_metadata({"/Padding": "x" * padding})
        buffer = io.BytesIO()
        writer.write(buffer)
        return buffer.getvalue()

    padding = size - len(build(0))
    content = build(padding)
    while len(content) != size:  # offsets in the trailer grow with the file: adjust
        padding += size - len(content)
        content = build(padding)
    return content


def ods_bytes(mimetype=ODS):
    return zip_bytes([("mimetype", mimetype), ("content.xml", "<c/>"), ("META-INF/manifest.xml", "<m/>")])


def xls_bytes():
    """A minimal compound file (the XLS container) holding one "Workbook" stream."""
    end, free, nostream = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFF
    header = struct.pack(
        "<8s16sHHHHH6sIIIIIIIII",
        bytes.fromhex("d0cf11e0a1b11ae1"),
        b"\0" * 16,
        0x3E,
        3,
        0xFFFE,
        9,
        6,
        b"\0" * 6,
        0,
        1,  # one FAT sector (sector 0)
        1,  # the directory in sector 1
        0,
        0x1000,
        end,
        0,
        end,
        0,
    ) + struct.pack("<109I", 0, *[free] * 108)
    fat = [0xFFFFFFFD, end, *range(3, 10), end]  # FAT, directory, then the stream in sectors 2 to 9
    fat += [free] * (128 - len(fat))

    def entry(name, kind, child, start, size):
        raw = (name + "\0").encode("utf-16-le") if name else b""
        return struct.pack(
            "<64sHBBIII16sIQQIIi",
            raw,
            len(raw),
            kind,
            1,
            nostream,
            nostream,
            child,
            b"\0" * 16,
            0,
            0,
            0,
            start,
            size,
            0,
        )

    directory = (
        entry("Root Entry", 5, 1, end, 0) + entry("Workbook", 2, nostream, 2, 4096) + entry("", 0, nostream, 0, 0) * 2
    )
    stream = (b"\x09\x08\x10\x00\x00\x06\x05\x00").ljust(4096, b"\0")
    return header + struct.pack("<128I", *fat) + directory + stream


def upload(content, name="liste.bin"):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@pytest.mark.parametrize(
    "content, expected",
    [
        (PDF, "application/pdf"),
        ("nom;prénom\nDupont;Jérôme\n".encode(), "text/plain"),
        ("nom;prénom\nDupont;Jérôme\n".encode("latin-1"), "text/plain"),
        (b"nom,prenom,classe\nDupont,Jean,2A\nMartin,Luc,2B\n", "text/csv"),
        (xlsx_bytes(), XLSX),
        (ods_bytes(), ODS),
        (xls_bytes(), "application/vnd.ms-excel"),
    ],
)
def test_accepted_formats(content, expected):
    file = upload(content)
    assert validate_class_list(file) == expected
    assert file.read() == content  # left at the start for storing


@pytest.mark.parametrize(
    "content",
    [
        b"<html><body><script>alert(1)</script></body></html>",  # HTML, even named .csv
        b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200,  # a Windows program
        zip_bytes([("a.txt", "x")]),  # a ZIP that is no spreadsheet
        b"PK\x03\x04" + b"\x00" * 100,  # a broken ZIP
        ods_bytes("application/vnd.oasis.opendocument.text"),  # a text document, not a spreadsheet
        bytes.fromhex("d0cf11e0a1b11ae1") + b"\x00" * 600,  # a broken compound file
        b"\x89PNG\r\n\x1a\n" + b"\x00" * 100,
    ],
)
def test_other_contents_are_refused_whatever_their_name(content):
    with translation.override("en"), pytest.raises(ValidationError) as error:
        validate_class_list(upload(content, "liste.csv"))
    assert error.value.code == "bad_type"
    assert "PDF, a text or CSV file or a spreadsheet" in error.value.messages[0]


def test_empty_and_too_large_files_are_refused():
    with pytest.raises(ValidationError) as error:
        validate_class_list(upload(b""))
    assert error.value.code == "empty"
    with translation.override("en"), pytest.raises(ValidationError) as error:
        validate_class_list(upload(PDF + b"0" * CLASS_LIST_MAX_SIZE))
    assert error.value.code == "too_large" and "the limit is 5.0" in error.value.messages[0]
    assert validate_class_list(upload(pdf_of_size(CLASS_LIST_MAX_SIZE))) == "application/pdf"


def test_served_types_follow_the_stored_extension():
    assert class_list_content_type("group_class_lists/class-list-x.csv") == "text/csv; charset=utf-8"
    assert class_list_content_type("group_class_lists/class-list-x.XLS") == "application/vnd.ms-excel"
    assert class_list_content_type("group_class_lists/whatever.html") == "application/octet-stream"
