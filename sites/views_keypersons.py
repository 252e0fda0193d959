"""Key-person pages: masked everywhere; the full view and the export go through the audited services."""
import csv
import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django.views.generic import CreateView, DetailView, FormView, ListView, TemplateView, UpdateView
from django_filters.views import FilterView

from .filters_keypersons import PII_RE, AbroadFilter, KeyPersonFilter
from .forms_keypersons import AbroadCaseForm, AttemptForm, KeyPersonForm, MeasureForm, ReasonForm, RelativeForm
from wuzha.lib.crypto import keyed_hash

from .models import AbroadCase, AccessLog, KeyPerson
from .scope import user_has_role_perm
from .services_keypersons import (
    EXPORT_HEADER, abroad_case_save, attempt_record, keyperson_annul, keyperson_close, keyperson_duplicates,
    keyperson_export, keyperson_save, measure_record, pii_full_view, relative_save,
)  # fmt: skip
from .views import ScopedFilterMixin


def client_ip(request) -> str | None:
    return request.META.get("REMOTE_ADDR")


class RolePermRequiredMixin:
    """Pages of a family the user's roles do not grant at all answer 404 (their existence stays hidden)."""

    role_perm = "sites.view_keyperson"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not user_has_role_perm(request.user, self.role_perm):
            raise Http404
        return super().dispatch(request, *args, **kwargs)


class PagedFilterView(ScopedFilterMixin, RolePermRequiredMixin, FilterView):
    paginate_by = 25

    def get_context_data(self, **kwargs):
        query = self.request.GET.copy()
        query.pop("page", None)
        return super().get_context_data(querystring=query.urlencode(), **kwargs)


class KeyPersonListView(PagedFilterView):
    filterset_class = KeyPersonFilter
    template_name = "sites/keyperson_list.html"

    def get(self, request, *args, **kwargs):
        # A full number typed into the name box: swap it for its keyed hash, so that no link on the
        # page (pagination, export) and no later URL carries it.
        value = "".join(request.GET.get("q", "").split())
        if PII_RE.fullmatch(value):
            query = request.GET.copy()
            query.pop("q")
            query["h"] = keyed_hash(value)
            return redirect(f"{request.path}?{query.urlencode()}")
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        persons = KeyPerson.objects.visible_to(self.request.user).current()
        digest = self.request.GET.get("h", "")
        if digest:  # exact lookup by keyed hash (see KeyPersonLookupView)
            persons = persons.filter(Q(id_number_hash=digest) | Q(phone_hash=digest))
        return persons.select_related("village", "cadre").order_by("village__code", "name")

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            today=timezone.localdate(),
            may_add=user_has_role_perm(self.request.user, "sites.add_keyperson"),
            may_export=self.request.user.has_perm("sites.export_keyperson"),
            **kwargs,
        )


class KeyPersonLookupView(RolePermRequiredMixin, View):
    """Exact search by a full ID number or phone, sent by POST so the number never appears in a URL
    (and so in no server log): answers with a redirect to the list filtered by the keyed hash."""

    def post(self, request):
        value = "".join(request.POST.get("number", "").split())
        if not PII_RE.fullmatch(value):
            messages.error(request, "请输入完整的 18 位身份证号或 11 位手机号。")
            return redirect("sites:keyperson_list")
        return redirect(f"{reverse('sites:keyperson_list')}?h={keyed_hash(value)}")


class KeyPersonDetailView(RolePermRequiredMixin, DetailView):
    model = KeyPerson
    template_name = "sites/keyperson_detail.html"

    def get_queryset(self):
        return KeyPerson.objects.visible_to(self.request.user).select_related("village__parent", "cadre")

    def get_context_data(self, **kwargs):
        person = self.object
        return super().get_context_data(
            relatives=person.relatives.all(),
            measures=person.measures.select_related("done_by"),
            abroad=AbroadCase.objects.filter(person=person).first(),
            duplicates=keyperson_duplicates(person=person),
            may_edit=not person.annulled_at
            and KeyPerson.objects.editable_by(self.request.user).filter(pk=person.pk).exists(),
            may_full=self.request.user.has_perm("sites.view_full_pii"),
            today=timezone.localdate(),
            **kwargs,
        )


class KeyPersonFormMixin(RolePermRequiredMixin):
    model = KeyPerson
    form_class = KeyPersonForm
    template_name = "sites/simple_form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def form_valid(self, form):
        try:
            self.object = keyperson_save(
                actor=self.request.user, person=form.instance, expected_version=form.cleaned_data.get("version")
            )
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        messages.success(self.request, f"已保存“{self.object.name}”的档案。")
        return redirect(self.object.get_absolute_url())

    def get_context_data(self, **kwargs):
        title = f"编辑档案:{self.object.name}" if getattr(self, "object", None) else "新建重点人员档案"
        return super().get_context_data(title=title, **kwargs)


class KeyPersonCreateView(KeyPersonFormMixin, CreateView):
    role_perm = "sites.add_keyperson"


class KeyPersonUpdateView(KeyPersonFormMixin, UpdateView):
    def get_queryset(self):
        return KeyPerson.objects.editable_by(self.request.user).current()


class PersonActionView(RolePermRequiredMixin, FormView):
    """A form about one file in the user's editable scope (subclasses set form, title and `act`)."""

    model = KeyPerson
    template_name = "sites/simple_form.html"
    title = ""

    def get_person(self):
        if not hasattr(self, "_person"):
            qs = KeyPerson.objects.editable_by(self.request.user).current().select_related("village")
            self._person = get_object_or_404(qs, pk=self.kwargs["pk"])
        return self._person

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=f"{self.title}:{self.get_person().name}", person=self.get_person(),
                                        **kwargs)  # fmt: skip

    def form_valid(self, form):
        try:
            self.act(form)
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        return redirect(self.get_person().get_absolute_url())


class KeyPersonCloseView(PersonActionView):
    form_class = ReasonForm
    title = "注销档案"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "label": "注销原因", "submit": "确认注销",
                "help_text": "如:已死亡、户籍迁出且不再居住。档案注销后仍保留可查。"}  # fmt: skip

    def act(self, form):
        keyperson_close(actor=self.request.user, person=self.get_person(), reason=form.cleaned_data["reason"])
        messages.success(self.request, "档案已注销。")


class KeyPersonAnnulView(KeyPersonCloseView):
    title = "作废档案"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "label": "作废原因", "submit": "确认作废",
                "help_text": "仅用于录入错误的档案。作废后不再出现在名单中,记录和原因保留。"}  # fmt: skip

    def act(self, form):
        keyperson_annul(actor=self.request.user, person=self.get_person(), reason=form.cleaned_data["reason"])
        messages.success(self.request, "档案已作废。")


class RelativeCreateView(PersonActionView):
    form_class = RelativeForm
    title = "添加亲属"

    def act(self, form):
        form.instance.person = self.get_person()
        relative_save(actor=self.request.user, relative=form.instance)
        messages.success(self.request, "已添加亲属。")


class MeasureCreateView(PersonActionView):
    form_class = MeasureForm
    title = "记录管控措施"

    def get_initial(self):
        return {"done_on": timezone.localdate(), "next_due_on": timezone.localdate() + dt.timedelta(days=30)}

    def act(self, form):
        form.instance.person, form.instance.done_by = self.get_person(), self.request.user
        measure_record(actor=self.request.user, measure=form.instance)
        messages.success(self.request, "已记录措施。")


class AbroadCaseEditView(PersonActionView):
    form_class = AbroadCaseForm
    title = "境外情况"

    def get_form_kwargs(self):
        case = AbroadCase.objects.filter(person=self.get_person()).first()
        return {**super().get_form_kwargs(), "instance": case or AbroadCase(person=self.get_person())}

    def act(self, form):
        form.instance.person = self.get_person()
        abroad_case_save(actor=self.request.user, case=form.instance)
        messages.success(self.request, "已保存境外情况。")


class AttemptCreateView(RolePermRequiredMixin, FormView):
    model = AbroadCase
    form_class = AttemptForm
    template_name = "sites/simple_form.html"

    def get_case(self):
        if not hasattr(self, "_case"):
            qs = AbroadCase.objects.editable_by(self.request.user).select_related("person")
            self._case = get_object_or_404(qs.filter(person__annulled_at__isnull=True), pk=self.kwargs["pk"])
        return self._case

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "case": self.get_case()}

    def get_initial(self):
        return {"done_on": timezone.localdate()}

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=f"记录劝返工作:{self.get_case().person.name}", **kwargs)

    def form_valid(self, form):
        form.instance.case, form.instance.done_by = self.get_case(), self.request.user
        try:
            attempt_record(actor=self.request.user, attempt=form.instance)
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        messages.success(self.request, "已记录劝返工作。")
        return redirect(self.get_case().person.get_absolute_url())


class AbroadListView(PagedFilterView):
    filterset_class = AbroadFilter
    template_name = "sites/abroad_list.html"

    def get_queryset(self):
        return (
            AbroadCase.objects.visible_to(self.request.user).filter(person__annulled_at__isnull=True)
            .select_related("person__village").order_by("person__village__code", "person__name")
        )  # fmt: skip


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
        return AccessLog.objects.visible_to(self.request.user).select_related("user", "person__village")

    def get_context_data(self, **kwargs):
        return super().get_context_data(querystring="", **kwargs)


class HomePanelView(RolePermRequiredMixin, TemplateView):
    """htmx panel on the home page: the responsible cadre's overdue follow-ups and open work."""

    template_name = "sites/partials/_home_keypersons_panel.html"

    def get_context_data(self, **kwargs):
        today = timezone.localdate()
        persons = KeyPerson.objects.visible_to(self.request.user)
        mine = persons.overdue(today).filter(cadre=self.request.user).select_related("village")
        return super().get_context_data(
            mine=mine.order_by("next_followup_on")[:8],
            mine_count=mine.count(),
            overdue_count=persons.overdue(today).count(),
            abroad_open=AbroadCase.objects.visible_to(self.request.user).open().count(),
            today=today,
            **kwargs,
        )
