"""Compile a batch of villages of a run, and merge a run: the steps the Celery tasks call (idempotent, DB state)."""
from __future__ import annotations

import hashlib
import json
from dataclasses import asdict
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from sites.models import Area

from ..models import AssessmentRun, AssessmentVillageResult
from .compute import VillageResult, rank_villages, site_result, town_rollup, village_result
from .figures import VillageFigures, figures_for_villages

BATCH_SIZE = 30  # villages per task: one town, or part of a big one


def _plain(value):
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def inputs_hash(campaign_id: int, scope_code: str, as_of, rules: dict) -> str:
    raw = json.dumps([campaign_id, scope_code, str(as_of), rules], sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(raw.encode()).hexdigest()


def run_villages(run: AssessmentRun):
    """Villages of the run's scope inside the campaign's scope, in code order."""
    prefix = run.scope.prefix
    cprefix = run.campaign.scope.prefix
    longer = prefix if len(prefix) >= len(cprefix) else cprefix
    return Area.objects.filter(level=Area.Level.VILLAGE, code__startswith=longer).select_related("parent").order_by("code")


def village_batches(villages) -> list[list[int]]:
    """(village id, town id) pairs → village ids grouped per town (in the given order), a town of more than
    BATCH_SIZE villages split in parts."""
    by_town: dict[int | None, list[int]] = {}
    for pk, town in villages:
        by_town.setdefault(town, []).append(pk)
    return [ids[i : i + BATCH_SIZE] for ids in by_town.values() for i in range(0, len(ids), BATCH_SIZE)]


def _result_row(run: AssessmentRun, village: Area, figures: VillageFigures) -> AssessmentVillageResult:
    sites = [site_result(s, run.rules) for s in figures.sites]
    v = village_result(figures.village, sites, run.rules)
    data = {
        "village": _plain(asdict(v)),
        "sites": [_plain(asdict(s)) | {"enrolment": figures.enrolment.get(s.site_id, "")} for s in sites],
        "deductions": figures.deductions,
        "propaganda": figures.propaganda,
        "key_persons": figures.key_persons,
        "inspections": figures.inspections,
        "rectifications": figures.rectifications,
    }
    return AssessmentVillageResult(run=run, village=village, score=v.score, data=data)


def compute_villages(run: AssessmentRun, villages) -> list[AssessmentVillageResult]:
    """Figures of the batch (a fixed number of queries) → pure results → one row per (run, village), written in
    one upsert: re-running replaces the rows (same inputs, same rows; the rank set by the merge is kept)."""
    villages = list(villages)
    figures = figures_for_villages(run.campaign, villages, run.as_of, run.rules)
    rows = [_result_row(run, v, figures[v.code]) for v in villages]
    AssessmentVillageResult.objects.bulk_create(
        rows, update_conflicts=True, unique_fields=["run", "village"], update_fields=["score", "data", "computed_at"]
    )
    return rows


def compute_village(run: AssessmentRun, village: Area) -> AssessmentVillageResult:
    return compute_villages(run, [village])[0]


def record_village_done(run_id: int) -> bool:
    """Count finished villages; True for exactly one caller: the one that moves the run to the merge stage."""
    done = AssessmentVillageResult.objects.filter(run_id=run_id).count()
    now = timezone.now()
    AssessmentRun.objects.filter(pk=run_id).update(villages_done=done, heartbeat_at=now)
    won = AssessmentRun.objects.filter(
        pk=run_id, stage=AssessmentRun.Stage.VILLAGES, villages_total__lte=done
    ).update(stage=AssessmentRun.Stage.MERGE, heartbeat_at=now)
    return bool(won)


def _village_from(data: dict) -> VillageResult:
    v = dict(data["village"])
    for key in ("score", "site_mean", "own_rate"):
        v[key] = Decimal(v[key]) if v[key] is not None else None
    return VillageResult(**v)


def merge(run: AssessmentRun) -> dict:
    """Ranks, town roll-up, summary and the result hash; writes ranks onto the village rows."""
    rows = list(run.village_results.select_related("village").order_by("village__code"))
    villages = rank_villages([_village_from(r.data) for r in rows])
    rank_of = {v.code: v.rank for v in villages}
    changed = []
    for r in rows:
        rank = rank_of.get(r.village.code)
        if r.rank != rank:
            r.rank = rank
            changed.append(r)
    with transaction.atomic():
        AssessmentVillageResult.objects.bulk_update(changed, ["rank"], batch_size=500)
    towns = town_rollup(villages)
    sites = [s for r in rows for s in r.data["sites"]]
    summary = {
        "villages": [_plain(asdict(v)) for v in villages],
        "towns": [_plain(asdict(t)) for t in towns],
        "sites": len(sites),
        "proposed_titles": sum(1 for s in sites if s["proposed_title"]),
        "sanwu_broken": sum(1 for s in sites if not s["sanwu_holds"]),
    }
    canonical = json.dumps([summary, [r.data for r in rows]], sort_keys=True, ensure_ascii=False)
    AssessmentRun.objects.filter(pk=run.pk).update(
        summary=summary, result_hash=hashlib.sha256(canonical.encode()).hexdigest(),
        stage=AssessmentRun.Stage.FILES, heartbeat_at=timezone.now(),
    )  # fmt: skip
    run.refresh_from_db()
    return summary


def touch(run_id: int, **fields) -> None:
    AssessmentRun.objects.filter(pk=run_id).update(heartbeat_at=timezone.now(), **fields)


