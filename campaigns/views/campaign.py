"""Campaign pages: list, detail (enrolments, rules, status log), status change, rules, enrolment."""
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Avg, Count, Q
from django.shortcuts import get_object_or_404, redirect
from django.views.generic import CreateView, DetailView, FormView, ListView, UpdateView

from sites.models import Site
from sites.scope import user_has_role_perm

from ..forms import CampaignForm, CampaignRulesForm
from ..models import Campaign, Enrolment
from ..obligations import RULES, rule_settings
from .common import RequirePermMixin
from ..services import campaign_save, campaign_set_status, enrolment_apply, enrolment_move, enrolment_targets


class CampaignListView(ListView):
    template_name = "campaigns/campaign_list.html"
    paginate_by = 25

    def get_queryset(self):
        return Campaign.objects.visible_to(self.request.user).select_related("scope").annotate(n=Count("enrolments")).order_by("-starts_on", "name")

    def get_context_data(self, **kwargs):
        return super().get_context_data(may_add=user_has_role_perm(self.request.user, "campaigns.add_campaign"), **kwargs)


class CampaignFormMixin:
    form_class = CampaignForm
    template_name = "campaigns/campaign_form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def form_valid(self, form):
        try:
            self.object = campaign_save(actor=self.request.user, campaign=form.instance)
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        messages.success(self.request, f"已保存创建活动“{self.object.name}”。")
        return redirect(self.object.get_absolute_url())


class CampaignCreateView(RequirePermMixin, CampaignFormMixin, CreateView):
    required_perm = "campaigns.add_campaign"


class CampaignUpdateView(CampaignFormMixin, UpdateView):
    model = Campaign

    def get_queryset(self):
        return Campaign.objects.editable_by(self.request.user).exclude(status=Campaign.Status.CLOSED)


class CampaignDetailView(DetailView):
    model = Campaign
    template_name = "campaigns/campaign_detail.html"

    def get_queryset(self):
        return Campaign.objects.visible_to(self.request.user).select_related("scope")

    def get_context_data(self, **kwargs):
        user, campaign = self.request.user, self.object
        enrolments = (
            Enrolment.objects.visible_to(user).filter(campaign=campaign).select_related("site__village")
            .annotate(answers_n=Count("answers"), satisfied_n=Count("answers", filter=Q(answers__satisfaction__gte=4)),
                      avg=Avg("answers__satisfaction"))
        )  # fmt: skip
        may_edit = Campaign.objects.editable_by(user).filter(pk=campaign.pk).exists()
        enrolled = enrolments.values("site_id")
        candidates = Site.objects.editable_by(user) if user_has_role_perm(user, "campaigns.add_enrolment") else Site.objects.none()
        candidates = candidates.active().filter(village__code__startswith=campaign.scope.prefix).exclude(pk__in=enrolled)
        if campaign.site_kinds:
            candidates = candidates.filter(kind__in=campaign.site_kinds)
        settings = rule_settings(campaign.rules)
        return super().get_context_data(
            enrolments=enrolments, may_edit=may_edit, candidates=candidates.select_related("village")[:200],
            rules=[(code, r, settings[code]) for code, r in RULES.items()],
            changes=campaign.status_changes.select_related("changed_by")[:20], Status=Campaign.Status, **kwargs,
        )  # fmt: skip


class CampaignEditMixin:
    model = Campaign

    def get_campaign(self):
        return get_object_or_404(Campaign.objects.editable_by(self.request.user), pk=self.kwargs["pk"])


class CampaignStatusView(CampaignEditMixin, DetailView):
    """GET asks to confirm; POST closes, opens or reopens (a reopening needs a reason, and is logged)."""

    template_name = "campaigns/campaign_status.html"

    def get_object(self, queryset=None):
        return self.get_campaign()

    def post(self, request, pk):
        campaign = self.get_campaign()
        try:
            campaign_set_status(actor=request.user, campaign=campaign, status=request.POST.get("status", ""),
                                reason=request.POST.get("reason", ""))  # fmt: skip
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
            return redirect("campaigns:campaign_status", pk=pk)
        messages.success(request, "活动状态已更新。")
        return redirect(campaign.get_absolute_url())


class CampaignRulesView(CampaignEditMixin, FormView):
    form_class = CampaignRulesForm
    template_name = "campaigns/campaign_rules.html"

    def dispatch(self, request, *args, **kwargs):
        self.campaign = self.get_campaign() if request.user.is_authenticated else None
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "campaign": self.campaign}

    def get_context_data(self, **kwargs):
        return super().get_context_data(campaign=self.campaign, **kwargs)

    def form_valid(self, form):
        self.campaign.rules = form.rules()
        try:
            campaign_save(actor=self.request.user, campaign=self.campaign)
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        messages.success(self.request, "考核规则已保存。")
        return redirect(self.campaign.get_absolute_url())


class EnrolView(DetailView):
    """POST: the chosen site applies to join the campaign (申报创建)."""

    model = Campaign

    def get(self, request, pk):  # nothing to show: back to the campaign (404 outside the scope)
        return redirect(get_object_or_404(Campaign.objects.visible_to(request.user), pk=pk).get_absolute_url())

    def post(self, request, pk):
        campaign = get_object_or_404(Campaign.objects.visible_to(request.user), pk=pk)
        site = get_object_or_404(Site.objects.visible_to(request.user), pk=request.POST.get("site") or 0)
        try:
            enrolment_apply(actor=request.user, campaign=campaign, site=site)
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, f"“{site.name}”已申报创建。")
        return redirect(campaign.get_absolute_url())


class EnrolmentDetailView(DetailView):
    model = Enrolment
    template_name = "campaigns/enrolment_detail.html"

    def get_queryset(self):
        return Enrolment.objects.visible_to(self.request.user).select_related("campaign", "site__village")

    def get_context_data(self, **kwargs):
        e = self.object
        targets = enrolment_targets(actor=self.request.user, enrolment=e)
        return super().get_context_data(
            targets=[(t, Enrolment.Status(t).label) for t in targets],
            changes=e.changes.select_related("changed_by"), **kwargs,
        )  # fmt: skip


class EnrolmentMoveView(DetailView):
    model = Enrolment

    def get(self, request, pk):
        get_object_or_404(Enrolment.objects.visible_to(request.user), pk=pk)
        return redirect("campaigns:enrolment_detail", pk=pk)

    def post(self, request, pk):
        enrolment = get_object_or_404(Enrolment.objects.visible_to(request.user), pk=pk)
        try:
            enrolment_move(actor=request.user, enrolment=enrolment, to_status=request.POST.get("to", ""),
                           reason=request.POST.get("reason", ""))  # fmt: skip
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, "申报状态已更新。")
        return redirect("campaigns:enrolment_detail", pk=pk)
