"""Import and export pages for every registered ledger: template, upload, dry-run report, confirm, export."""
import logging

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Layout, Submit
from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views import View
from django.views.generic import DetailView, FormView, ListView

from wuzha.lib.excel_export import iter_csv, write_xlsx
from wuzha.lib.uploads import SpreadsheetFormField

from .imports import registry
from .imports.jobs import import_job_confirm, import_job_create, is_stale, job_progress
from .imports.template import build_template
from .models import ImportJob
from .scope import user_has_role_perm
from .views_common import client_ip

log = logging.getLogger("wuzha.exports")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class LedgerMixin:
    """Resolves the ledger named in the URL and checks the user may import (or export) it somewhere."""

    ledger_action = "import"

    def dispatch(self, request, *args, **kwargs):
        self.ledger = registry.get(kwargs["ledger"])
        if self.ledger is None:
            raise Http404
        perm = self.ledger.import_permission if self.ledger_action == "import" else self.ledger.export_permission
        if not user_has_role_perm(request.user, perm):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class ImportListView(ListView):
    """The user's own import jobs, and the ledgers they may import or export."""

    template_name = "sites/import_list.html"
    paginate_by = 20

    def get_queryset(self):
        return ImportJob.objects.visible_to(self.request.user).defer("report", "content").order_by("-created_at", "-pk")

    def get_context_data(self, **kwargs):
        user = self.request.user
        ledgers = [
            {"ledger": ledger, "may_import": user_has_role_perm(user, ledger.import_permission),
             "may_export": user_has_role_perm(user, ledger.export_permission)}  # fmt: skip
            for ledger in registry.all()
        ]
        titles = {ledger.key: ledger.title for ledger in registry.all()}
        return super().get_context_data(ledgers=[x for x in ledgers if x["may_import"] or x["may_export"]],
                                        titles=titles, **kwargs)  # fmt: skip


class ImportTemplateView(LedgerMixin, View):
    def get(self, request, ledger):
        response = HttpResponse(build_template(self.ledger), content_type=XLSX)
        response["Content-Disposition"] = _attachment(f"{self.ledger.title}导入模板.xlsx")
        return response


class UploadForm(forms.Form):
    file = SpreadsheetFormField(label="选择文件", help_text="支持 .xlsx、.xls、.et(WPS)和 .csv,不超过 20 MB。")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].widget.attrs.update({"class": "form-control", "accept": ".xlsx,.xls,.et,.csv"})


class ImportUploadView(LedgerMixin, FormView):
    form_class = UploadForm
    template_name = "sites/import_upload.html"

    def form_valid(self, form):
        try:
            job = import_job_create(actor=self.request.user, ledger=self.ledger, uploaded=form.cleaned_data["file"])
        except ValidationError as exc:
            form.add_error("file", exc)
            return self.form_invalid(form)
        return redirect(job.get_absolute_url())

    def get_context_data(self, **kwargs):
        return super().get_context_data(ledger=self.ledger, **kwargs)


class JobMixin:
    model = ImportJob

    def get_queryset(self):
        return ImportJob.objects.visible_to(self.request.user).defer("content").select_related("same_as")


class ImportJobView(JobMixin, DetailView):
    template_name = "sites/import_job.html"
    context_object_name = "job"

    def get_context_data(self, **kwargs):
        ledger = registry.get(self.object.ledger)
        return super().get_context_data(
            ledger=ledger, progress=job_progress(self.object), stale=is_stale(self.object), **kwargs
        )


class ImportJobProgressView(JobMixin, DetailView):
    """The progress card, polled by htmx; once the job settles, the page reloads to show the outcome."""

    template_name = "sites/partials/_import_progress.html"
    context_object_name = "job"

    def render_to_response(self, context, **kwargs):
        response = super().render_to_response({**context, "progress": job_progress(self.object)}, **kwargs)
        if not self.object.is_active:
            response["HX-Refresh"] = "true"
        return response


class ImportJobConfirmView(JobMixin, View):
    """POST queues the all-or-nothing write; GET (after a scope check) just goes back to the job."""

    def get_job(self):
        return get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])

    def get(self, request, pk):
        return redirect(self.get_job().get_absolute_url())

    def post(self, request, pk):
        job = self.get_job()
        try:
            job = import_job_confirm(actor=request.user, job=job)
        except ValidationError as exc:
            messages.error(request, ";".join(exc.messages))
        else:
            if job.status == ImportJob.Status.DONE:
                messages.success(request, f"已导入“{job.original_name}”。")
        return redirect(job.get_absolute_url())


class LedgerExportView(LedgerMixin, View):
    """Exactly what the ledger's list shows under the same filters, as xlsx or csv, streamed."""

    ledger_action = "export"

    def get(self, request, ledger):
        if getattr(self.ledger, "export_needs_reason", False):  # key persons: a reason first, sent by POST
            return self.ask_reason(ExportReasonForm(user=request.user))
        return self.respond(request, self.ledger.export_rows(request.user, request.GET))

    def post(self, request, ledger):
        if not getattr(self.ledger, "export_needs_reason", False):
            return self.get(request, ledger)
        form = ExportReasonForm(request.POST, user=request.user)
        if not form.is_valid():
            return self.ask_reason(form)
        try:
            rows = self.ledger.export_rows(request.user, request.GET, reason=form.cleaned_data["reason"],
                                           full=form.cleaned_data.get("full", False), ip=client_ip(request))  # fmt: skip
        except ValidationError as exc:
            form.add_error(None, exc.messages)
            return self.ask_reason(form)
        return self.respond(request, rows)

    def ask_reason(self, form):
        return render(self.request, "sites/simple_form.html", {"form": form, "title": f"导出{self.ledger.title}"})

    def respond(self, request, rows):
        fmt = request.GET.get("fmt", "xlsx")
        headers = [c.header for c in self.ledger.columns]
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        filters = sorted(k for k in request.GET if k not in ("fmt", "page"))
        log.info("export: ledger=%s user=%s fmt=%s filters=%s", self.ledger.key, request.user.pk, fmt, filters)
        if fmt == "csv":
            response = StreamingHttpResponse(iter_csv(headers, rows), content_type="text/csv; charset=utf-8")
            response["Content-Disposition"] = _attachment(f"{self.ledger.title}-{stamp}.csv")
            return response
        handle = write_xlsx(headers, rows, title=self.ledger.title)
        response = FileResponse(handle, content_type=XLSX)
        response["Content-Disposition"] = _attachment(f"{self.ledger.title}-{stamp}.xlsx")
        return response


class ExportReasonForm(forms.Form):
    """Why personal data leaves the system (logged); the full export is offered only to sites.view_full_pii."""

    reason = forms.CharField(label="导出用途", max_length=150, help_text="用途、时间、您的账号和 IP 将记入访问日志。",
                             widget=forms.TextInput(attrs={"autocomplete": "off"}))  # fmt: skip
    full = forms.BooleanField(label="导出完整身份证号和电话(仅限确有必要)", required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if not user.has_perm("sites.view_full_pii"):
            del self.fields["full"]
        self.helper = FormHelper()
        self.helper.layout = Layout(*self.fields, Submit("submit", "导出", css_class="btn-primary w-100 w-md-auto"))


def _attachment(filename: str) -> str:
    from urllib.parse import quote

    return f"attachment; filename=\"export.{filename.rsplit('.', 1)[-1]}\"; filename*=UTF-8''{quote(filename)}"
