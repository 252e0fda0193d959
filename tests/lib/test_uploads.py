"""One path per kind of file (issue 18): every model file field declares its kind; every form that takes a file
refuses text dressed up as each type it accepts, in Chinese; documents are checked by content."""
import inspect
import io
import re
import zipfile

import pytest
from django import forms
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.urls import get_resolver
from django.utils.datastructures import MultiValueDict

from tests.campaigns.factories import image_bytes
from tests.files import DISGUISED_TEXT, PDF, docx_bytes, ole_bytes, xlsx_bytes
from wuzha.lib import uploads
from wuzha.lib.media import RandomName

KINDS = {uploads.PHOTO, uploads.DOCUMENT, uploads.SPREADSHEET}
CJK = re.compile(r"[\u4e00-\u9fff]")
PROJECT = ("sites.", "campaigns.", "inspections.", "wuzha.")


def model_file_fields():
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if isinstance(field, models.FileField):
                yield f"{model._meta.label}.{field.name}", field


FILE_FIELDS = sorted(model_file_fields(), key=lambda pair: pair[0])


def test_the_walk_finds_the_file_fields():
    names = {name for name, _ in FILE_FIELDS}
    assert {"campaigns.VillageDuty.document", "inspections.Evidence.image", "sites.TipPhoto.image"} <= names


@pytest.mark.parametrize("name,field", FILE_FIELDS, ids=[n for n, _ in FILE_FIELDS])
def test_every_model_file_field_declares_its_kind_and_a_random_name(name, field):
    assert getattr(field, "upload_kind", None) in KINDS, f"{name}: use PhotoField, DocumentField or SpreadsheetField"
    assert isinstance(field.upload_to, RandomName), f"{name}: upload_to=RandomName(folder)"
    formfield = field.formfield()  # what ModelForms and the admin put on the page
    assert isinstance(formfield, uploads._UploadFormField) and formfield.upload_kind == field.upload_kind, name


def _import_every_module_with_forms():
    get_resolver().url_patterns  # the URLconf imports every view, so every form
    import campaigns.bulletin_forms  # noqa: F401
    import inspections.assessment.forms  # noqa: F401
    import sites.forms_tipoffs  # noqa: F401


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def forms_taking_files():
    _import_every_module_with_forms()
    found = {}
    for form_class in _subclasses(forms.BaseForm):
        if not form_class.__module__.startswith(PROJECT):
            continue
        names = [n for n, f in getattr(form_class, "base_fields", {}).items() if isinstance(f, forms.FileField)]
        if names:
            found[f"{form_class.__module__}.{form_class.__qualname__}"] = (form_class, names)
    return found


FORMS = forms_taking_files()
ACCEPTED = {
    uploads.PHOTO: ["jpg", "jpeg", "png", "webp"],
    uploads.DOCUMENT: ["pdf", "doc", "docx", "xls", "xlsx", "wps", "et", "jpg", "jpeg", "png", "webp"],
}
CASES = [
    (label, name, ext)
    for label, (form_class, names) in sorted(FORMS.items())
    for name in names
    for ext in (
        ACCEPTED.get(form_class.base_fields[name].upload_kind)
        # a text file named .csv is a CSV: the spreadsheet kinds are tested with their binary types
        or [e for e in form_class.base_fields[name].extensions if e != "csv"]
    )
]


def test_the_walk_finds_every_form_that_takes_a_file():
    short = {label.rsplit(".", 1)[-1] for label in FORMS}
    assert {"ActivityForm", "BulletinForm", "AcknowledgeForm", "FindingForm", "SchoolDutyForm", "VillageDutyForm",
            "TipOffForm", "RespondForm", "StandardImportForm", "UploadForm", "InstallUploadForm"} <= short  # fmt: skip
    for label, (form_class, names) in FORMS.items():
        for name in names:
            assert getattr(form_class.base_fields[name], "upload_kind", "") in KINDS, f"{label}.{name}: no upload kind"


@pytest.fixture
def context(world, town_staff):
    from tests.campaigns.factories import CampaignFactory
    from tests.sites.factories import SweepFactory

    return {"user": town_staff, "campaign": CampaignFactory(scope=world.town_x), "sweep": SweepFactory(village=world.village_a)}


@pytest.mark.parametrize("label,name,ext", CASES, ids=[f"{c[0].rsplit('.', 1)[-1]}.{c[1]}.{c[2]}" for c in CASES])
def test_every_form_refuses_text_disguised_as_each_accepted_type(context, label, name, ext):
    form_class = FORMS[label][0]
    params = inspect.signature(form_class.__init__).parameters
    needed = [p for p, v in params.items() if v.kind is inspect.Parameter.KEYWORD_ONLY and v.default is inspect.Parameter.empty]
    assert set(needed) <= set(context), f"{label} needs {needed}: add them to the test's context"
    kwargs = {p: context[p] for p in params if p in context}
    disguised = SimpleUploadedFile(f"伪装文件.{ext}", DISGUISED_TEXT, content_type="application/octet-stream")
    form = form_class(data={}, files=MultiValueDict({name: [disguised]}), **kwargs)
    form.is_valid()
    errors = form.errors.get(name, [])
    assert errors, f"{label}.{name} accepted text named .{ext}"
    assert any(CJK.search(e) and "伪装文件" in e for e in errors), errors


# ---- documents by content ----


def doc(name, data):
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


@pytest.mark.parametrize("name,data", [
    ("方案.pdf", PDF), ("方案.docx", docx_bytes()), ("表.xlsx", xlsx_bytes()), ("方案.doc", ole_bytes()),
    ("表.xls", ole_bytes()), ("方案.wps", ole_bytes()), ("表.et", ole_bytes()), ("照片.jpg", image_bytes()),
    ("照片.png", image_bytes("PNG")),
    ("另存的.xls", xlsx_bytes()), ("另存的.doc", docx_bytes()),  # new formats under the old names: read as what they are
])  # fmt: skip
def test_real_documents_pass(name, data):
    assert uploads.check_document(doc(name, data), "文件") == name.rsplit(".", 1)[-1]


@pytest.mark.parametrize("name,data", [
    ("页面.html", b"<html><script>fetch('/sites/keypersons/')</script></html>"),
    ("脚本.js", b"fetch('/sites/keypersons/').then(r => r.text())"),
    ("图.svg", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'),
    ("程序.exe", b"MZ\x90\x00" + b"\x00" * 100),
    ("伪装.pdf", b"<html><script>alert(1)</script></html>"),  # markup named as a PDF
    ("伪装.doc", b"MZ\x90\x00" + b"\x00" * 2000),  # a program named as a Word file
    ("伪装.docx", b"  <!DOCTYPE html><p>"),
])  # fmt: skip
def test_web_pages_scripts_and_programs_are_refused_naming_the_field(name, data):
    with pytest.raises(ValidationError) as exc:
        uploads.check_document(doc(name, data), "校纪校规文件")
    message = exc.value.messages[0]
    assert "“校纪校规文件”" in message and "网页、SVG、脚本或可执行程序" in message and "请上传PDF" in message


@pytest.mark.parametrize("name,data", [
    ("无结尾.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\n"),  # cut short: no %%EOF
    ("压缩包.docx", docx_bytes({"[Content_Types].xml": b"<Types/>"})),  # a zip, but no Word main part
    ("表格当文档.docx", xlsx_bytes()),  # an Excel file named .docx
    ("短.doc", ole_bytes()[:600]),
    ("文字.xls", DISGUISED_TEXT),
])  # fmt: skip
def test_structure_is_checked_not_only_the_magic_bytes(name, data):
    with pytest.raises(ValidationError, match="扩展名与内容不符"):
        uploads.check_document(doc(name, data), "文件")


def test_a_docx_with_a_dtd_past_the_first_kilobytes_or_a_macro_is_refused():
    late = b'<?xml version="1.0"?>' + b"<!-- " + b"x" * 10_000 + b" -->" + b'<!DOCTYPE w [<!ENTITY e SYSTEM "file:///etc/passwd">]><w/>'
    with pytest.raises(ValidationError, match="DTD"):
        uploads.check_document(doc("方案.docx", docx_bytes({"word/document.xml": late})), "文件")
    with pytest.raises(ValidationError, match="宏"):
        uploads.check_document(doc("方案.docx", docx_bytes({"word/vbaProject.bin": b"\x00" * 64})), "文件")


def test_unsupported_and_oversized_documents_are_refused(monkeypatch):
    with pytest.raises(ValidationError, match="不支持"):
        uploads.check_document(doc("压缩包.zip", docx_bytes()), "文件")
    monkeypatch.setattr(uploads, "DOCUMENT_MAX_BYTES", 100)
    with pytest.raises(ValidationError, match="超过"):
        uploads.check_document(doc("方案.pdf", PDF + b" " * 200), "文件")


def test_photo_form_field_stores_the_re_encoded_photo_with_its_exif():
    original = image_bytes(size=(80, 60), exif_date="2021:12:01 10:30:00") + b"<script>alert(1)</script>"
    field = uploads.PhotoFormField(label="佐证照片")
    cleaned = field.clean(SimpleUploadedFile("现场.JPG", original, content_type="image/jpeg"))
    stored = cleaned.read()
    assert b"<script>" not in stored and stored.startswith(b"\xff\xd8")
    assert cleaned.name == "现场.jpg" and cleaned.photo_info.taken_at.isoformat() == "2021-12-01T10:30:00"
    from wuzha.lib.photos import inspect_upload

    assert inspect_upload(SimpleUploadedFile("again.jpg", stored)).taken_at == cleaned.photo_info.taken_at


def test_model_check_runs_in_full_clean_for_a_new_file_only(world, cadre_a, tmp_path, settings):
    from campaigns.models import VillageDuty
    from tests.campaigns.factories import CampaignFactory

    settings.MEDIA_ROOT = str(tmp_path)
    duty = VillageDuty(campaign=CampaignFactory(scope=world.town_x), village=world.village_a, kind="plan",
                       done_on="2021-11-20", document=doc("方案.pdf", DISGUISED_TEXT))  # fmt: skip
    with pytest.raises(ValidationError) as exc:
        duty.full_clean()
    assert "扩展名与内容不符" in exc.value.message_dict["document"][0]
    duty.document = doc("方案.pdf", PDF)
    duty.full_clean()
    duty.save()
    duty.refresh_from_db()
    duty.full_clean()  # the stored file is not read again


def test_check_zip_streams_every_part():
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("a.bin", b"\x00" * 70_000 + b"<!ENTITY x 'y'>")
    with zipfile.ZipFile(archive) as z, pytest.raises(Exception, match="DTD"):
        uploads.upload_safety.scan_zip(z)
