"""THE single source of assessment figures per village and per site.

Dashboards (issue 8) and the compile call `village_figures()`; nothing else should re-derive these numbers.
It costs a fixed number of queries per village (≈ 16), whatever the number of sites, activities or
inspections in it, and returns plain data: the pure inputs for `compute.py` plus the report's extras
(deductions with reasons, propaganda by channel, key-person counts, inspection results, rectifications).
"""
from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q, Sum

from campaigns.installs import install_figures
from campaigns.models import Activity, Campaign, Enrolment, SurveyResponse
from campaigns.obligation_data import obligation_status
from campaigns.sanwu_services import sanwu_for_sites
from sites.models import Area, KeyPerson, Site

from ..facts import facts_for_sites
from ..gates import evaluate_gate
from ..models import Inspection, ItemScore, Rectification, Standard
from .compute import SiteInput, VillageInput
from .rules import merged

POPULATION_OF_KIND = {"community": "residents", "campus": "students", "enterprise": "employees"}


@dataclass
class VillageFigures:
    village: VillageInput
    sites: list[SiteInput]
    enrolment: dict = field(default_factory=dict)  # site_id → enrolment status
    deductions: list[dict] = field(default_factory=list)
    propaganda: list[dict] = field(default_factory=list)
    key_persons: dict = field(default_factory=dict)
    inspections: list[dict] = field(default_factory=list)
    rectifications: dict = field(default_factory=dict)


def install_rate(installs: int, population: int | None) -> float | None:
    """Installs (official where uploaded, else the ledger) per 100 of the site's population, capped at 100."""
    return round(min(100.0, installs * 100.0 / population), 2) if population else None


def campaign_sites(campaign: Campaign, village: Area):
    qs = Site.objects.filter(village=village, is_active=True)
    return qs.filter(kind__in=campaign.site_kinds) if campaign.site_kinds else qs


def village_figures(campaign: Campaign, village: Area, as_of: datetime.date, rules: dict | None = None) -> VillageFigures:
    r = merged(rules)
    start, end = campaign.starts_on, min(as_of, campaign.ends_on)
    sites_qs = campaign_sites(campaign, village).order_by("name", "pk")
    sites = list(sites_qs)
    ids = [s.pk for s in sites]
    town = village.parent
    sanwu = sanwu_for_sites(campaign, sites)
    obligations = obligation_status(campaign, sites_qs, as_of)
    per_site = defaultdict(lambda: [0, 0, 0])
    own = [0, 0]
    for o in obligations:
        if o.subject == "site" and o.expected:
            row = per_site[o.subject_id]
            row[0] += 1
            row[1] += o.done
            row[2] += o.done and o.on_time
        elif o.subject == "village" and o.expected:
            own[0] += 1
            own[1] += o.done
    facts = facts_for_sites(sites, start, end, campaign)
    installs = install_figures(campaign, sites, as_of)  # official figures win where uploaded (issue 10)
    standards = {}
    for st in Standard.objects.filter(campaign=campaign).order_by("site_kind", "-version"):
        standards.setdefault(st.site_kind, st)
    inspections = list(
        Inspection.objects.filter(
            site__in=ids, plan__campaign=campaign, status=Inspection.Status.PUBLISHED, published_at__date__lte=as_of
        ).select_related("plan").order_by("published_at", "pk")
    )  # fmt: skip
    scores = defaultdict(list)
    for i in inspections:
        if i.score is not None:
            scores[i.site_id].append(i.score)
    survey = {
        row["enrolment__site_id"]: row
        for row in SurveyResponse.objects.filter(
            enrolment__campaign=campaign, enrolment__site__in=ids, answered_at__date__lte=as_of
        ).values("enrolment__site_id").annotate(n=Count("pk"), ok=Count("pk", filter=Q(satisfaction__gte=r["satisfied_at_least"])))
    }  # fmt: skip
    inputs = []
    for s in sites:
        f = facts[s.pk]
        gate = None
        if s.kind in standards and standards[s.kind].gates:
            gate = evaluate_gate(standards[s.kind].gates, f)
        population = POPULATION_OF_KIND.get(s.kind, "residents")
        sv = survey.get(s.pk, {"n": 0, "ok": 0})
        e, d, t = per_site[s.pk]
        st = sanwu[s.pk]
        inputs.append(SiteInput(
            site_id=s.pk, name=s.name, kind=s.kind, village_code=village.code,
            sanwu_holds=st.holds, sanwu_broken=tuple(st.derived.broken_codes) if not st.holds else (),
            gate_passed=None if gate is None else gate.passed, gate_reasons=() if gate is None else gate.reasons,
            inspection_scores=tuple(scores[s.pk]), obligations_expected=e, obligations_done=d, obligations_on_time=t,
            app_install_rate=install_rate(installs[s.pk].used, getattr(s, population, None)),
            survey_answers=sv["n"], survey_satisfied=sv["ok"],
            open_rectifications=f.open_rectifications or 0,
        ))  # fmt: skip
    names = {s.pk: s.name for s in sites}
    deductions = [
        {"site": names[row["inspection__site_id"]], "item": row["item__text"][:80], "section": row["item__section"],
         "points": str(row["item__max_points"] - (row["earned"] or 0)), "reason": row["note"] or row["item__rule_text"]}
        for row in ItemScore.objects.filter(inspection__in=[i.pk for i in inspections], not_applicable=False)
        .exclude(earned__isnull=True).values(
            "inspection__site_id", "item__text", "item__section", "item__max_points", "earned", "note", "item__rule_text")
        .order_by("inspection__site_id", "item__order")
        if row["earned"] < row["item__max_points"]
    ]  # fmt: skip
    channels = dict(Activity.Channel.choices)
    propaganda = [
        {"channel": channels.get(row["channel"], row["channel"]), "count": row["n"],
         "people": row["people"] or 0, "installs": row["installs"] or 0}
        for row in Activity.objects.filter(campaign=campaign, village=village, date__gte=start, date__lte=end)
        .values("channel").annotate(n=Count("pk"), people=Sum("people_reached"), installs=Sum("app_installs"))
        .order_by("channel")
    ]  # fmt: skip
    kp = KeyPerson.objects.current().filter(village=village)
    categories = dict(KeyPerson.Category.choices)
    key_persons = {categories.get(c, c): n for c, n in kp.values_list("category").annotate(n=Count("pk")).order_by("category")}
    rect = Counter(dict(
        Rectification.objects.filter(site__in=ids).values_list("status").annotate(n=Count("pk")).order_by()
    ))  # fmt: skip
    labels = dict(Rectification.Status.choices)
    enrolment = dict(Enrolment.objects.filter(campaign=campaign, site__in=ids).values_list("site_id", "status"))
    return VillageFigures(
        village=VillageInput(village.code, village.name, town.code if town else "", town.name if town else "",
                             own_expected=own[0], own_done=own[1]),
        sites=inputs,
        enrolment=enrolment,
        deductions=deductions,
        propaganda=propaganda,
        key_persons=key_persons,
        inspections=[
            {"site": names[i.site_id], "plan": i.plan.get_kind_display(), "date": i.published_at.date().isoformat(),
             "score": str(i.score) if i.score is not None else "", "vetoed": i.vetoed}
            for i in inspections
        ],  # fmt: skip
        rectifications={labels.get(k, k): v for k, v in sorted(rect.items())},
    )




def figures_for_villages(campaign: Campaign, villages, as_of: datetime.date, rules: dict | None = None) -> dict[str, VillageFigures]:
    """Figures of many villages at once, keyed by village code: what dashboards and the compile call.

    Same numbers as `village_figures` for each village. (Issue 6 batches this into a fixed number of
    queries per call; until then it loops.)
    """
    return {v.code: village_figures(campaign, v, as_of, rules) for v in villages}
