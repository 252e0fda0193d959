"""THE single source of assessment figures per village and per site.

Dashboards (issue 8) and the compile call `figures_for_villages()` (`village_figures()` is the one-village
case); nothing else should re-derive these numbers. It costs a fixed number of queries per call (19),
whatever the number of villages, sites, activities or inspections, and returns plain data: the pure inputs for
`compute.py` plus the report's extras (deductions with reasons, propaganda by channel, key-person counts, the
number of published inspections, rectifications). The report's list of inspections is `inspection_list()`.
"""
from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple

from django.core.exceptions import EmptyResultSet
from django.db import connection, connections
from django.db.models import Count, Q, Sum

from campaigns.installs import install_figures
from campaigns.models import Activity, Campaign, Enrolment
from campaigns.channels import CONCENTRATED_CODES
from campaigns.obligation_data import (
    campaign_sites as obligation_sites, entries_from_channel_days, first_entered_day, obligation_status, survey_by_site,
)  # fmt: skip
from campaigns.sanwu_services import sanwu_for_sites
from sites.models import Area, KeyPerson, Site

from ..facts import facts_for_sites
from ..gates import evaluate_gate
from ..models import Inspection, InspectionPlan, ItemScore, Rectification, Standard
from .compute import SiteInput, VillageInput
from .details import sanwu_detail, section_points
from .rules import merged


@dataclass
class VillageFigures:
    village: VillageInput
    sites: list[SiteInput]
    enrolment: dict = field(default_factory=dict)  # site_id → enrolment status
    deductions: list[dict] = field(default_factory=list)
    propaganda: list[dict] = field(default_factory=list)
    key_persons: dict = field(default_factory=dict)
    published_inspections: int = 0  # in the period up to as_of (the list itself: `inspection_list`)
    rectifications: dict = field(default_factory=dict)


def campaign_sites(campaign: Campaign, village: Area):
    qs = Site.objects.filter(village=village, is_active=True)
    return qs.filter(kind__in=campaign.site_kinds) if campaign.site_kinds else qs


def campaign_sites_of_villages(campaign: Campaign, village_ids):
    """The campaign's active sites of many villages (what `campaign_sites` is for one village): the same sites as the
    home to-do and the missing list (`campaigns.obligation_data.campaign_sites`)."""
    return obligation_sites(campaign, village_ids=village_ids)


def village_figures(campaign: Campaign, village: Area, as_of: datetime.date, rules: dict | None = None) -> VillageFigures:
    """One village's figures: `figures_for_villages` with a single village."""
    return figures_for_villages(campaign, [village], as_of, rules)[village.code]


class SiteRow(NamedTuple):
    """What the figures read of a site, in place of a model instance: 6,000 of those per county cost more than the
    query. The helpers it is passed to (三无, facts, installs) read only these attributes."""

    id: int
    village_id: int
    name: str
    kind: str
    residents: int | None
    residents_16_60: int | None  # the install base when the campaign counts residents aged 16–60
    students: int | None
    employees: int | None

    @property
    def pk(self) -> int:
        return self.id


class ScanRow(NamedTuple):
    """One group of the activity scan: a village, site (or None), day and channel, with its figures."""

    village_id: int
    site_id: int | None
    date: datetime.date
    channel: str
    n: int  # activities
    people: int | None
    installs: int
    first_day: datetime.date  # the earliest local day a row of the group was entered
    first_install_day: datetime.date | None  # the same over the rows with app installs


def activity_scan(campaign: Campaign, village_ids, site_ids, as_of: datetime.date) -> list[ScanRow]:
    """THE one scan of the activities for a batch: up to as_of, of its villages or its sites, grouped per
    village, site, day and channel, with what every figure needs (counts, people, installs, first entries).

    One statement, two halves (UNION ALL, disjoint: the second only has rows of other villages): the rows of
    the batch's villages, and the rows of its sites entered under another village (a site that moved keeps
    its old rows' village). Each half is an index-only scan of its covering index on campaigns.Activity
    (`activity_scan_village_idx`, `activity_scan_site_idx`: every column read here is in the key), so a batch
    reads its own rows, not the whole table; `COUNT(*)`, not `COUNT(id)`, keeps it index-only."""

    def grouped(qs):
        return (
            qs.values("village_id", "site_id", "date", "channel")
            .annotate(n=Count("*"), people=Sum("people_reached"), installs=Sum("app_installs"), first_day=first_entered_day(),
                      first_install_day=first_entered_day(Q(app_installs__gt=0)))
            .values_list(*ScanRow._fields)
            .order_by()
        )  # fmt: skip

    rows = Activity.objects.filter(campaign=campaign, date__lte=as_of)
    own = grouped(rows.filter(village_id__in=village_ids))
    moved = grouped(rows.filter(site_id__in=site_ids).exclude(village_id__in=village_ids))
    return list(map(ScanRow._make, plain_rows(own.union(moved, all=True))))


def plain_rows(qs) -> list[tuple]:
    """`list(qs)` of a values_list() queryset, without Django's per-value converters where the driver already
    returns every value in its Python type (PostgreSQL: ints, dates, decimals; the local day is cast in SQL). At
    county scale the scan is ~78,000 rows of 9 values and the published inspections 20,000 rows: the converters
    (int() of the counts and sums, TruncDate's) took longer than the query. Other backends (SQLite returns dates
    as text) go through the queryset as usual. Same rows either way (`test_plain_rows_equal_the_querysets_N6_4`)."""
    if connection.vendor != "postgresql":
        return list(qs)
    try:
        sql, params = qs.query.get_compiler(qs.db).as_sql()
    except EmptyResultSet:  # e.g. `__in=[]`: the queryset itself would give [] without asking the database
        return []
    with connections[qs.db].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def published_inspections(campaign: Campaign, site_ids, as_of: datetime.date):
    """The campaign's inspections of these sites made in the period up to as_of (by the day of the visit) and
    published by now: the ones the scores count and the report lists. A compile "as of 2022年3月31日" made later
    counts the March inspections published in April; whether a result is published is checked when compiling."""
    return Inspection.objects.filter(
        site__in=site_ids, plan__campaign=campaign, status=Inspection.Status.PUBLISHED,
        inspected_on__gte=campaign.starts_on, inspected_on__lte=min(as_of, campaign.ends_on),
    )  # fmt: skip


class ListedInspection(NamedTuple):
    site: str
    plan: str  # 明查 / 暗访
    date: datetime.date  # the day of the visit
    score: Decimal | None
    vetoed: bool


def inspection_list(campaign: Campaign, village_ids, as_of: datetime.date) -> dict[int, list[ListedInspection]]:
    """Per village id, its sites' published inspections up to as_of, oldest first: the report's 检查结果 sheet.

    Read when the report is written, not kept in the run's village rows: it is the input the scores were made
    from (20,000 rows in a county), and the rows hold the results."""
    plan_kinds = dict(InspectionPlan.Kind.choices)
    site_ids = campaign_sites_of_villages(campaign, village_ids).values("pk")
    listed = defaultdict(list)
    for village_id, site, plan_kind, published_on, score, vetoed in plain_rows(
        published_inspections(campaign, site_ids, as_of).values_list(
            "site__village_id", "site__name", "plan__kind", "inspected_on", "score", "vetoed"
        ).order_by("inspected_on", "pk")
    ):  # fmt: skip
        listed[village_id].append(ListedInspection(site, plan_kinds.get(plan_kind, plan_kind), published_on, score, vetoed))
    return listed


def _towns(villages: list[Area]) -> dict[int, Area]:
    """The parent of each village: the cached one where loaded (select_related), else one query for all."""
    towns = {v.parent_id: v.parent for v in villages if v.parent_id and Area.parent.is_cached(v)}
    missing = {v.parent_id for v in villages if v.parent_id and v.parent_id not in towns}
    if missing:
        towns |= {a.pk: a for a in Area.objects.filter(pk__in=missing)}
    return towns


def figures_for_villages(campaign: Campaign, villages, as_of: datetime.date, rules: dict | None = None) -> dict[str, VillageFigures]:
    """Figures of many villages at once, keyed by village code: what dashboards and the compile call.

    A fixed number of queries per call (19) whatever the number of villages, sites, activities or
    inspections: every query covers all the villages and the rows are grouped here.
    """
    villages = list(villages)
    if not villages:
        return {}
    r = merged(rules)
    start, end = campaign.starts_on, min(as_of, campaign.ends_on)
    towns = _towns(villages)
    village_ids = [v.pk for v in villages]
    sites_qs = campaign_sites_of_villages(campaign, village_ids)
    # per village, the order of `campaign_sites(...).order_by("name", "pk")`
    sites = list(map(SiteRow._make, sites_qs.order_by("name", "pk").values_list(*SiteRow._fields)))
    village_of_site = {s.pk: s.village_id for s in sites}
    names = {s.pk: s.name for s in sites}
    sites_by_village = defaultdict(list)
    for s in sites:
        sites_by_village[s.village_id].append(s)
    site_ids = sites_qs.values("pk")  # a subquery: no list of thousands of parameters
    village_set = set(village_ids)
    scan = activity_scan(campaign, village_ids, site_ids, as_of)
    # One pass over the scan (~20,000 groups per batch of 100 villages): the rows of the batch's campaign sites
    # (obligations, the install ledger), their activity in the period (facts), the villages' propaganda.
    site_rows = []
    activity = defaultdict(lambda: {"events": 0, "installs": 0})  # per site, in the period
    ledger = defaultdict(int)  # installs on or before as_of, per site (issue 10's ledger figure)
    propaganda_sums = {}  # (village id, channel) → [count, people, installs] in the period
    for row in scan:
        in_period = start <= row.date <= end
        if row.site_id in village_of_site:
            site_rows.append(row)
            ledger[row.site_id] += row.installs
            if in_period:
                a = activity[row.site_id]
                if row.channel in CONCENTRATED_CODES:
                    a["events"] += row.n
                a["installs"] += row.installs
        if in_period and row.village_id in village_set:
            p = propaganda_sums.get((row.village_id, row.channel))
            if p is None:
                p = propaganda_sums[row.village_id, row.channel] = [0, 0, 0]
            p[0] += row.n
            p[1] += row.people or 0
            p[2] += row.installs or 0
    sanwu = sanwu_for_sites(campaign, sites, site_ids=site_ids)
    per_site = defaultdict(lambda: [0, 0, 0])
    own = defaultdict(lambda: [0, 0])  # village code → [expected, done]
    entries = entries_from_channel_days(site_rows)
    for o in obligation_status(campaign, sites_qs, as_of, activity_entries=entries):
        if o.subject == "site" and o.expected:
            row = per_site[o.subject_id]
            row[0] += 1
            row[1] += o.done
            row[2] += o.done and o.on_time
        elif o.subject == "village" and o.expected:
            own[o.subject_id][0] += 1
            own[o.subject_id][1] += o.done
    installs = install_figures(campaign, sites, as_of, ledger=dict(ledger), site_ids=site_ids)  # THE install figure
    facts = facts_for_sites(sites, start, end, campaign, activity=dict(activity), site_ids=site_ids, installs=installs)
    standards = {}
    for st in Standard.objects.filter(campaign=campaign).order_by("site_kind", "-version"):
        standards.setdefault(st.site_kind, st)
    published = published_inspections(campaign, site_ids, as_of)
    scores = defaultdict(list)  # per site, oldest first
    inspections_of_village = Counter()
    counted = []  # the inspections the scores read, in their order (the report's section subtotals follow them)
    for site_id, score, pk in plain_rows(published.values_list("site_id", "score", "pk").order_by("inspected_on", "pk")):
        inspections_of_village[village_of_site[site_id]] += 1
        if score is not None:
            scores[site_id].append(score)
            counted.append(pk)
    sections = section_points(published, counted)
    survey = survey_by_site(campaign, site_ids, as_of, r["satisfied_at_least"])  # THE satisfaction (every page's)
    deductions = defaultdict(list)
    for row in (
        ItemScore.objects.filter(inspection__in=published.values("pk"), not_applicable=False)
        .exclude(earned__isnull=True).values(
            "inspection__site_id", "item__text", "item__section", "item__max_points", "earned", "note", "item__rule_text")
        .order_by("inspection__site_id", "item__order")
    ):  # fmt: skip
        if row["earned"] < row["item__max_points"]:
            deductions[village_of_site[row["inspection__site_id"]]].append(
                {"site": names[row["inspection__site_id"]], "item": row["item__text"][:80], "section": row["item__section"],
                 "points": str(row["item__max_points"] - (row["earned"] or 0)), "reason": row["note"] or row["item__rule_text"]}
            )  # fmt: skip
    channels = dict(Activity.Channel.choices)
    propaganda = defaultdict(list)  # per village, channels in code order
    for (village_id, channel), (n, people, app_installs) in sorted(propaganda_sums.items(), key=lambda kv: kv[0][1]):
        propaganda[village_id].append(
            {"channel": channels.get(channel, channel), "count": n, "people": people, "installs": app_installs}
        )
    categories = dict(KeyPerson.Category.choices)
    key_persons = defaultdict(dict)
    for village_id, c, n in (
        KeyPerson.objects.current().filter(village_id__in=village_ids).values_list("village_id", "category")
        .annotate(n=Count("pk")).order_by("village_id", "category")
    ):  # fmt: skip
        key_persons[village_id][categories.get(c, c)] = n
    rect = defaultdict(Counter)
    for site_id, status, n in (
        Rectification.objects.filter(site__in=site_ids, inspection__plan__campaign=campaign).values_list("site_id", "status")
        .annotate(n=Count("pk")).order_by()
    ):  # fmt: skip
        rect[village_of_site[site_id]][status] += n
    labels = dict(Rectification.Status.choices)
    enrolment = defaultdict(dict)
    for site_id, status in Enrolment.objects.filter(campaign=campaign, site__in=site_ids).values_list(
        "site_id", "status"
    ):
        enrolment[village_of_site[site_id]][site_id] = status
    out = {}
    for village in villages:
        town = towns.get(village.parent_id)
        inputs = []
        for s in sites_by_village[village.pk]:
            f = facts[s.pk]
            gate = None
            if s.kind in standards and standards[s.kind].gates:
                gate = evaluate_gate(standards[s.kind].gates, f)
            sv = survey.get(s.pk, {"n": 0, "ok": 0})
            e, d, t = per_site[s.pk]
            st = sanwu[s.pk]
            cases, override = sanwu_detail(st)
            inputs.append(SiteInput(
                site_id=s.pk, name=s.name, kind=s.kind, village_code=village.code,
                sanwu_holds=st.holds, sanwu_broken=tuple(st.derived.broken_codes) if not st.holds else (),
                gate_passed=None if gate is None else gate.passed, gate_reasons=() if gate is None else gate.reasons,
                inspection_scores=tuple(scores[s.pk]), obligations_expected=e, obligations_done=d, obligations_on_time=t,
                app_install_rate=installs[s.pk].percent,  # the conditions' figure too (facts above)
                survey_answers=sv["n"], survey_satisfied=sv["ok"],
                open_rectifications=f.open_rectifications or 0,
                sanwu_cases=cases, sanwu_override=override, section_points=sections.get(s.pk, ()),
            ))  # fmt: skip
        own_expected, own_done = own[village.code] if village.code in own else (0, 0)
        out[village.code] = VillageFigures(
            village=VillageInput(village.code, village.name, town.code if town else "", town.name if town else "",
                                 own_expected=own_expected, own_done=own_done),
            sites=inputs,
            enrolment=enrolment[village.pk],
            deductions=deductions[village.pk],
            propaganda=propaganda[village.pk],
            key_persons=key_persons[village.pk],
            published_inspections=inspections_of_village[village.pk],
            rectifications={labels.get(k, k): v for k, v in sorted(rect[village.pk].items())},
        )
    return out
