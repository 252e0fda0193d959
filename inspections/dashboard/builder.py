"""Rows and totals of one dashboard node (county, town, village or site), as plain data.

Every number the assessment also reports comes from `assessment.figures.figures_for_villages` and the pure
`assessment.compute` (scores, ranks, titles): never re-derived here. What the assessment does not have —
activities per month by channel, households visited, overdue rectifications, site households — is a few
aggregate queries in `series.py`. The whole result is cached per node + campaign + as-of (see `cache.py`);
it holds nothing a user-specific scope would hide, because only users who reach the whole node get here.
"""
from __future__ import annotations

import datetime
import time
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass

from django.core.cache import cache

from campaigns.installs import install_figures
from campaigns.models import Campaign, Enrolment
from campaigns.obligation_data import campaign_sites, obligation_status
from campaigns.obligations import LIGHT_BADGES, LIGHT_LABELS, effective_date, light
from sites.models import Area, Site

from ..assessment.compute import q, rank_villages, ranks, rate, site_result, town_rollup, village_result
from ..assessment.figures import figures_for_villages
from ..assessment.services import current_rules
from . import series
from .cache import KEEP, LOCK_SECONDS, TTL, WAIT_SECONDS, generations

LEVELS = {Area.Level.COUNTY: "county", Area.Level.TOWN: "town", Area.Level.VILLAGE: "village"}
CHILD_LABEL = {"county": "镇/街道", "town": "村/社区", "village": "创建单位"}


@dataclass(frozen=True)
class Node:
    """What a dashboard page is about: an area, or one site (then `area` is its village)."""

    level: str  # county / town / village / site
    area: Area
    site: Site | None = None

    @property
    def key(self) -> str:
        return f"s{self.site.pk}" if self.site else self.area.code

    @property
    def name(self) -> str:
        return self.site.name if self.site else self.area.name


def campaign_villages(campaign: Campaign, node: Node):
    """Villages of the node inside the campaign's scope (as the assessment's `run_villages`)."""
    prefix, cprefix = node.area.prefix, campaign.scope.prefix
    if prefix.startswith(cprefix):
        longer = prefix
    elif cprefix.startswith(prefix):
        longer = cprefix
    else:
        return Area.objects.none()
    return Area.objects.filter(level=Area.Level.VILLAGE, code__startswith=longer).select_related("parent").order_by("code")


class Tally:
    """Sums over sites (and villages' own duties) of the figures one row or the whole node shows."""

    def __init__(self):
        self.sites = self.expected = self.done = self.on_time = self.own_expected = self.own_done = 0
        self.answers = self.satisfied = self.open_rect = self.proposed = self.sanwu_broken = self.inspected = 0
        self.rates: list[float] = []
        self.by_kind: dict[str, Counter] = defaultdict(Counter)
        self.broken_codes: Counter = Counter()

    def add_site(self, s, result, enrolment: str) -> None:
        self.sites += 1
        self.expected += s.obligations_expected
        self.done += s.obligations_done
        self.on_time += s.obligations_on_time
        self.answers += s.survey_answers
        self.satisfied += s.survey_satisfied
        self.open_rect += s.open_rectifications
        self.inspected += bool(s.inspection_scores)
        self.proposed += result.proposed_title
        if not s.sanwu_holds:
            self.sanwu_broken += 1
            self.broken_codes.update(s.sanwu_broken or ("N1",))
        if s.app_install_rate is not None:
            self.rates.append(s.app_install_rate)
        kind = self.by_kind[s.kind]
        kind["sites"] += 1
        kind[enrolment or "none"] += 1
        kind["proposed"] += result.proposed_title

    def add_own(self, v) -> None:
        self.own_expected += v.own_expected
        self.own_done += v.own_done

    def row(self) -> dict:
        expected, done = self.expected + self.own_expected, self.done + self.own_done
        late = self.done - self.on_time
        return {
            "sites": self.sites, "expected": expected, "done": done, "late": late, "missing": expected - done,
            "site_expected": self.expected, "site_done": self.done, "on_time": self.on_time,
            "own_expected": self.own_expected, "own_done": self.own_done,
            "completion": rate(done, expected), "light": light(expected, done, late),
            "light_label": LIGHT_LABELS[light(expected, done, late)], "badge": LIGHT_BADGES[light(expected, done, late)],
            "satisfaction": rate(self.satisfied, self.answers), "answers": self.answers, "satisfied": self.satisfied,
            "install_rate": q(sum(self.rates) / len(self.rates)) if self.rates else None, "install_sites": len(self.rates),
            "open_rect": self.open_rect, "proposed": self.proposed, "inspected": self.inspected,
            "sanwu_holds": self.sites - self.sanwu_broken, "sanwu_broken": self.sanwu_broken,
        }  # fmt: skip


def build(campaign: Campaign, node: Node, as_of: datetime.date) -> dict:
    version, rules = current_rules(campaign)
    villages = list(campaign_villages(campaign, node))
    figs = figures_for_villages(campaign, villages, as_of, rules)
    total = Tally()
    groups: dict[str, Tally] = defaultdict(Tally)  # child key → tally
    village_results, site_results, site_inputs = [], {}, {}
    for v in villages:
        f = figs[v.code]
        results = [site_result(s, rules) for s in f.sites]
        village_results.append(village_result(f.village, results, rules))
        for s, r in zip(f.sites, results):
            if node.site and s.site_id != node.site.pk:
                continue
            site_results[s.site_id], site_inputs[s.site_id] = r, s
            key = {"county": v.code[:9] + "000", "town": v.code}.get(node.level, s.site_id)
            for t in (total, groups[key]):
                t.add_site(s, r, f.enrolment.get(s.site_id, ""))
        if not node.site:
            total.add_own(f.village)
            groups[{"county": v.code[:9] + "000"}.get(node.level, v.code)].add_own(f.village)
    ids = list(site_inputs)
    extra = series.extras(campaign, node, as_of, ids)
    propaganda = _propaganda(figs) if not node.site else extra["channels"]
    children = _children(node, village_results, site_results, groups, extra)
    summary = total.row()
    summary["overdue_rect"] = sum(extra["overdue"].values())
    summary["households_visited"] = extra["households_visited_total"]
    summary["households"] = sum(extra["households"].values())
    summary["households_rate"] = rate(summary["households_visited"], summary["households"])
    summary["published_inspections"] = sum(figs[v.code].published_inspections for v in villages) if not node.site else (
        len(site_inputs[node.site.pk].inspection_scores) if site_inputs else 0)  # fmt: skip
    summary["installs"] = sum(p["installs"] for p in propaganda)
    score = None
    if node.level == "town":
        towns = town_rollup(village_results)
        score = towns[0].score if towns else None
    elif node.level == "village" and village_results:
        score = village_results[0].score
    elif node.site and site_results:
        score = site_results[node.site.pk].score
    return {
        "etag": f"{node.key}:{campaign.pk}:{as_of}:{uuid.uuid4().hex}",  # one per build: the page fragment's key
        "campaign": campaign.pk, "as_of": as_of, "rolling_on": effective_date(campaign, as_of), "rules_version": version, "level": node.level, "score": score,
        "summary": summary, "kinds": _kinds(total), "sanwu_codes": sorted(total.broken_codes.items()),
        "channels": propaganda, "months": extra["months"], "monthly": extra["monthly"],
        "children": children, "child_label": CHILD_LABEL.get(node.level, ""),
        "site": _site_detail(campaign, site_results, site_inputs, node, as_of) if node.site else None,
    }  # fmt: skip


def _propaganda(figs) -> list[dict]:
    """Per channel over the node's villages, summed from the assessment's own propaganda rows."""
    sums: dict[str, dict] = {}
    for f in figs.values():
        for p in f.propaganda:
            row = sums.setdefault(p["channel"], {"channel": p["channel"], "count": 0, "people": 0, "installs": 0})
            for k in ("count", "people", "installs"):
                row[k] += p[k]
    return sorted(sums.values(), key=lambda r: (-r["count"], r["channel"]))


def _kinds(total: Tally) -> list[dict]:
    labels = dict(Site.Kind.choices)
    rows = []
    for kind, c in sorted(total.by_kind.items()):
        by_status = [(label, c[value]) for value, label in Enrolment.Status.choices]
        rows.append({"kind": kind, "label": labels.get(kind, kind), "sites": c["sites"], "by_status": by_status,
                     "not_enrolled": c["none"], "named": c[Enrolment.Status.NAMED], "proposed": c["proposed"]})  # fmt: skip
    return rows


def _children(node, village_results, site_results, groups, extra) -> list[dict]:
    rows = []
    if node.level == "county":
        for t in town_rollup(rank_villages(village_results)):
            rows.append({"key": t.code, "name": t.name, "score": t.score, "rank": t.rank, **groups[t.code].row()})
    elif node.level == "town":
        for v in rank_villages(village_results):
            rows.append({"key": v.code, "name": v.name, "score": v.score, "rank": v.rank, **groups[v.code].row()})
    elif node.level == "village":
        by = ranks({pk: r.score for pk, r in site_results.items()})
        for pk, r in site_results.items():
            rows.append({"key": pk, "name": r.name, "score": r.score, "rank": by[pk], "kind": r.kind,
                         "reasons": list(r.reasons), **groups[pk].row()})  # fmt: skip
        rows.sort(key=lambda r: (r["rank"] or 10**9, r["name"]))
    for row in rows:
        row["overdue_rect"] = extra["overdue"].get(row["key"], 0)
        row["households_visited"] = extra["households_visited"].get(row["key"], 0)
        row["households"] = extra["households"].get(row["key"], 0)
    return rows


def _site_detail(campaign, site_results, site_inputs, node, as_of) -> dict | None:
    """The site's score and reasons, and its own obligation items (the rows its counts are made of)."""
    r = site_results.get(node.site.pk)
    if r is None:
        return None
    s = site_inputs[node.site.pk]
    site = campaign_sites(campaign).filter(pk=node.site.pk)
    items = [o for o in obligation_status(campaign, site, as_of) if o.subject == "site"]
    order = {"missing": 0, "late": 1, "open": 2, "done": 3}
    return {"components": r.components, "reasons": list(r.reasons), "proposed": r.proposed_title,
            "install_missing": _install_missing(campaign, node.site, s, r.reasons, as_of),
            "gates_ok": r.gates_ok, "scores": [str(x) for x in s.inspection_scores],
            "items": [{"label": o.label, "n_id": o.n_id, "due": o.due, "done_on": o.done_on, "status": o.status,
                       "status_label": o.status_label} for o in sorted(items, key=lambda o: (order[o.status], o.due))]}  # fmt: skip


def _install_missing(campaign, site, s, reasons, as_of) -> str:
    """What to enter for the site's missing install base (THE install figure's hint), unless a failed condition
    already says it: the page says it once."""
    if s.app_install_rate is not None:
        return ""
    hint = install_figures(campaign, [site], as_of)[site.pk].missing
    return "" if hint in reasons else hint


def node_generations(node: Node) -> str:
    """The counters of the towns the node covers: part of every cache key about it."""
    return generations(_prefixes(node))


def _prefixes(node: Node) -> list[str]:
    if node.level == "county":
        towns = Area.objects.filter(level=Area.Level.TOWN, code__startswith=node.area.prefix).values_list("code", flat=True)
        return [c[:9] for c in towns]
    return [node.area.code[:9]]


def cache_key(campaign_id: int, node_key: str, as_of: datetime.date) -> str:
    return f"dash:v3:{node_key}:{campaign_id}:{as_of.isoformat()}"


def build_and_store(campaign: Campaign, node: Node, as_of: datetime.date, gens: str | None = None, *,
                    wait: bool = True) -> dict | None:
    """Build once across processes: whoever holds the lock builds, the others wait for its result
    (or, with `wait=False`, leave it to that builder and return None)."""
    key = cache_key(campaign.pk, node.key, as_of)
    gens = gens if gens is not None else generations(_prefixes(node))
    if cache.add(f"{key}:lock", 1, timeout=LOCK_SECONDS):
        try:
            data = build(campaign, node, as_of)
            cache.set(key, (gens, time.time(), data), KEEP)
            return data
        finally:
            cache.delete(f"{key}:lock")
    if not wait:
        return None
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        time.sleep(0.2)
        entry = cache.get(key)
        if entry and entry[0] == gens:
            return entry[2]
    return build(campaign, node, as_of)  # the other builder is gone or too slow: do not keep the user waiting on it


def cached_build(campaign: Campaign, node: Node, as_of: datetime.date, gens: str | None = None) -> dict:
    """`build`, cached per node + campaign + as-of and valid while the counters of its towns are unchanged.

    A county's build costs the whole county's figures (a minute at county scale), and any write anywhere in
    it invalidates the entry; so at county level a stale entry is served (marked `stale_since`) while a
    background task rebuilds it. Towns, villages and sites rebuild in the request (seconds at most).
    """
    gens = gens if gens is not None else node_generations(node)
    entry = cache.get(cache_key(campaign.pk, node.key, as_of))
    if entry and entry[0] == gens and time.time() - entry[1] < TTL:
        return entry[2]
    if entry and node.level == "county":
        from .tasks import dashboard_refresh
        from sites.outbox import task_enqueue

        if not cache.get(f"{cache_key(campaign.pk, node.key, as_of)}:lock"):
            task_enqueue(dashboard_refresh, campaign.pk, node.area.code, as_of.isoformat())
        return {**entry[2], "stale_since": entry[1]}
    return build_and_store(campaign, node, as_of, gens)
