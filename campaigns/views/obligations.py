"""'What is missing': expected vs done vs on time per town, village and site; the home to-do; the site panel."""
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Avg, Count, Q
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.views.generic import DetailView, TemplateView

from sites.models import Area, Site
from sites.scope import user_has_role_perm

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


@dataclass(frozen=True)
class TodoItem:
    """One thing to do next: the obligation, the form that settles it, how many days are left (negative: late)."""

    obligation: object
    url: str
    days_left: int
    may_record: bool

    @property
    def days_late(self) -> int:
        return -self.days_left


# Which right records each rule (a liaison may record an enterprise visit but no village duty).
RULE_PERMS = {
    "enterprise_monthly_visit": "campaigns.add_enterprisevisit", "school_semester_event": "campaigns.add_activity",
    "recent_outreach": "campaigns.add_activity", "village_setup": "campaigns.add_villageduty",
    "village_summary": "campaigns.add_villageduty",
}  # fmt: skip
HOME_ITEMS_SHOWN = 12


def home_todo(request, campaign) -> tuple[list[TodoItem], int]:
    """The signed-in user's missing and open obligations, most urgent first, each with the form that fulfils it.

    Only what the user's roles may record (a liaison is not asked for the village's work plan).

    Returns (the first HOME_ITEMS_SHOWN items, how many there are). A fixed number of queries whatever the size.
    """
    from ..reminders import fulfil_url

    user, as_of = request.user, _as_of(request, campaign)
    enrolled = Enrolment.objects.visible_to(user).filter(campaign=campaign).values("site_id")
    sites = Site.objects.visible_to(user).filter(pk__in=enrolled)
    may = {perm: user_has_role_perm(user, perm) for perm in set(RULE_PERMS.values())}
    items = [o for o in obligation_status(campaign, sites, as_of)
             if o.status in ("missing", "open") and may.get(RULE_PERMS.get(o.rule, ""), True)]  # fmt: skip
    items.sort(key=lambda o: (o.status != "missing", o.due, o.subject_name))
    shown = items[:HOME_ITEMS_SHOWN]
    site_villages = dict(Site.objects.filter(pk__in=[o.subject_id for o in shown if o.subject == "site"])
                         .values_list("pk", "village_id"))  # fmt: skip
    codes = dict(Area.objects.filter(code__in={o.subject_id for o in shown if o.subject == "village"})
                 .values_list("code", "pk"))  # fmt: skip
    todo = []
    for o in shown:
        village_id = site_villages.get(o.subject_id) if o.subject == "site" else codes.get(o.subject_id)
        todo.append(TodoItem(o, fulfil_url(o, campaign.pk, village_id), (o.due - as_of).days,
                             may.get(RULE_PERMS.get(o.rule, ""), False)))  # fmt: skip
    return todo, len(items)


class HomePanelView(CampaignContextMixin, TemplateView):
    """The cadre's and liaison's to-do (loaded with htmx on the home page): exactly what to do next."""

    template_name = "campaigns/partials/home_panel.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        if self.campaign:
            ctx["todo"], ctx["todo_total"] = home_todo(self.request, self.campaign)
            ctx["may_add_activity"] = user_has_role_perm(self.request.user, "campaigns.add_activity")
        return ctx
