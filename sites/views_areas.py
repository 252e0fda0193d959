"""Premises, building sweeps (unit by unit), findings, the revisit list and clue-driven rectification."""
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.views.generic import CreateView, DetailView, FormView, ListView, UpdateView

from .filters_keypersons import PremisesFilter
from .forms_areas import VISIT_CHOICES, FindingForm, PremisesForm, RectificationForm, SweepForm
from .models import Premises, Rectification, Sweep, Unit, UnitVisit
from .scope import user_has_role_perm
from .services_areas import (
    coverage_by_premises, coverage_of, finding_record, premises_save, rectification_save, revisit_units,
    sweep_record, sweep_set_visits, units_with_status,
)  # fmt: skip
from .views_common import PagedFilterView, RolePermRequiredMixin, SensitivePostMixin


class PremisesListView(PagedFilterView):
    role_perm = "sites.view_premises"
    filterset_class = PremisesFilter
    template_name = "sites/premises_list.html"

    def get_queryset(self):
        return (
            Premises.objects.visible_to(self.request.user).select_related("village", "site")
            .annotate(n_units=Count("units")).order_by("village__code", "name")
        )  # fmt: skip

    def get_context_data(self, **kwargs):
        context = super().get_context_data(may_add=user_has_role_perm(self.request.user, "sites.add_premises"),
                                           **kwargs)  # fmt: skip
        rows = list(context["page_obj"].object_list) if context.get("page_obj") else []
        cov = coverage_by_premises([p.pk for p in rows])
        context["rows"] = [(p, cov[p.pk]) for p in rows]
        return context


class PremisesDetailView(RolePermRequiredMixin, DetailView):
    role_perm = "sites.view_premises"
    model = Premises
    template_name = "sites/premises_detail.html"

    def get_queryset(self):
        return Premises.objects.visible_to(self.request.user).select_related("village__parent", "site")

    def get_context_data(self, **kwargs):
        units = units_with_status(self.object.units.all())
        return super().get_context_data(
            units=units,
            coverage=coverage_of([self.object.pk]),
            sweeps=self.object.sweeps.order_by("-done_on")[:10],
            findings=self.object.findings.select_related("sweep", "unit"),
            may_edit=Premises.objects.editable_by(self.request.user).filter(pk=self.object.pk).exists(),
            **kwargs,
        )


class PremisesFormMixin(SensitivePostMixin, RolePermRequiredMixin):
    model = Premises
    form_class = PremisesForm
    template_name = "sites/simple_form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def form_valid(self, form):
        try:
            self.object = premises_save(actor=self.request.user, premises=form.instance,
                                        units=form.cleaned_data["unit_labels"])  # fmt: skip
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        messages.success(self.request, f"已保存场所“{self.object.name}”。")
        return redirect(self.object.get_absolute_url())

    def get_context_data(self, **kwargs):
        obj = getattr(self, "object", None)
        return super().get_context_data(title=f"编辑场所:{obj.name}" if obj else "登记重点场所", **kwargs)


class PremisesCreateView(PremisesFormMixin, CreateView):
    role_perm = "sites.add_premises"


class PremisesUpdateView(PremisesFormMixin, UpdateView):
    role_perm = "sites.change_premises"

    def get_queryset(self):
        return Premises.objects.editable_by(self.request.user)


class SweepListView(RolePermRequiredMixin, ListView):
    role_perm = "sites.view_sweep"
    paginate_by = 25
    template_name = "sites/sweep_list.html"

    def get_queryset(self):
        return (
            Sweep.objects.visible_to(self.request.user).select_related("village")
            .annotate(n_visits=Count("visits", distinct=True), n_findings=Count("findings", distinct=True))
            .order_by("-done_on", "-pk")
        )  # fmt: skip

    def get_context_data(self, **kwargs):
        return super().get_context_data(querystring="", may_add=user_has_role_perm(self.request.user, "sites.add_sweep"),
                                        **kwargs)  # fmt: skip


class SweepCreateView(RolePermRequiredMixin, FormView):
    role_perm = "sites.add_sweep"
    form_class = SweepForm
    template_name = "sites/simple_form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_initial(self):
        return {"done_on": timezone.localdate()}

    def get_context_data(self, **kwargs):
        return super().get_context_data(title="登记扫楼行动", **kwargs)

    def form_valid(self, form):
        data = form.cleaned_data
        sweep = Sweep(village=data["village"], done_on=data["done_on"], team=data["team"], note=data["note"],
                      created_by=self.request.user)  # fmt: skip
        try:
            sweep_record(actor=self.request.user, sweep=sweep, premises=list(data["premises"]))
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        return redirect(reverse("sites:sweep_visits", args=[sweep.pk]))


class SweepDetailView(RolePermRequiredMixin, DetailView):
    role_perm = "sites.view_sweep"
    model = Sweep
    template_name = "sites/sweep_detail.html"

    def get_queryset(self):
        return Sweep.objects.visible_to(self.request.user).select_related("village", "created_by")

    def get_context_data(self, **kwargs):
        premises = list(self.object.premises.all())
        visits = UnitVisit.objects.filter(sweep=self.object).select_related("unit__premises")
        statuses = {v.unit_id: v.status for v in visits}
        from .coverage import coverage

        rows = []
        units = Unit.objects.filter(premises__in=premises).order_by("premises_id", "label")
        by_premises = {p.pk: [] for p in premises}
        for unit in units:
            by_premises[unit.premises_id].append(statuses.get(unit.pk))
        for p in premises:
            rows.append((p, coverage(by_premises[p.pk])))
        return super().get_context_data(
            rows=rows, visits=visits, findings=self.object.findings.select_related("premises", "unit"),
            may_edit=Sweep.objects.editable_by(self.request.user).filter(pk=self.object.pk).exists(), **kwargs,
        )  # fmt: skip


class SweepVisitsView(RolePermRequiredMixin, DetailView):
    """Unit by unit: one select per unit (status) with residents seen and app installs; POST saves all."""

    role_perm = "sites.change_sweep"
    model = Sweep
    template_name = "sites/sweep_visits.html"

    def get_queryset(self):
        return Sweep.objects.editable_by(self.request.user).select_related("village")

    def get_context_data(self, **kwargs):
        existing = {v.unit_id: v for v in UnitVisit.objects.filter(sweep=self.object)}
        premises = self.object.premises.prefetch_related(Prefetch("units", queryset=Unit.objects.order_by("label")))
        groups = [(p, [(u, existing.get(u.pk)) for u in p.units.all()]) for p in premises]
        return super().get_context_data(groups=groups, choices=VISIT_CHOICES, **kwargs)

    def post(self, request, pk):
        self.object = sweep = self.get_object()
        unit_ids = Unit.objects.filter(premises__in=sweep.premises.all()).values_list("pk", flat=True)
        visits, valid = {}, dict(UnitVisit.Status.choices)
        for uid in unit_ids:
            status = request.POST.get(f"u{uid}", "")
            if status and status not in valid:
                continue
            if status:
                seen = _int(request.POST.get(f"seen{uid}"))
                apps = _int(request.POST.get(f"app{uid}"))
                visits[uid] = (status, seen, apps)
            elif f"u{uid}" in request.POST:
                visits[uid] = None
        try:
            n = sweep_set_visits(actor=request.user, sweep=sweep, visits=visits)
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
            return redirect(reverse("sites:sweep_visits", args=[sweep.pk]))
        messages.success(request, f"已保存,本次共登记 {n} 户。")
        return redirect(sweep.get_absolute_url())


def _int(value) -> int:
    try:
        return max(0, min(int(value or 0), 999))
    except ValueError:
        return 0


class FindingCreateView(RolePermRequiredMixin, FormView):
    role_perm = "sites.add_finding"
    model = Sweep
    form_class = FindingForm
    template_name = "sites/simple_form.html"

    def get_sweep(self):
        return get_object_or_404(Sweep.objects.editable_by(self.request.user), pk=self.kwargs["pk"])

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "sweep": self.get_sweep()}

    def get_context_data(self, **kwargs):
        return super().get_context_data(title="登记扫楼发现", multipart=True, **kwargs)

    def form_valid(self, form):
        sweep = self.get_sweep()
        form.instance.sweep = sweep
        try:
            finding_record(actor=self.request.user, finding=form.instance)
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        messages.success(self.request, "已登记发现。")
        return redirect(sweep.get_absolute_url())


class RevisitListView(RolePermRequiredMixin, ListView):
    """Units whose latest sweep found nobody home: the list for the next round."""

    role_perm = "sites.view_unit"
    paginate_by = 50
    template_name = "sites/revisit_list.html"

    def get_queryset(self):
        units = Unit.objects.visible_to(self.request.user).select_related("premises__village")
        return revisit_units(units).order_by("premises__village__code", "premises__name", "label")

    def get_context_data(self, **kwargs):
        return super().get_context_data(querystring="", **kwargs)


class RectificationListView(RolePermRequiredMixin, ListView):
    role_perm = "sites.view_rectification"
    paginate_by = 25
    template_name = "sites/rectification_list.html"

    def get_queryset(self):
        qs = Rectification.objects.visible_to(self.request.user).select_related("village", "premises")
        return qs.order_by("closed_on", "-opened_on") if self.request.GET.get("open") != "1" else qs.filter(
            closed_on__isnull=True
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            querystring="", today=timezone.localdate(),
            may_add=user_has_role_perm(self.request.user, "sites.add_rectification"), **kwargs,
        )  # fmt: skip


class RectificationFormMixin(RolePermRequiredMixin):
    model = Rectification
    form_class = RectificationForm
    template_name = "sites/simple_form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def form_valid(self, form):
        try:
            rectification_save(actor=self.request.user, rectification=form.instance)
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        messages.success(self.request, "已保存整治记录。")
        return redirect(reverse("sites:rectification_list"))

    def get_context_data(self, **kwargs):
        return super().get_context_data(title="线索整治", **kwargs)


class RectificationCreateView(RectificationFormMixin, CreateView):
    role_perm = "sites.add_rectification"


class RectificationUpdateView(RectificationFormMixin, UpdateView):
    role_perm = "sites.change_rectification"

    def get_queryset(self):
        return Rectification.objects.editable_by(self.request.user)
