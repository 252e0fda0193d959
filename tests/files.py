"""Small real files of each kind the document path accepts, and text dressed up as each of them."""
import io
import zipfile

from openpyxl import Workbook

PDF = (b"%PDF-1.4\n1 0 obj <</Type/Catalog/Pages 2 0 R>> endobj\n2 0 obj <</Type/Pages/Kids[]/Count 0>> endobj\n"
       b"trailer <</Root 1 0 R>>\n%%EOF\n")  # fmt: skip
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
DOCX_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"


def ole_bytes() -> bytes:
    """An OLE2 compound file header (what doc, xls, wps and et files are) padded to three sectors."""
    header = OLE_MAGIC + b"\x00" * 16 + b"\x3e\x00\x03\x00" + b"\xfe\xff" + b"\x09\x00" + b"\x06\x00"
    return header + b"\x00" * (1536 - len(header))


def docx_bytes(extra: dict[str, bytes] | None = None) -> bytes:
    parts = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/word/document.xml" ContentType="{DOCX_MAIN}"/></Types>'
        ).encode(),
        "word/document.xml": b'<?xml version="1.0"?><w:document xmlns:w="urn:w"><w:body/></w:document>',
        **(extra or {}),
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return out.getvalue()


def xlsx_bytes() -> bytes:
    wb = Workbook()
    wb.active.append(["名称"])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


DISGUISED_TEXT = "这不是文件,只是一段伪装的文字。\nThis is plain text.\n".encode()
