"""三无 pages: the site panel (htmx), the per-campaign status list, and the two-person override."""
from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.views.generic import DetailView, FormView, ListView

from sites.forms_keypersons import ReasonForm, form_helper
from sites.models import Site
from sites.scope import user_has_role_perm

from .models import Campaign, SanwuOverride
from .sanwu_services import (
    campaign_covers, campaigns_for_site, campaigns_for_user, sanwu_for_sites, sanwu_override_confirm,
    sanwu_override_request, sanwu_override_revoke, sites_of_campaign,
)  # fmt: skip


class SiteSanwuPanelView(DetailView):
    """The site page's 三无 panel: one line per campaign covering the site."""

    model = Site
    template_name = "campaigns/sanwu/_site_panel.html"

    def get_queryset(self):
        return Site.objects.visible_to(self.request.user).select_related("village")

    def get_context_data(self, **kwargs):
        statuses = [sanwu_for_sites(c, [self.object])[self.object.pk] for c in campaigns_for_site(self.object)]
        return super().get_context_data(
            statuses=statuses,
            may_see_incidents=user_has_role_perm(self.request.user, "sites.view_incident"),
            may_override=user_has_role_perm(self.request.user, "sites.change_incident"),
            **kwargs,
        )


class SanwuStatusListView(ListView):
    """Every site of one campaign in the user's scope, with its 三无 status and the deciding incidents."""

    paginate_by = 50
    template_name = "campaigns/sanwu/status_list.html"

    def get_campaigns(self):
        return list(campaigns_for_user(self.request.user))

    def get_campaign(self):
        campaigns = self.get_campaigns()
        wanted = self.request.GET.get("campaign", "")
        chosen = next((c for c in campaigns if str(c.pk) == wanted), None)
        return chosen or (campaigns[0] if campaigns else None), campaigns

    def get_queryset(self):
        self.campaign, self.campaigns = self.get_campaign()
        if self.campaign is None:
            return Site.objects.none()
        sites = Site.objects.visible_to(self.request.user).active().select_related("village")
        return sites_of_campaign(self.campaign, sites).order_by("village__code", "name")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page = list(context["page_obj"].object_list) if context.get("page_obj") else []
        statuses = sanwu_for_sites(self.campaign, page) if self.campaign else {}
        rows = [statuses[s.pk] for s in page]
        only = self.request.GET.get("result", "")
        if only in ("holds", "broken"):
            rows = [r for r in rows if r.holds == (only == "holds")]
        context.update(
            campaign=self.campaign, campaigns=self.campaigns, rows=rows, result=only,
            querystring=f"campaign={self.campaign.pk}&result={only}" if self.campaign else "",
            may_see_incidents=user_has_role_perm(self.request.user, "sites.view_incident"),
        )  # fmt: skip
        return context


class OverrideForm(ReasonForm):
    holds = forms.TypedChoiceField(
        label="认定结果", choices=[("1", "认定为“三无”"), ("0", "认定为未达“三无”")], coerce=lambda v: v == "1"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, label="理由(核查结论和依据)", **kwargs)
        self.fields["reason"].max_length = 500
        self.helper = form_helper("holds", "reason", submit="提交,等待另一人确认")


class OverrideRequestView(FormView):
    model = Site
    form_class = OverrideForm
    template_name = "campaigns/sanwu/override_form.html"

    def get_site(self):
        if not user_has_role_perm(self.request.user, "sites.change_incident"):
            raise Http404
        return get_object_or_404(Site.objects.visible_to(self.request.user).select_related("village"), pk=self.kwargs["pk"])

    def get_campaign(self, site):
        campaign = get_object_or_404(Campaign.objects.select_related("scope"), pk=self.request.GET.get("campaign") or 0)
        if not campaign_covers(campaign, site):
            raise Http404
        return campaign

    def get_context_data(self, **kwargs):
        site = self.get_site()
        campaign = self.get_campaign(site)
        status = sanwu_for_sites(campaign, [site])[site.pk]
        return super().get_context_data(site=site, campaign=campaign, status=status, **kwargs)

    def form_valid(self, form):
        site = self.get_site()
        campaign = self.get_campaign(site)
        try:
            sanwu_override_request(actor=self.request.user, campaign=campaign, site=site,
                                   holds=form.cleaned_data["holds"], reason=form.cleaned_data["reason"])  # fmt: skip
        except (ValidationError, PermissionDenied) as exc:
            form.add_error(None, exc.messages if isinstance(exc, ValidationError) else str(exc))
            return self.form_invalid(form)
        messages.success(self.request, "已提交人工认定,须由另一名工作人员确认后生效。")
        return redirect(site.get_absolute_url())


class OverrideDecideView(FormView):
    """GET shows the request; POST with `confirm` confirms it (a second person), or revokes it with a reason."""

    model = SanwuOverride
    form_class = ReasonForm
    template_name = "campaigns/sanwu/override_decide.html"

    def get_override(self):
        qs = SanwuOverride.objects.editable_by(self.request.user).select_related("site", "campaign", "requested_by")
        return get_object_or_404(qs, pk=self.kwargs["pk"])

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        if "confirm" in self.request.POST:
            kwargs["data"] = {"reason": "确认"}
        return {**kwargs, "label": "撤销原因", "submit": "撤销此认定"}

    def get_context_data(self, **kwargs):
        override = self.get_override()
        return super().get_context_data(override=override, may_confirm=override.requested_by_id != self.request.user.pk
                                        and not override.confirmed_at and not override.revoked_at, **kwargs)  # fmt: skip

    def form_valid(self, form):
        override = self.get_override()
        try:
            if "confirm" in self.request.POST:
                sanwu_override_confirm(actor=self.request.user, override=override)
                messages.success(self.request, "已确认,人工认定生效。")
            else:
                sanwu_override_revoke(actor=self.request.user, override=override, reason=form.cleaned_data["reason"])
                messages.success(self.request, "已撤销人工认定,恢复按案事件自动判定。")
        except ValidationError as exc:
            form.add_error(None, exc.messages)
            return self.form_invalid(form)
        return redirect(override.site.get_absolute_url())
