"""Inspection pages: my assignments / results, the phone score sheet with autosave, review, photos, panels."""
import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.views.generic import DetailView, TemplateView, View
from django_filters.views import FilterView

from sites.models import Site
from sites.scope import user_has_role_perm
from wuzha.lib.media import file_response

from ..exports import INSPECTION_COLUMNS, XlsxExportMixin
from ..facts import site_facts
from ..filters import InspectionFilter
from ..forms import ReturnForm, parse_marks
from ..gates import evaluate_gate
from ..models import Evidence, Inspection, InspectionPlan, ItemScore, Rectification
from ..services import evidence_add, inspection_approve, inspection_return, inspection_save_marks, inspection_submit
from ..services.inspecting import compute
from .common import NoStoreMixin, log_sealed_view, querystring


class InspectionListView(NoStoreMixin, XlsxExportMixin, FilterView):
    export_columns, export_name = INSPECTION_COLUMNS, "inspections"
    filterset_class = InspectionFilter
    paginate_by = 25
    template_name = "inspections/inspection_list.html"

    def get_filterset_kwargs(self, filterset_class):
        return {**super().get_filterset_kwargs(filterset_class), "user": self.request.user}

    def get_queryset(self):
        qs = Inspection.objects.visible_to(self.request.user).select_related("site__village", "plan", "inspector")
        if self.request.GET.get("mine"):
            qs = qs.filter(inspector=self.request.user)
        return qs.order_by("-plan__starts_on", "site__village__code", "site__name")

    def get_context_data(self, **kwargs):
        return super().get_context_data(querystring=querystring(self.request), **kwargs)


class InspectionMixin(NoStoreMixin):
    model = Inspection

    def get_inspection(self):
        qs = Inspection.objects.visible_to(self.request.user).select_related(
            "plan__area", "site__village", "inspector", "standard"
        )
        inspection = get_object_or_404(qs, pk=self.kwargs["pk"])
        log_sealed_view(self.request, inspection.plan)
        return inspection

    def rows(self, inspection):
        scores = {
            s.item_id: s
            for s in inspection.scores.prefetch_related(Prefetch("photos", queryset=Evidence.objects.order_by("pk")))
        }
        return [(item, scores.get(item.pk)) for item in inspection.standard.items.all()]


class InspectionDetailView(InspectionMixin, DetailView):
    template_name = "inspections/inspection_detail.html"

    def get_object(self, queryset=None):
        return self.get_inspection()

    def get_context_data(self, **kwargs):
        inspection, user = self.object, self.request.user
        may_review = (
            inspection.status == Inspection.Status.SUBMITTED
            and user_has_role_perm(user, "inspections.review_inspection")
            and InspectionPlan.objects.editable_by(user).filter(pk=inspection.plan_id).exists()
        )
        # The village side sees the result only: not who inspected, the review thread or its dates.
        insider = InspectionPlan.objects.visible_to(user).filter(pk=inspection.plan_id).exists()
        return super().get_context_data(
            rows=self.rows(inspection), insider=insider,
            comments=inspection.comments.select_related("author") if insider else [],
            history=inspection.history.select_related("history_user").order_by("-history_date")[:20] if insider else [],
            may_score=inspection.is_editable and inspection.inspector_id == user.pk
            and inspection.plan.status != InspectionPlan.Status.PUBLISHED,
            may_review=may_review, review_form=ReturnForm(),
            rectifications=inspection.rectifications.all(), gate=self.gate(inspection), **kwargs,
        )  # fmt: skip

    def gate(self, inspection):
        """The standard's gated conditions over the site's facts for the campaign period."""
        gates = inspection.standard.gates or {"all": []}
        if not (gates.get("all") or gates.get("any") or "fact" in gates):
            return None
        campaign = inspection.plan.campaign
        return evaluate_gate(gates, site_facts(inspection.site, campaign.starts_on, campaign.ends_on, campaign))


def parse_day(text: str | None):
    """An ISO date from a form, or None (then the service takes today); a malformed one is refused in Chinese."""
    if not text:
        return None
    try:
        return datetime.date.fromisoformat(text)
    except ValueError as exc:
        raise ValidationError("检查日期格式不正确,请按 2022-03-31 的格式填写。") from exc


class InspectionScoreView(InspectionMixin, TemplateView):
    """The phone score sheet. POST saves a draft; `X-Autosave` posts answer JSON; `submit` freezes the total."""

    template_name = "inspections/inspection_score.html"

    def get_allowed(self):
        inspection = self.get_inspection()
        if inspection.inspector_id != self.request.user.pk:
            raise PermissionDenied("只有指派的督查员可以填写本次检查。")
        return inspection

    def get_context_data(self, **kwargs):
        inspection = kwargs.pop("inspection", None) or self.get_allowed()
        result = compute(inspection)
        return super().get_context_data(inspection=inspection, rows=self.rows(inspection), result=result,
                                        today=timezone.localdate(), **kwargs)  # fmt: skip

    def post(self, request, pk):
        inspection = self.get_allowed()
        items = list(inspection.standard.items.all())
        marks, errors = parse_marks(items, request.POST)
        autosave = request.headers.get("X-Autosave") == "1"
        try:
            if errors:
                raise ValidationError(errors)
            inspection_save_marks(actor=request.user, inspection=inspection, marks=marks)
            if not autosave:
                self._photos(request, inspection, items)
            if autosave:
                score = compute(inspection).score
                return JsonResponse(
                    {
                        "ok": True,
                        "saved_at": timezone.localtime().strftime("%H:%M:%S"),
                        "score": None if score is None else str(score),
                    }
                )
            if "submit" in request.POST:
                inspection = inspection_submit(actor=request.user, inspection=inspection,
                                               inspected_on=parse_day(request.POST.get("inspected_on")))  # fmt: skip
                messages.success(request, f"已提交检查结果,得分 {inspection.score}(百分制)。")
                return redirect(inspection.get_absolute_url())
        except ValidationError as exc:
            if autosave:
                return JsonResponse({"ok": False, "errors": exc.messages}, status=400)
            for message in exc.messages:
                messages.error(request, message)
            return redirect("inspections:inspection_score", pk=inspection.pk)
        messages.success(request, "草稿已保存。")
        return redirect("inspections:inspection_score", pk=inspection.pk)

    def _photos(self, request, inspection, items):
        for item in items:
            for upload in request.FILES.getlist(f"photo-{item.pk}"):
                score, _ = ItemScore.objects.get_or_create(inspection=inspection, item=item)
                evidence_add(actor=request.user, upload=upload, item_score=score)


class InspectionReviewView(InspectionMixin, View):
    def get(self, request, pk):
        return redirect(self.get_inspection().get_absolute_url())

    def post(self, request, pk):
        inspection = self.get_inspection()
        form = ReturnForm(request.POST)
        form.is_valid()
        text = form.cleaned_data.get("text", "")
        try:
            if request.POST.get("action") == "return":
                inspection_return(actor=request.user, inspection=inspection, reason=text)
                messages.success(request, "已退回督查员修改。")
            else:
                inspection_approve(actor=request.user, inspection=inspection, comment=text)
                messages.success(request, "已审核通过。")
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        return redirect(inspection.get_absolute_url())


class EvidenceFileView(NoStoreMixin, DetailView):
    """Photos are served through the scope (never straight from /media/), so sealed photos stay sealed."""

    model = Evidence

    def get(self, request, pk):
        evidence = get_object_or_404(
            Evidence.objects.visible_to(request.user).select_related("item_score__inspection__plan"), pk=pk
        )
        if evidence.item_score_id:
            log_sealed_view(request, evidence.item_score.inspection.plan)
        return file_response(evidence.image)


class HomePanelView(NoStoreMixin, TemplateView):
    """The home page panel (loaded with htmx): my inspections, plans, open rectifications."""

    template_name = "inspections/home_panel.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        today = timezone.localdate()
        mine = Inspection.objects.visible_to(user).filter(inspector=user, status__in=Inspection.EDITABLE)
        rects = Rectification.objects.visible_to(user).open()
        return super().get_context_data(
            my_inspections=mine.select_related("site", "plan")[:10], my_count=mine.count(),
            plans=InspectionPlan.objects.visible_to(user).exclude(status="published")[:5]
            if user_has_role_perm(user, "inspections.add_inspectionplan") else [],
            open_rects=rects.count(), overdue_rects=rects.overdue(today).count(),
            results=Inspection.objects.visible_to(user).filter(status="published").count(), **kwargs,
        )  # fmt: skip


class SitePanelView(NoStoreMixin, DetailView):
    """Site page panel: published inspection history and rectifications of one site."""

    model = Site
    template_name = "inspections/site_panel.html"
    context_object_name = "site"

    def get_queryset(self):
        return Site.objects.visible_to(self.request.user)

    def get_context_data(self, **kwargs):
        user, site = self.request.user, self.object
        return super().get_context_data(
            inspections=Inspection.objects.visible_to(user).filter(site=site).select_related("plan", "inspector")
            .order_by("-plan__starts_on"),
            rectifications=Rectification.objects.visible_to(user).filter(site=site).order_by("-created_at")[:20],
            today=timezone.localdate(), **kwargs,
        )  # fmt: skip
