"""Crafted files for the upload checks: real documents, and files that only start like one."""

import io
import struct
import zipfile
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile

HTML_SCRIPT = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>\n"
#: What the defect looked like: a PDF header, then a web page.
PDF_THEN_HTML = b"%PDF-1.4\n" + HTML_SCRIPT


def pdf_bytes(pages=1, *, password=None, owner_password=None):
    """A well-formed PDF written by pypdf (blank pages), optionally encrypted."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(595, 842)
    if password is not None or owner_password is not None:
        writer.encrypt(user_password=password or "", owner_password=owner_password, algorithm="AES-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def image_bytes(fmt="PNG", size=(40, 30)):
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", size, (30, 120, 200)).save(buffer, format=fmt)
    return buffer.getvalue()


def truncated_jpeg():
    """A detailed photo cut in the middle of its compressed data: its header is whole, so it opens."""
    from PIL import Image

    buffer = io.BytesIO()
    Image.effect_noise((200, 150), 60).convert("RGB").save(buffer, format="JPEG", quality=90)
    content = buffer.getvalue()
    return content[: len(content) // 2]


def png_with_garbage():
    """A PNG signature and header (libmagic: "image/png"), then bytes that are no PNG chunks at all."""
    return png_header_only(40, 30, image=False) + b"\x13\x37garbage<script>alert(1)</script>" * 8


def polyglot_jpeg():
    """A JPEG start (SOI and a JFIF segment) followed by a web page: libmagic calls it a JPEG."""
    jfif = b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    return b"\xff\xd8\xff\xe0" + struct.pack(">H", len(jfif) + 2) + jfif + HTML_SCRIPT * 4


def _chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_header_only(width, height, *, image=True):
    """A PNG that declares ``width`` × ``height`` pixels but holds (almost) no image data."""
    start = b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
    if not image:
        return start
    return start + _chunk(b"IDAT", zlib.compress(b"\x00" * 64)) + _chunk(b"IEND", b"")


def xlsx_bytes():
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.append(["nom", "prénom", "classe"])
    workbook.active.append(["Durand", "Élise", "2nde B"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def fake_xlsx(workbook=b"<w/>"):
    """The parts libmagic looks for in a workbook (it says "XLSX"), but no workbook openpyxl could open."""
    xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    types = (
        '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        f'<Override PartName="/xl/workbook.xml" ContentType="{xlsx}.main+xml"/></Types>'
    )
    parts = [("[Content_Types].xml", types), ("_rels/.rels", "<Relationships/>"), ("xl/workbook.xml", workbook)]
    return zip_bytes(parts)


def zip_bytes(files):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files:
            archive.writestr(name, content)
    return buffer.getvalue()


def upload(content, name="document.bin", content_type="application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)
