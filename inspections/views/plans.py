"""Plan pages: list, create, detail (targets, draw, add sites, results by village), draw audit, publish."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Avg, Count, Max, Min
from django.shortcuts import get_object_or_404, redirect
from django.views.generic import CreateView, DetailView, TemplateView, View
from django_filters.views import FilterView

from sites.scope import user_has_role_perm
from sites.services import require_perm

from ..exports import PLAN_COLUMNS, XlsxExportMixin
from ..filters import PlanFilter
from ..forms import AddSiteForm, DrawForm, PlanForm
from ..models import InspectionPlan
from ..services import plan_add_site, plan_create, plan_draw, plan_publish, plan_verify_draw
from .common import NoStoreMixin, log_sealed_view, querystring


class PlanListView(NoStoreMixin, XlsxExportMixin, FilterView):
    export_columns, export_name = PLAN_COLUMNS, "plans"
    filterset_class = PlanFilter
    paginate_by = 25
    template_name = "inspections/plan_list.html"

    def get_filterset_kwargs(self, filterset_class):
        return {**super().get_filterset_kwargs(filterset_class), "user": self.request.user}

    def get_queryset(self):
        return (
            InspectionPlan.objects.visible_to(self.request.user)
            .select_related("area", "campaign")
            .annotate(n_targets=Count("inspections", distinct=True))
            .order_by("-starts_on", "-pk")
        )

    def get_context_data(self, **kwargs):
        may_add = user_has_role_perm(self.request.user, "inspections.add_inspectionplan")
        return super().get_context_data(may_add=may_add, querystring=querystring(self.request), **kwargs)


class PlanCreateView(NoStoreMixin, CreateView):
    form_class = PlanForm
    template_name = "inspections/plan_form.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            require_perm(request.user, "inspections.add_inspectionplan")
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def form_valid(self, form):
        crew = [(u, None) for u in form.cleaned_data["inspectors"]]
        try:
            self.object = plan_create(actor=self.request.user, plan=form.instance, crew=crew)
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        messages.success(self.request, f"已制定检查计划“{self.object.name}”。")
        return redirect(self.object.get_absolute_url())


class PlanMixin(NoStoreMixin):
    model = InspectionPlan

    def get_plan(self, editable=False):
        qs = (
            InspectionPlan.objects.editable_by(self.request.user)
            if editable
            else InspectionPlan.objects.visible_to(self.request.user)
        )
        plan = get_object_or_404(qs.select_related("area", "campaign"), pk=self.kwargs["pk"])
        log_sealed_view(self.request, plan)
        return plan


class PlanDetailView(PlanMixin, DetailView):
    template_name = "inspections/plan_detail.html"
    context_object_name = "plan"

    def get_object(self, queryset=None):
        return self.get_plan()

    def get_context_data(self, **kwargs):
        plan, user = self.object, self.request.user
        may_edit = InspectionPlan.objects.editable_by(user).filter(pk=plan.pk).exists()
        inspections = plan.inspections.select_related("site__village", "inspector").order_by(
            "site__village__code", "site__name"
        )
        by_village = (
            plan.inspections.filter(score__isnull=False)
            .values("site__village__name")
            .annotate(n=Count("pk"), avg=Avg("score"), low=Min("score"), high=Max("score"))
            .order_by("site__village__code")
        )
        return super().get_context_data(
            inspections=inspections, by_village=by_village, may_edit=may_edit and plan.status != plan.Status.PUBLISHED,
            may_publish=user_has_role_perm(user, "inspections.review_inspection") and may_edit,
            crew=plan.crew.select_related("user", "home_village"),
            draw_form=DrawForm(), add_form=AddSiteForm(plan=plan) if may_edit else None, **kwargs,
        )  # fmt: skip


class PlanDrawView(PlanMixin, View):
    def get(self, request, pk):
        return redirect(self.get_plan().get_absolute_url())

    def post(self, request, pk):
        plan = self.get_plan(editable=True)
        form = DrawForm(request.POST)
        if form.is_valid():
            try:
                result = plan_draw(
                    actor=request.user, plan=plan, n=form.cleaned_data["count"], kind=form.cleaned_data["kind"]
                )
                messages.success(request, f"已随机抽取 {len(result.site_ids)} 个单位(种子 {plan.draw_seed})。")
            except ValidationError as exc:
                messages.error(request, "；".join(exc.messages))
        else:
            messages.error(request, "请填写单位类型和抽取数量。")
        return redirect(plan.get_absolute_url())


class PlanAddSiteView(PlanMixin, View):
    def get(self, request, pk):
        return redirect(self.get_plan().get_absolute_url())

    def post(self, request, pk):
        plan = self.get_plan(editable=True)
        form = AddSiteForm(request.POST, plan=plan)
        if form.is_valid():
            try:
                plan_add_site(actor=request.user, plan=plan, **form.cleaned_data)
                messages.success(request, f"已加入检查对象“{form.cleaned_data['site'].name}”。")
            except ValidationError as exc:
                messages.error(request, "；".join(exc.messages))
        else:
            messages.error(request, "请选择创建单位和督查员。")
        return redirect(plan.get_absolute_url())


class PlanDrawAuditView(PlanMixin, TemplateView):
    """Re-runs the stored draw for anyone who may see the plan."""

    template_name = "inspections/plan_draw_audit.html"

    def get_context_data(self, **kwargs):
        plan = self.get_plan()
        check = plan_verify_draw(plan) if plan.drawn_at else None
        return super().get_context_data(plan=plan, check=check, **kwargs)


class PlanPublishView(PlanMixin, TemplateView):
    template_name = "inspections/plan_confirm_publish.html"

    def get_context_data(self, **kwargs):
        plan = self.get_plan(editable=True)
        pending = plan.inspections.exclude(status="approved").select_related("site")
        return super().get_context_data(plan=plan, pending=pending, **kwargs)

    def post(self, request, pk):
        plan = self.get_plan(editable=True)
        try:
            raised = plan_publish(actor=request.user, plan=plan)
            messages.success(request, f"已公布检查结果,生成整改任务 {raised} 项。")
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        return redirect(plan.get_absolute_url())
