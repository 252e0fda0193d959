"""Compile a batch of villages of a run, and merge a run: the steps the Celery tasks call (idempotent, DB state)."""
from __future__ import annotations

import hashlib
import json
from dataclasses import asdict
from decimal import Decimal

from django.db import connection, transaction
from django.utils import timezone

from sites.models import Area
from wuzha.lib.batchwork import collector_paused

from ..models import AssessmentRun, AssessmentVillageResult
from .compute import VillageResult, rank_villages, site_result, town_rollup, village_result
from .figures import VillageFigures, figures_for_villages
from .rules import merged

BATCH_SIZE = 100  # villages per task at most: whole towns packed together (a county of 400 → 4 tasks)


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


def village_batches(villages, size: int | None = None) -> list[list[int]]:
    """(village id, town id) pairs in code order → batches of village ids: whole towns packed together up to
    `size` villages (BATCH_SIZE), a town larger than that split in parts. A batch costs a fixed number of
    queries, one of them a scan of the activities, so a few large batches beat many small ones."""
    size = size or BATCH_SIZE
    by_town: dict[int | None, list[int]] = {}
    for pk, town in villages:
        by_town.setdefault(town, []).append(pk)
    batches: list[list[int]] = []
    for ids in by_town.values():
        for part in (ids[i : i + size] for i in range(0, len(ids), size)):
            if batches and len(batches[-1]) + len(part) <= size:
                batches[-1] += part
            else:
                batches.append(list(part))
    return batches


def _json_default(value):
    """Decimals as their text ("85.00"): what the report and the hash read back."""
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


def _result_data(figures: VillageFigures, village: VillageResult, sites: list) -> dict:
    """A village row's JSON: its result, its sites' results (with enrolment) and the report's extras. The frozen
    results' `__dict__` is their fields in order; tuples become lists and Decimals text when it is encoded."""
    return {
        "village": dict(village.__dict__),
        "sites": [dict(s.__dict__, enrolment=figures.enrolment.get(s.site_id, "")) for s in sites],
        "deductions": figures.deductions,
        "propaganda": figures.propaganda,
        "key_persons": figures.key_persons,
        "published_inspections": figures.published_inspections,
        "rectifications": figures.rectifications,
    }


def compute_villages(run: AssessmentRun, villages) -> int:
    """Figures of the batch (a fixed number of queries) → pure results → one row per (run, village), written in
    one upsert: re-running replaces the rows (same inputs, same rows; the rank set by the merge is kept).
    Returns how many village rows were written."""
    villages = list(villages)
    rules = merged(run.rules)
    with collector_paused():  # ~a million short-lived objects per batch of 100 villages
        figures = figures_for_villages(run.campaign, villages, run.as_of, rules)
        rows = []
        for village in villages:
            f = figures[village.code]
            sites = [site_result(s, rules) for s in f.sites]
            result = village_result(f.village, sites, rules)
            rows.append((village.pk, result.score, _result_data(f, result, sites)))
        _upsert(run.pk, rows)
    return len(rows)


def _upsert(run_id: int, rows: list[tuple[int, Decimal | None, dict]]) -> None:
    """INSERT … ON CONFLICT (run, village) DO UPDATE in one statement (PostgreSQL and SQLite).

    Not `bulk_create(update_conflicts=True)`: the JSONField encodes with `ensure_ascii`, so every Chinese
    character becomes a 6-byte escape that psycopg then re-escapes: a county's rows took seconds to send.
    """
    if not rows:
        return
    ops, now = connection.ops, timezone.now()
    table = AssessmentVillageResult._meta.db_table
    values, params = [], []
    for village_id, score, data in rows:
        values.append("(%s, %s, %s, %s, %s)")
        params += [run_id, village_id, ops.adapt_decimalfield_value(score, 6, 2),
                   json.dumps(data, ensure_ascii=False, default=_json_default), ops.adapt_datetimefield_value(now)]  # fmt: skip
    # The table name is the model's and every value is a parameter.
    sql = (
        f"INSERT INTO {table} (run_id, village_id, score, data, computed_at) VALUES {', '.join(values)} "  # nosec B608
        "ON CONFLICT (run_id, village_id) DO UPDATE SET score = EXCLUDED.score, data = EXCLUDED.data, "
        "computed_at = EXCLUDED.computed_at"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


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
    return merge_rows(run)[0]


def merge_rows(run: AssessmentRun) -> tuple[dict, list[AssessmentVillageResult]]:
    """`merge`, and the village rows it loaded in report order (rank, unranked last, then code): the workbook is
    written from them rather than from a second read of every village's JSON."""
    with collector_paused():  # 400 rows of JSON: a few hundred thousand objects
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
    return summary, sorted(rows, key=lambda r: (r.rank is None, r.rank or 0, r.village.code))


def touch(run_id: int, **fields) -> None:
    AssessmentRun.objects.filter(pk=run_id).update(heartbeat_at=timezone.now(), **fields)


