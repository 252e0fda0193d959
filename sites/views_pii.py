"""The audited side of personal data: exact lookup by keyed hash, the full view, the export, the access log."""
import csv

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django.views.generic import FormView, ListView

from wuzha.lib.crypto import keyed_hash

from .filters_keypersons import PII_RE, KeyPersonFilter
from .forms_keypersons import ReasonForm
from .models import AccessLog, KeyPerson
from .services_keypersons import EXPORT_HEADER, keyperson_export, pii_full_view
from .views_common import RolePermRequiredMixin, SensitivePostMixin, client_ip


class KeyPersonLookupView(SensitivePostMixin, RolePermRequiredMixin, View):
    """Exact search by a full ID number or phone, sent by POST so the number never appears in a URL
    (and so in no server log): answers with a redirect to the list filtered by the keyed hash."""

    def post(self, request):
        value = "".join(request.POST.get("number", "").split())
        if not PII_RE.fullmatch(value):
            messages.error(request, "请输入完整的 18 位身份证号或 11 位手机号。")
            return redirect("sites:keyperson_list")
        return redirect(f"{reverse('sites:keyperson_list')}?h={keyed_hash(value)}")


class KeyPersonFullView(RolePermRequiredMixin, FormView):
    """The audited full view: a reason first; the POST answer shows the full values once, logged."""

    model = KeyPerson
    form_class = ReasonForm
    template_name = "sites/keyperson_full.html"

    def dispatch(self, request, *args, **kwargs):
        response = super().dispatch(request, *args, **kwargs)
        response["Cache-Control"] = "no-store"
        return response

    def get_person(self):
        person = get_object_or_404(
            KeyPerson.objects.visible_to(self.request.user).select_related("village"), pk=self.kwargs["pk"]
        )
        if not self.request.user.has_perm("sites.view_full_pii"):
            raise PermissionDenied
        return person

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "label": "查看理由", "submit": "查看完整信息",
                "help_text": "理由、时间、您的账号和 IP 将记入访问日志,综治办可查。"}  # fmt: skip

    def get_context_data(self, **kwargs):
        return super().get_context_data(person=self.get_person(), **kwargs)

    def form_valid(self, form):
        person = self.get_person()
        try:
            full = pii_full_view(actor=self.request.user, person=person, reason=form.cleaned_data["reason"],
                                 ip=client_ip(self.request))  # fmt: skip
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        return render(self.request, self.template_name, {"person": person, "full": full})


class KeyPersonExportView(RolePermRequiredMixin, FormView):
    """Masked CSV of the files the user sees (with the list's filters); every exported file is logged."""

    form_class = ReasonForm
    template_name = "sites/simple_form.html"
    role_perm = "sites.export_keyperson"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "label": "导出用途", "submit": "导出(脱敏)",
                "help_text": "导出的身份证号和电话均已脱敏;每份被导出的档案都会记入访问日志。"}  # fmt: skip

    def get_context_data(self, **kwargs):
        return super().get_context_data(title="导出重点人员名单", **kwargs)

    def form_valid(self, form):
        persons = KeyPersonFilter(
            self.request.GET, queryset=KeyPerson.objects.visible_to(self.request.user).current()
            .select_related("village", "cadre"), user=self.request.user,
        ).qs  # fmt: skip
        try:
            rows = keyperson_export(actor=self.request.user, persons=persons, reason=form.cleaned_data["reason"],
                                    ip=client_ip(self.request))  # fmt: skip
        except (ValidationError, PermissionDenied) as exc:
            form.add_error(None, exc if isinstance(exc, ValidationError) else "您没有导出权限。")
            return self.form_invalid(form)
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="keypersons-{timezone.localdate():%Y%m%d}.csv"'
        response.write("\ufeff")
        writer = csv.writer(response)
        writer.writerow(EXPORT_HEADER)
        for row in rows:
            writer.writerow([f"'{c}" if c[:1] in ("=", "+", "-", "@", "\t", "\r") else c for c in row])
        return response


class AccessLogListView(RolePermRequiredMixin, ListView):
    role_perm = "sites.view_accesslog"
    paginate_by = 50
    template_name = "sites/accesslog_list.html"

    def get_queryset(self):
        return AccessLog.objects.visible_to(self.request.user).select_related("user", "person__village", "tipoff")

    def get_context_data(self, **kwargs):
        return super().get_context_data(querystring="", **kwargs)
