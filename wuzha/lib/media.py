"""Files belong to records: stored under random names, served only by a view that found the record through
its scope. In production the view hands the file to nginx (`X-Accel-Redirect`, setting WUZHA_MEDIA_ACCEL);
in development it streams the bytes itself. `/media/` is never mapped to a URL.
"""
import re
import uuid
from urllib.parse import quote

from django.conf import settings
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.deconstruct import deconstructible
from django.utils.http import content_disposition_header
from django.views import View

# Shown in the browser (a photo, a PDF); everything else is a download.
INLINE_TYPES = {"jpg": "image/jpeg", "jpeg": "image/jpeg", "png": "image/png", "webp": "image/webp",
                "pdf": "application/pdf"}  # fmt: skip
DOWNLOAD_TYPES = {
    "doc": "application/msword", "wps": "application/msword", "xls": "application/vnd.ms-excel",
    "et": "application/vnd.ms-excel", "csv": "text/csv",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}  # fmt: skip
# A file response is a document of its own: no script, no plugin, no form, no same-origin access (sandbox).
FILE_CSP = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"
_EXTENSION = re.compile(r"[a-z0-9]{1,5}")


def extension(name: str) -> str:
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    return ext if _EXTENSION.fullmatch(ext) else ""


@deconstructible
class RandomName:
    """`upload_to` for every file field: `<folder>/<2 hex>/<32 hex>.<ext>`, the extension kept, nothing else.

    A name says nothing about the record or the uploader and cannot be guessed from another one.
    """

    def __init__(self, folder: str):
        self.folder = folder.strip("/")

    def __call__(self, instance, filename: str) -> str:
        return self.name_for(filename)

    def name_for(self, filename: str) -> str:
        token = uuid.uuid4().hex
        return f"{self.folder}/{token[:2]}/{token}.{extension(filename) or 'bin'}"

    def __eq__(self, other):
        return isinstance(other, RandomName) and other.folder == self.folder

    def __hash__(self):
        return hash(self.folder)


def file_response(fieldfile, *, filename: str | None = None, as_attachment: bool = False):
    """The response for one stored file (404 if there is none), with the headers every file response carries.

    Photos and PDFs are shown inline unless `as_attachment` (a "download" button); everything else is a download.
    """
    if not fieldfile or not fieldfile.name:
        raise Http404("没有该文件。")
    name = fieldfile.name
    ext = extension(name)
    inline = ext in INLINE_TYPES and not as_attachment
    content_type = INLINE_TYPES.get(ext) or DOWNLOAD_TYPES.get(ext) or "application/octet-stream"
    accel = getattr(settings, "WUZHA_MEDIA_ACCEL", "")
    if accel:
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = accel.rstrip("/") + "/" + quote(name)
    else:
        try:
            handle = fieldfile.storage.open(name, "rb")
        except (FileNotFoundError, OSError):
            raise Http404("文件不存在。") from None
        response = FileResponse(handle, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(not inline, filename or name.rsplit("/", 1)[-1])
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = FILE_CSP
    return response


class RecordFileView(View):
    """GET one file of one record found through `get_queryset()` (the model's `visible_to`): out of scope is 404.

    The URL names the record (`pk`) and, when the record holds several files, which one (`field`).
    """

    model = None
    fields: tuple[str, ...] = ()
    http_method_names = ["get", "head", "options"]

    def get_queryset(self):
        return self.model.objects.visible_to(self.request.user)

    def get_record(self):
        return get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])

    def download_name(self, record, field: str) -> str | None:
        return None

    def get(self, request, *args, **kwargs):
        record = self.get_record()  # the scope first: an unknown field of a record out of scope is 404 too
        field = kwargs.get("field") or self.fields[0]
        if field not in self.fields:
            raise Http404("没有该文件。")
        return file_response(getattr(record, field), filename=self.download_name(record, field))


def is_random_name(name: str, folder: str) -> bool:
    return re.fullmatch(rf"{re.escape(folder.strip('/'))}/[0-9a-f]{{2}}/[0-9a-f]{{32}}\.[a-z0-9]{{1,5}}", name) is not None


def move_to_random_names(apps, schema_editor, specs) -> None:
    """Data migrations: give every stored file of (app, model, field, folder) a random name, and its record
    (and the record's history rows) the new path. Old files are deleted once the migration has committed."""
    from django.core.files.storage import default_storage
    from django.db import transaction

    alias = schema_editor.connection.alias
    for app_label, model_name, field, folder in specs:
        model = apps.get_model(app_label, model_name)
        try:
            history = apps.get_model(app_label, f"Historical{model_name}")
        except LookupError:
            history = None
        namer = RandomName(folder)
        rows = model._base_manager.using(alias).exclude(**{field: ""}).exclude(**{f"{field}__isnull": True})
        for pk, old in rows.values_list("pk", field).iterator():
            if is_random_name(old, folder) or not default_storage.exists(old):
                continue
            with default_storage.open(old, "rb") as handle:
                new = default_storage.save(namer.name_for(old), handle)
            model._base_manager.using(alias).filter(pk=pk).update(**{field: new})
            if history is not None:
                history._base_manager.using(alias).filter(**{field: old}).update(**{field: new})
            transaction.on_commit(lambda old=old: default_storage.delete(old), using=alias)
