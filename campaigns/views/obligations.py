"""'What is missing': expected vs done vs on time per town, village and site; the home to-do; the site panel."""
from datetime import date, timedelta

from django.db.models import Avg, Count, Q
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.views.generic import DetailView, TemplateView

from sites.models import Area, Site

from ..models import Enrolment, SurveyResponse
from ..obligation_data import obligation_status
from ..obligations import rates
from .common import CampaignContextMixin


def _as_of(request, campaign) -> date:
    raw = request.GET.get("as_of", "")
    try:
        return date.fromisoformat(raw)
    except ValueError:
        # After the campaign the picture freezes a month past its end (time enough for the summaries).
        return min(timezone.localdate(), campaign.ends_on + timedelta(days=30))


class ObligationView(CampaignContextMixin, TemplateView):
    """Town → villages → sites; ?village=<id> narrows to one village and lists its sites' items."""

    template_name = "campaigns/obligations.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        if not self.campaign:
            return ctx
        user, as_of = self.request.user, _as_of(self.request, self.campaign)
        enrolled = Enrolment.objects.visible_to(user).filter(campaign=self.campaign).values("site_id")
        sites = Site.objects.visible_to(user).filter(pk__in=enrolled)
        village = None
        if self.request.GET.get("village", "").isdigit():
            village = get_object_or_404(Area.objects.visible_to(user).villages(), pk=self.request.GET["village"])
            sites = sites.filter(village=village)
        items = obligation_status(self.campaign, sites, as_of)
        names = dict(Area.objects.filter(code__in={o.village_code for o in items}).values_list("code", "name"))
        ids = dict(Area.objects.filter(code__in=names).values_list("code", "pk"))
        by_village = sorted(rates(items, lambda o: o.village_code).values(), key=lambda r: r.key)
        kind_labels = {**dict(Site.Kind.choices), "village": "村级事项"}
        by_kind = [(kind_labels.get(r.key, r.key), r) for r in rates(items, lambda o: o.kind).values()]
        by_site = sorted(rates(items, lambda o: o.subject_name).values(), key=lambda r: r.key) if village else []
        total = rates(items, lambda o: "all").get("all")
        satisfaction = (
            SurveyResponse.objects.visible_to(user).filter(enrolment__campaign=self.campaign)
            .values("enrolment__site__village__code")
            .annotate(n=Count("pk"), ok=Count("pk", filter=Q(satisfaction__gte=4)), avg=Avg("satisfaction"))
        )  # fmt: skip
        sat = {r["enrolment__site__village__code"]: r for r in satisfaction}
        problems = [o for o in items if o.status in ("missing", "late")]
        if village is None:
            problems = problems[:200]
        return {**ctx, "as_of": as_of, "village": village, "total": total, "by_kind": by_kind, "by_site": by_site,
                "by_village": [(r, names.get(r.key, r.key), ids.get(r.key), sat.get(r.key)) for r in by_village],
                "problems": problems, "open_items": [o for o in items if o.status == "open"][:50]}  # fmt: skip


class SitePanelView(CampaignContextMixin, DetailView):
    """The campaign panel of a site's page, loaded with htmx: enrolment, recent activities, what is missing."""

    model = Site
    template_name = "campaigns/partials/site_panel.html"

    def get_queryset(self):
        return Site.objects.visible_to(self.request.user)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        site = self.object
        if self.campaign:
            ctx["enrolment"] = Enrolment.objects.visible_to(self.request.user).filter(
                campaign=self.campaign, site=site).first()  # fmt: skip
            ctx["recent"] = site.activities.filter(campaign=self.campaign).order_by("-date", "-pk")[:5]
            items = obligation_status(self.campaign, Site.objects.filter(pk=site.pk), _as_of(self.request, self.campaign))
            ctx["items"] = [o for o in items if o.subject == "site"]
        return ctx


def home_todo(request, campaign) -> list:
    """The signed-in cadre's or liaison's open and missing obligations (used by the home panel)."""
    enrolled = Enrolment.objects.visible_to(request.user).filter(campaign=campaign).values("site_id")
    sites = Site.objects.visible_to(request.user).filter(pk__in=enrolled)
    items = obligation_status(campaign, sites, _as_of(request, campaign))
    return [o for o in items if o.status in ("missing", "open")][:12]


class HomePanelView(CampaignContextMixin, TemplateView):
    template_name = "campaigns/partials/home_panel.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        if self.campaign:
            ctx["todo"] = home_todo(self.request, self.campaign)
        return ctx
