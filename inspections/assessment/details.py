"""The report's per-site details that `figures` adds to the pure inputs: which incidents decided 三无, and the score
sheets' points per section of the inspections the scores count (one query for a whole batch)."""
from __future__ import annotations

from collections import defaultdict

from django.db.models import Min, Sum

from sites.models import Incident
from sites.sanwu import CRITERIA

from ..models import ItemScore

INCIDENT_KINDS = dict(Incident.Kind.choices)


def sanwu_detail(status) -> tuple[tuple[dict, ...], str]:
    """A `SiteSanwu` → (its deciding cases, oldest first; a manual decision that overrides them, in Chinese).

    The cases are plain dicts (code, kind, date as ISO text, fraud_type, id): they go into the run's JSON."""
    cases = tuple(
        {"code": CRITERIA[i.kind][0], "kind": INCIDENT_KINDS.get(i.kind, i.kind), "date": i.occurred_on.isoformat(),
         "fraud_type": i.label, "id": i.id}
        for i in status.derived.deciding
    )  # fmt: skip
    note = ""
    if status.overridden:
        reason = (status.override.reason or "").strip()
        note = f"人工认定“三无”{'成立' if status.holds else '不成立'}" + (f":{reason}" if reason else "")
    return cases, note


def section_points(published, order: list[int]) -> dict[int, tuple]:
    """Per site, per counted inspection (in `order`: the inspection ids the scores read, oldest first), the points
    earned and possible per section of its score sheet: {site_id: (((section, earned, possible), …), …)}.

    One query over the published inspections (a queryset); items marked 不适用 or not scored count in neither.
    Sections whose items carry no points (一票否决 only) are left out."""
    rows = (
        ItemScore.objects.filter(inspection__in=published.values("pk"), not_applicable=False, earned__isnull=False)
        .values_list("inspection_id", "inspection__site_id", "item__section")
        .annotate(earned=Sum("earned"), possible=Sum("item__max_points"), first=Min("item__order"))
        .order_by("inspection_id", "first", "item__section")
    )  # fmt: skip
    sheets: dict[int, list] = defaultdict(list)
    site_of = {}
    for inspection_id, site_id, section, earned, possible, _ in rows:
        if possible:
            sheets[inspection_id].append((section, earned, possible))
            site_of[inspection_id] = site_id
    out: dict[int, list] = defaultdict(list)
    for inspection_id in order:
        if inspection_id in sheets:
            out[site_of[inspection_id]].append(tuple(sheets[inspection_id]))
    return {site_id: tuple(v) for site_id, v in out.items()}
