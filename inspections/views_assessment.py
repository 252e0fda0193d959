"""Assessment pages: start a run, watch progress (htmx), results, files, titles, appeals, compare, print."""
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.db.models.fields.json import KeyTransform
from django.views.generic import DetailView, ListView, View

from campaigns.models import Campaign
from sites.models import Area, Site
from sites.scope import user_scope
from wuzha.lib.media import file_response

from .assessment import services
from .assessment.compare import compare_runs
from .assessment.forms import AppealForm, ResolveForm, RulesForm, StartForm
from .assessment.report import case_text
from .assessment.rules import COMPONENT_LABELS
from .models import Appeal, AssessmentRules, AssessmentRun, AssessmentVillageResult
from .views.common import NoStoreMixin


def _error(request, exc):
    messages.error(request, exc.messages[0] if isinstance(exc, ValidationError) else "您无权执行此操作。")


def _may(user, perm, area) -> bool:
    return Area.objects.filter(pk=area.pk).filter(user_scope(user, perm).q(area_code="code")).exists()


class AssessmentListView(NoStoreMixin, ListView):
    template_name = "inspections/assessment_list.html"
    paginate_by = 20

    def get_queryset(self):
        return AssessmentRun.objects.visible_to(self.request.user).select_related("campaign", "scope", "requested_by")

    def get_context_data(self, **kwargs):
        user = self.request.user
        form = kwargs.pop("form", None) or StartForm(user=user)
        may_run = form.fields["scope"].queryset.exists()
        return super().get_context_data(form=form if may_run else None, **kwargs)

    def post(self, request):
        form = StartForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                run = services.assessment_start(actor=request.user, **form.cleaned_data)
            except (ValidationError, PermissionDenied) as exc:
                _error(request, exc)
            else:
                messages.success(request, "已开始考核计算,进度见下方。")
                return redirect(run)
        self.object_list = self.get_queryset()
        return self.render_to_response(self.get_context_data(form=form))


class RunMixin(NoStoreMixin):
    model = AssessmentRun

    def get_queryset(self):
        return AssessmentRun.objects.visible_to(self.request.user).select_related("campaign__scope", "scope", "requested_by")

    def get_run(self):
        return get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])


class AssessmentDetailView(RunMixin, DetailView):
    template_name = "inspections/assessment_detail.html"
    context_object_name = "run"

    def get_context_data(self, **kwargs):
        """The villages' ranking only: each village's sites (and the title forms) are on its own page, so a
        county's run page stays small (400 rows, not 6,000 sites with every figure)."""
        run, user = self.object, self.request.user
        results = list(
            run.village_results.select_related("village").defer("data")
            .annotate(summary=KeyTransform("village", "data")).order_by("rank", "village__code")
        )  # fmt: skip
        others = self.get_queryset().filter(campaign=run.campaign, status=AssessmentRun.Status.DONE).exclude(pk=run.pk)[:10]
        return super().get_context_data(
            results=results, named=run.titles.filter(granted=True).count(),
            appeals=run.appeals.select_related("village", "filed_by", "resolved_by"),
            stale=services.is_stale(run), pdf_stale=services.pdf_is_stale(run), others=others,
            events=run.events.select_related("actor"),
            may_run=_may(user, "inspections.run_assessment", run.scope),
            may_confirm=_may(user, "inspections.confirm_title", run.scope), **kwargs,
        )  # fmt: skip

    def post(self, request, pk):
        run = self.get_run()
        action = request.POST.get("action")
        try:
            if action == "resume":
                services.assessment_resume(actor=request.user, run=run)
                messages.success(request, "已重新排队,已完成的村不会重复计算。")
            elif action == "pdf":
                services.assessment_pdf_retry(actor=request.user, run=run)
                messages.success(request, "PDF 已重新排队生成。")
            elif action == "publish":
                services.assessment_publish(actor=request.user, run=run)
                messages.success(request, "已公布,各村可在复核期限内申请复核。")
            elif action == "freeze":
                services.assessment_freeze(actor=request.user, run=run)
                messages.success(request, "考核结果已定稿。")
        except (ValidationError, PermissionDenied) as exc:
            _error(request, exc)
        return redirect(run)


def deciding_cases(result, site: dict) -> list[str]:
    """The incidents that broke a site's 三无, as a person reads them (2021年12月8日 东桥村·… 发生被骗案件)."""
    return [case_text(c, result.village.name, site["name"]) for c in site.get("sanwu_cases", ())]


class RunVillageView(RunMixin, DetailView):
    """One village of a run for staff: its sites' scores, components and reasons, and 命名 (confirm or decline)."""

    template_name = "inspections/assessment_run_village.html"
    context_object_name = "run"

    def get_context_data(self, **kwargs):
        run = self.object
        result = get_object_or_404(run.village_results.select_related("village"), village_id=self.kwargs["village"])
        titles = {t.site_id: t for t in run.titles.filter(site__village_id=result.village_id).select_related("decided_by")}
        sites = [
            dict(s, title=titles.get(s["site_id"]), parts=[(label, s["components"].get(key)) for key, label in COMPONENT_LABELS.items()],
                 cases=deciding_cases(result, s))
            for s in result.data["sites"]
        ]  # fmt: skip
        return super().get_context_data(
            result=result, sites=sites,
            may_confirm=_may(self.request.user, "inspections.confirm_title", run.scope), **kwargs,
        )  # fmt: skip

    def post(self, request, pk, village):
        run = self.get_run()
        site = get_object_or_404(Site.objects.visible_to(request.user), pk=request.POST.get("site"), village_id=village)
        if request.POST.get("action") not in ("title", "decline"):
            return redirect("inspections:assessment_run_village", pk=run.pk, village=village)
        try:
            services.title_confirm(actor=request.user, run=run, site=site, granted=request.POST.get("action") == "title",
                                   note=request.POST.get("note", "")[:200])  # fmt: skip
        except (ValidationError, PermissionDenied) as exc:
            _error(request, exc)
        else:
            messages.success(request, f"已记录对“{site.name}”的命名决定。")
        return redirect("inspections:assessment_run_village", pk=run.pk, village=village)


class AssessmentProgressView(RunMixin, DetailView):
    template_name = "inspections/assessment_progress.html"
    context_object_name = "run"

    def get_context_data(self, **kwargs):
        run = self.object
        return super().get_context_data(stale=services.is_stale(run), pdf_stale=services.pdf_is_stale(run), **kwargs)


class AssessmentFileView(RunMixin, View):
    def get(self, request, pk, kind):
        run = self.get_run()
        if kind not in ("xlsx", "pdf") or not getattr(run, kind):
            raise Http404("没有该文件。")
        name = f"考核报告-{run.scope.name}-{run.as_of:%Y%m%d}-{run.pk}.{kind}"
        return file_response(getattr(run, kind), filename=name, as_attachment=True)  # the page's 下载 buttons


class AssessmentLedgersView(RunMixin, View):
    """一键生成台账: the five standard ledgers of the run's scope, from the records already entered."""

    def get(self, request, pk):
        from django.http import HttpResponse

        from sites.views_common import client_ip

        from .assessment.ledgers import build_ledgers

        run = self.get_run()
        response = HttpResponse(build_ledgers(run, request.user, ip=client_ip(request)),
                                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        from urllib.parse import quote

        name = quote(f"台账-{run.scope.name}-{run.as_of:%Y%m%d}.xlsx")
        response["Content-Disposition"] = f"attachment; filename*=UTF-8''{name}"
        return response


class AssessmentPrintView(RunMixin, DetailView):
    template_name = "inspections/assessment_print.html"
    context_object_name = "run"

    def get_context_data(self, **kwargs):
        from .assessment.files import run_results
        from .assessment.pdf import report_context

        return super().get_context_data(**report_context(self.object, run_results(self.object)), **kwargs)


class AssessmentCompareView(RunMixin, DetailView):
    template_name = "inspections/assessment_compare.html"
    context_object_name = "run"

    def get_context_data(self, **kwargs):
        run = self.object
        other = self.get_queryset().filter(pk=self.request.GET.get("other") or 0).first()
        rows = compare_runs(other, run) if other else []
        return super().get_context_data(other=other, rows=rows, **kwargs)


class MyResultsView(NoStoreMixin, ListView):
    """Published village results within the user's scope (village cadres see only their own village)."""

    template_name = "inspections/assessment_my_results.html"
    paginate_by = 20

    def get_queryset(self):
        return (
            AssessmentVillageResult.objects.visible_to(self.request.user).published()
            .select_related("village", "run__campaign").order_by("-run__published_at", "village__code")
        )  # fmt: skip


class VillageResultView(NoStoreMixin, DetailView):
    model = AssessmentVillageResult
    template_name = "inspections/assessment_village.html"
    context_object_name = "result"

    def get_queryset(self):
        return AssessmentVillageResult.objects.visible_to(self.request.user).published().select_related("village", "run__campaign")

    def get_context_data(self, **kwargs):
        r = self.object
        villages = Area.objects.filter(pk=r.village_id)
        may_appeal = _may(self.request.user, "inspections.add_appeal", r.village) and not r.run.frozen_at
        titles = {t.site_id: t for t in r.run.titles.filter(site__village_id=r.village_id)}  # 命名 decided so far
        return super().get_context_data(
            sites=[dict(s, cases=deciding_cases(r, s), title=titles.get(s["site_id"])) for s in r.data["sites"]],
            form=kwargs.pop("form", None) or (AppealForm(villages=villages, initial={"village": r.village_id}) if may_appeal else None),
            appeals=r.run.appeals.filter(village=r.village), labels=COMPONENT_LABELS, **kwargs,
        )  # fmt: skip

    def post(self, request, pk):
        self.object = r = self.get_object()
        form = AppealForm(request.POST, villages=Area.objects.filter(pk=r.village_id))
        if form.is_valid():
            try:
                services.appeal_file(actor=request.user, run=r.run, village=r.village, reason=form.cleaned_data["reason"])
            except (ValidationError, PermissionDenied) as exc:
                _error(request, exc)
            else:
                messages.success(request, "复核申请已提交。")
            return redirect("inspections:assessment_village", pk=r.pk)
        return self.render_to_response(self.get_context_data(form=form))


class AppealResolveView(NoStoreMixin, DetailView):
    model = Appeal
    template_name = "inspections/assessment_appeal.html"
    context_object_name = "appeal"

    def get_queryset(self):
        return Appeal.objects.visible_to(self.request.user).select_related("run__scope", "village", "filed_by")

    def get_context_data(self, **kwargs):
        a = self.object
        may = a.status == Appeal.Status.OPEN and _may(self.request.user, "inspections.confirm_title", a.run.scope)
        return super().get_context_data(form=kwargs.pop("form", None) or (ResolveForm() if may else None), **kwargs)

    def post(self, request, pk):
        self.object = appeal = self.get_object()
        form = ResolveForm(request.POST)
        if form.is_valid():
            try:
                services.appeal_resolve(actor=request.user, appeal=appeal, **form.cleaned_data)
            except (ValidationError, PermissionDenied) as exc:
                _error(request, exc)
            else:
                messages.success(request, "已处理复核申请。")
            return redirect("inspections:assessment_appeal", pk=appeal.pk)
        return render(request, self.template_name, self.get_context_data(form=form))


class AssessmentRulesView(NoStoreMixin, View):
    """考核规则: staff who may run the assessment over a campaign's scope edit its rules; each save is a new
    version (runs already made keep the rules they were computed with)."""

    model = Campaign
    template_name = "inspections/assessment_rules.html"

    def get_campaign(self):
        areas = Area.objects.where_user_may(self.request.user, "inspections.run_assessment")
        return get_object_or_404(Campaign.objects.filter(scope__in=areas).select_related("scope"), pk=self.kwargs["pk"])

    def _page(self, campaign, form, version):
        versions = AssessmentRules.objects.filter(campaign=campaign).select_related("created_by").order_by("-version")[:20]
        return render(self.request, self.template_name,
                      {"campaign": campaign, "form": form, "version": version, "versions": versions})  # fmt: skip

    def get(self, request, pk):
        campaign = self.get_campaign()
        version, rules = services.current_rules(campaign)
        return self._page(campaign, RulesForm(rules=rules), version)

    def post(self, request, pk):
        campaign = self.get_campaign()
        version, rules = services.current_rules(campaign)
        form = RulesForm(request.POST, rules=rules)
        if form.is_valid():
            try:
                row = services.assessment_rules_save(actor=request.user, campaign=campaign, rules=form.rules(),
                                                     note=form.cleaned_data["note"])  # fmt: skip
            except (ValidationError, PermissionDenied) as exc:
                _error(request, exc)
            else:
                messages.success(request, f"已保存考核规则第 {row.version} 版,之后开始的考核计算按此规则计算。")
                return redirect("inspections:assessment_rules", pk=campaign.pk)
        return self._page(campaign, form, version)
