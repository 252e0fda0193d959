"""'What is missing': expected vs done vs on time per town, village and site; the home to-do; the site panel.

Each page reads the figures from `obligation_data` (date, sites, obligation rows, satisfaction), the same functions
the dashboard and the assessment read, so the same village, campaign and date show the same figures everywhere.
"""
from collections import defaultdict
from dataclasses import dataclass

from django.shortcuts import get_object_or_404
from django.views.generic import DetailView, TemplateView

from sites.models import Area, Site
from sites.scope import user_has_role_perm

from ..models import Enrolment
from ..obligation_data import as_of_param, campaign_sites, obligation_status, satisfied_at_least, survey_by_site
from ..obligations import Rate, effective_date, percent, rates
from .common import CampaignContextMixin


def visible_campaign_sites(user, campaign):
    """The campaign's sites this user may see: what their pages' figures are about."""
    return campaign_sites(campaign).filter(pk__in=Site.objects.visible_to(user).values("pk"))


def subject_rates(items, subjects=("village", "site")) -> list:
    """Rates per subject (a village's own items, then each site: by id, not by name, two sites may share one), each
    keyed by its name; `site_id` is None for a village's own items."""
    chosen = [o for o in items if o.subject in subjects]
    by_id = rates(chosen, lambda o: (o.subject, o.subject_id))
    names = {(o.subject, o.subject_id): o.subject_name for o in chosen}
    for (subject, pk), r in by_id.items():
        r.site_id, r.key = (pk if subject == "site" else None), names[subject, pk]
    return sorted(by_id.values(), key=lambda r: (r.site_id is not None, r.key, r.site_id or 0))


@dataclass(frozen=True)
class Satisfaction:
    """Answers and satisfied answers of a group of sites (from `survey_by_site`), and the rate the pages print."""

    n: int
    ok: int

    @property
    def rate(self):
        return percent(self.ok, self.n)

    def __getitem__(self, key):  # {"n": …, "ok": …} as `survey_by_site` gives it per site
        return getattr(self, key)


def satisfaction_of(survey: dict, site_ids) -> Satisfaction:
    rows = [survey[pk] for pk in site_ids if pk in survey]
    return Satisfaction(sum(r["n"] for r in rows), sum(r["ok"] for r in rows))


def missing_list(campaign, sites, as_of, village=None) -> dict:
    """The missing list's figures for these (already scoped) sites: rates per village, kind and (in a village) site,
    with the same lights, completion and satisfaction as the dashboard. A fixed number of queries."""
    items = obligation_status(campaign, sites, as_of)
    at_least = satisfied_at_least(campaign)
    survey = survey_by_site(campaign, sites.values("pk"), as_of, at_least)
    site_list = list(sites.order_by("name", "pk").values_list("pk", "name", "village__code"))
    sites_of_village = defaultdict(set)  # every site counts for satisfaction, with or without items due
    for pk, _, code in site_list:
        sites_of_village[code].add(pk)
    names, ids = {}, {}
    for code, name, pk in Area.objects.filter(code__in={o.village_code for o in items}).values_list("code", "name", "pk"):
        names[code], ids[code] = name, pk
    by_village = sorted(rates(items, lambda o: o.village_code).values(), key=lambda r: r.key)
    kind_labels = {**dict(Site.Kind.choices), "village": "村级事项"}
    by_site = []
    if village:  # the village's own items, then every site (one with nothing due yet too, as on the dashboard)
        found = {r.site_id: r for r in subject_rates(items)}
        by_site = [found[None]] if None in found else []
        for pk, name, _ in site_list:
            r = found.get(pk) or Rate(name)
            r.site_id, r.key, r.satisfaction = pk, name, satisfaction_of(survey, [pk])
            by_site.append(r)
    problems = [o for o in items if o.status in ("missing", "late")]
    return {
        "as_of": as_of, "rolling_on": effective_date(campaign, as_of), "satisfied_at_least": at_least,
        "total": rates(items, lambda o: "all").get("all"), "by_site": by_site,
        "by_kind": [(kind_labels.get(r.key, r.key), r) for r in rates(items, lambda o: o.kind).values()],
        "by_village": [(r, names.get(r.key, r.key), ids.get(r.key), satisfaction_of(survey, sites_of_village[r.key]))
                       for r in by_village],
        "problems": problems if village else problems[:200], "open_items": [o for o in items if o.status == "open"][:50],
    }  # fmt: skip


class ObligationView(CampaignContextMixin, TemplateView):
    """Town → villages → sites; ?village=<id> narrows to one village and lists its sites' items."""

    template_name = "campaigns/obligations.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        if not self.campaign:
            return ctx
        user = self.request.user
        sites, village = visible_campaign_sites(user, self.campaign), None
        if self.request.GET.get("village", "").isdigit():
            village = get_object_or_404(Area.objects.visible_to(user).villages(), pk=self.request.GET["village"])
            sites = sites.filter(village=village)
        as_of = as_of_param(self.campaign, self.request.GET.get("as_of"))
        return {**ctx, "village": village, **missing_list(self.campaign, sites, as_of, village)}


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
            as_of = as_of_param(self.campaign, self.request.GET.get("as_of"))
            items = obligation_status(self.campaign, campaign_sites(self.campaign).filter(pk=site.pk), as_of)
            ctx["items"], ctx["as_of"] = [o for o in items if o.subject == "site"], as_of
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


@dataclass(frozen=True)
class HomeTodo:
    """The home panel's figures: the first items to do, how many there are (and how many missing), and the sites
    behind (落后 / 关注 by the same `light` as the dashboard, from the same obligation rows)."""

    items: list[TodoItem]
    total: int
    missing: int
    behind: list  # Rate per site whose light is red or amber, worst first
    as_of: object
    rolling_on: object


def home_todo(request, campaign) -> HomeTodo:
    """The signed-in user's missing and open obligations, most urgent first, each with the form that fulfils it.

    Only what the user's roles may record (a liaison is not asked for the village's work plan). The sites behind are
    read from all the rows of the user's sites, as the dashboard reads them. A fixed number of queries.
    """
    from ..reminders import fulfil_url

    user, as_of = request.user, as_of_param(campaign, request.GET.get("as_of"))
    rows = obligation_status(campaign, visible_campaign_sites(user, campaign), as_of)
    may = {perm: user_has_role_perm(user, perm) for perm in set(RULE_PERMS.values())}
    items = [o for o in rows if o.status in ("missing", "open") and may.get(RULE_PERMS.get(o.rule, ""), True)]
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
    behind = sorted((r for r in subject_rates(rows, ("site",)) if r.light in ("red", "amber")),
                    key=lambda r: (r.light != "red", -r.missing, r.key))  # fmt: skip
    return HomeTodo(todo, len(items), sum(o.status == "missing" for o in items), behind, as_of,
                    effective_date(campaign, as_of))


class HomePanelView(CampaignContextMixin, TemplateView):
    """The cadre's and liaison's to-do (loaded with htmx on the home page): exactly what to do next."""

    template_name = "campaigns/partials/home_panel.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        if self.campaign:
            home = home_todo(self.request, self.campaign)
            ctx.update(home=home, todo=home.items, todo_total=home.total, as_of=home.as_of)
            ctx["may_add_activity"] = user_has_role_perm(self.request.user, "campaigns.add_activity")
        return ctx
