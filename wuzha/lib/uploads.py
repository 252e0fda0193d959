"""One path in per kind of file: photo, document, spreadsheet. Checked by content, never by name alone.

Every model file field is a `PhotoField`, `DocumentField` or `SpreadsheetField` (tests walk every model to
make sure); their form fields check the upload when the form is cleaned, and the model fields check it again
in `full_clean` (services, the admin). A file already stored is not read again: it was checked on its way in.
- photos: wuzha/lib/photos.py (decoded with Pillow, one size limit, EXIF kept, re-encoded);
- documents: PDF, Word, Excel, WPS and photos, by magic bytes and structure; web pages, SVG, scripts and
  programs are refused;
- spreadsheets: wuzha/lib/upload_safety.py (the import checks: macros, zip bombs, DTDs).
"""
import io
import zipfile

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.db import models
from django.db.models.fields.files import FieldFile, ImageFieldFile

from . import photos, upload_safety
from .media import RandomName, extension

PHOTO, DOCUMENT, SPREADSHEET = "photo", "document", "spreadsheet"

DOCUMENT_MAX_BYTES = 20 * 1024 * 1024
DOCUMENT_ACCEPTED = "PDF、Word(.doc/.docx)、Excel(.xls/.xlsx)、WPS(.wps/.et)文件或 JPG、PNG、WEBP 图片"
OOXML_MAIN = {  # extension -> the main part's content type its [Content_Types].xml must declare
    "docx": b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    "xlsx": b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
}
OLE_EXTENSIONS = {"doc", "wps", "xls", "et"}
IMAGE_EXTENSIONS = {"jpg", "jpeg", "png", "webp"}
DOCUMENT_EXTENSIONS = {"pdf", *OOXML_MAIN, *OLE_EXTENSIONS, *IMAGE_EXTENSIONS}
# Active content: a browser would run it, or a person would. Refused by name and by content.
ACTIVE_EXTENSIONS = {
    "html", "htm", "xhtml", "shtml", "mht", "mhtml", "svg", "svgz", "xml", "xsl", "js", "mjs", "css", "swf",
    "exe", "dll", "com", "scr", "msi", "bat", "cmd", "ps1", "vbs", "vbe", "jse", "wsf", "hta", "jar", "apk",
    "sh", "php", "py", "pl", "rb", "cgi", "asp", "aspx", "jsp", "lnk",
}  # fmt: skip
_ACTIVE_MAGIC = (b"MZ", b"\x7fELF", b"#!", b"\xca\xfe\xba\xbe", b"\xcf\xfa\xed\xfe", b"\xce\xfa\xed\xfe")
_MARKUP = (b"<html", b"<!doctype", b"<script", b"<svg", b"<?xml", b"<body", b"<head", b"<iframe", b"<object")
# Files that open with one of these are binary formats of their own (their metadata may hold XML: XMP).
_KNOWN_MAGIC = (b"%PDF-", upload_safety.ZIP_MAGIC, upload_safety.OLE_MAGIC, b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"RIFF")


def _read(upload, limit: int, what: str) -> bytes:
    size = getattr(upload, "size", None)
    if size is not None and size > limit:
        raise ValidationError(f"{what}超过 {limit // 1024 // 1024} MB,请压缩或拆分后再上传。")
    upload.seek(0)
    data = upload.read(limit + 1)
    upload.seek(0)
    if len(data) > limit:
        raise ValidationError(f"{what}超过 {limit // 1024 // 1024} MB,请压缩或拆分后再上传。")
    return data


def _is_active(data: bytes) -> bool:
    """A program, a script, or markup a browser would render (HTML, SVG, XML): by its first kilobyte."""
    if data.startswith(_ACTIVE_MAGIC):
        return True
    if data.startswith(_KNOWN_MAGIC):
        return False
    head = data[:1024].lstrip(b"\xef\xbb\xbf\xff\xfe \t\r\n").lower().replace(b"\x00", b"")
    return head.startswith(b"<") or any(m in head for m in _MARKUP)


def _ole_ok(data: bytes) -> bool:
    """An OLE2 compound file header (doc, xls, wps, et): magic, byte order, a sector size of 512 or 4096."""
    if len(data) < 1536 or not data.startswith(upload_safety.OLE_MAGIC):
        return False
    byte_order, sector_shift, mini_shift = data[28:30], int.from_bytes(data[30:32], "little"), data[32:34]
    return byte_order == b"\xfe\xff" and sector_shift in (9, 12) and mini_shift == b"\x06\x00"


def _ooxml_ok(data: bytes, ext: str, what: str) -> bool:
    """A zip that passes the import's safety scan and declares the main part of a Word or Excel file."""
    if not data.startswith(upload_safety.ZIP_MAGIC):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            try:
                upload_safety.scan_zip(archive, what=what)
            except upload_safety.UnsafeFile as exc:
                raise ValidationError(exc.message) from None
            if "[Content_Types].xml" not in archive.namelist():
                return False
            with archive.open("[Content_Types].xml") as part:
                types = part.read(256 * 1024)
    except zipfile.BadZipFile:
        return False
    return OOXML_MAIN[ext] in types


def _pdf_ok(data: bytes) -> bool:
    return data.startswith(b"%PDF-") and b"%%EOF" in data[-2048:]


def check_document(upload, label: str) -> str:
    """Check an uploaded document by its content; returns its extension or raises a Chinese ValidationError."""
    name = (getattr(upload, "name", "") or "").rsplit("/", 1)[-1]
    ext = extension(name)
    what = f"“{label}”的文件“{name}”"
    data = _read(upload, DOCUMENT_MAX_BYTES, what)
    if ext in ACTIVE_EXTENSIONS or _is_active(data):
        raise ValidationError(f"“{label}”不能上传网页、SVG、脚本或可执行程序(“{name}”)。请上传{DOCUMENT_ACCEPTED}。")
    if ext not in DOCUMENT_EXTENSIONS:
        raise ValidationError(f"“{label}”不支持“{name}”这种文件,请上传{DOCUMENT_ACCEPTED}。")
    if not data:
        raise ValidationError(f"{what}是空的,请重新上传。")
    if ext in IMAGE_EXTENSIONS:
        try:
            photos.inspect_upload(upload)
        except ValidationError as exc:
            raise ValidationError(f"“{label}”:{exc.messages[0]}") from None
        return ext
    if ext in OLE_EXTENSIONS and data.startswith(upload_safety.ZIP_MAGIC):  # a .docx/.xlsx saved under the old name
        ok = _ooxml_ok(data, "docx" if ext in ("doc", "wps") else "xlsx", what)
    else:
        ok = _pdf_ok(data) if ext == "pdf" else _ooxml_ok(data, ext, what) if ext in OOXML_MAIN else _ole_ok(data)
    if not ok:
        kind = {"pdf": "PDF", "doc": "Word", "docx": "Word", "xls": "Excel", "xlsx": "Excel"}.get(ext, "WPS")
        raise ValidationError(
            f"{what}的内容不是有效的 {kind} 文件(扩展名与内容不符,或文件已损坏)。请上传{DOCUMENT_ACCEPTED}。"
        )
    return ext


def check_photo(upload, label: str) -> photos.PhotoInfo:
    try:
        return photos.inspect_upload(upload)
    except ValidationError as exc:
        raise ValidationError(f"“{label}”:{exc.messages[0]}") from None


def check_spreadsheet(upload, label: str, extensions=None) -> upload_safety.FileKind:
    name = (getattr(upload, "name", "") or "").rsplit("/", 1)[-1]
    if extensions and extension(name) not in extensions:
        accepted = "、".join(f".{e}" for e in extensions)
        raise ValidationError(f"“{label}”只能上传 {accepted} 文件(“{name}”不是)。")
    data = _read(upload, upload_safety.MAX_UPLOAD_BYTES, f"“{label}”的文件“{name}”")
    try:
        return upload_safety.check_upload(name, data)
    except upload_safety.UnsafeFile as exc:
        raise ValidationError(f"“{label}”的文件“{name}”未通过检查:{exc.message}") from None


def checked_photo(upload, info: photos.PhotoInfo) -> SimpleUploadedFile:
    """The re-encoded photo as an upload to store, carrying what the check found (so it is not decoded twice)."""
    stem = (upload.name or "photo").rsplit("/", 1)[-1].rsplit(".", 1)[0] or "photo"
    content_type = {"jpg": "image/jpeg", "png": "image/png", "webp": "image/webp"}[info.extension]
    clean = SimpleUploadedFile(f"{stem}.{info.extension}", info.content, content_type=content_type)
    clean.photo_info = photos.PhotoInfo(**{**info.__dict__, "size": len(info.content)})
    return clean


# ---- form fields ---------------------------------------------------------------------------------------


def _check(kind: str, upload, label: str):
    """The one check of each kind of file, for form fields and model fields alike."""
    return {PHOTO: check_photo, DOCUMENT: check_document, SPREADSHEET: check_spreadsheet}[kind](upload, label)


class _UploadFormField(forms.FileField):
    upload_kind = ""

    def check_upload(self, upload):
        _check(self.upload_kind, upload, self.label or "文件")
        return upload

    def clean(self, data, initial=None):
        value = super().clean(data, initial)
        if isinstance(value, UploadedFile):  # a new upload (not the stored file, not "clear")
            return self.check_upload(value)
        return value


class PhotoFormField(_UploadFormField):
    upload_kind = PHOTO

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.widget.attrs.setdefault("accept", "image/jpeg,image/png,image/webp")

    def check_upload(self, upload):
        return checked_photo(upload, check_photo(upload, self.label or "照片"))


class DocumentFormField(_UploadFormField):
    upload_kind = DOCUMENT

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.widget.attrs.setdefault("accept", ",".join(f".{e}" for e in sorted(DOCUMENT_EXTENSIONS)))


class SpreadsheetFormField(_UploadFormField):
    upload_kind = SPREADSHEET

    def __init__(self, *args, extensions=("xlsx", "xls", "et", "csv"), **kwargs):
        self.extensions = tuple(extensions)
        super().__init__(*args, **kwargs)
        self.widget.attrs.setdefault("accept", ",".join(f".{e}" for e in self.extensions))

    def check_upload(self, upload):
        check_spreadsheet(upload, self.label or "文件", self.extensions)
        return upload


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultiplePhotoField(PhotoFormField):
    """Several photos in one input; each goes through the photo path. Cleans to a list (maybe empty)."""

    widget = MultipleFileInput

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


# ---- model fields --------------------------------------------------------------------------------------


class _RecordUrl:
    """`.url` of a stored file is the record's file view (`instance.file_url(field name)`), never /media/;
    "" for a record that has no such view (forms show the file's name; crispy links it)."""

    @property
    def url(self):
        self._require_file()
        file_url = getattr(self.instance, "file_url", None)
        return file_url(self.field.name) if file_url and self.instance.pk else ""


class RecordFieldFile(_RecordUrl, FieldFile):
    pass


class RecordImageFieldFile(_RecordUrl, ImageFieldFile):
    pass


class _UploadModelField:
    """Mixin: the kind's form field, and the kind's check in `full_clean` for a file not stored yet."""

    upload_kind = ""
    form_class = None

    def __init__(self, verbose_name=None, name=None, *, upload_to: RandomName, **kwargs):
        if not isinstance(upload_to, RandomName):
            raise TypeError("file fields store under random names: upload_to=RandomName(folder)")
        super().__init__(verbose_name, name, upload_to=upload_to, **kwargs)

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": self.form_class, **kwargs})

    def validate(self, value, model_instance):
        super().validate(value, model_instance)
        if value and not getattr(value, "_committed", True):
            _check(self.upload_kind, value.file, str(self.verbose_name))


class PhotoField(_UploadModelField, models.ImageField):
    upload_kind = PHOTO
    attr_class = RecordImageFieldFile
    form_class = PhotoFormField


class DocumentField(_UploadModelField, models.FileField):
    upload_kind = DOCUMENT
    attr_class = RecordFieldFile
    form_class = DocumentFormField


class SpreadsheetField(_UploadModelField, models.FileField):
    upload_kind = SPREADSHEET
    attr_class = RecordFieldFile
    form_class = SpreadsheetFormField
