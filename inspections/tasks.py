"""Background tasks of the inspections app."""

from celery import shared_task

from .services import rectifications_escalate_overdue


@shared_task(acks_late=True, max_retries=3)
def escalate_overdue_rectifications() -> int:
    """Daily: overdue rectification tasks escalate to town staff (idempotent)."""
    return rectifications_escalate_overdue()


# --- The assessment (issue 6): start → one task per batch of villages (a town) → the last batch queues the merge. ---
# No chord: the fan-in is a conditional UPDATE on the run row (works eagerly, needs no result backend,
# and survives a lost message: `assessment_resume` re-queues the start, which skips finished villages).
# A batch costs a fixed number of queries (`figures_for_villages`), so fewer, larger tasks are cheaper.

import logging  # noqa: E402

from django.db import OperationalError  # noqa: E402
from django.utils import timezone  # noqa: E402

from sites.outbox import task_enqueue  # noqa: E402

log = logging.getLogger(__name__)
_RETRY = {"acks_late": True, "reject_on_worker_lost": True, "max_retries": 3, "autoretry_for": (OperationalError,),
          "retry_backoff": 5, "retry_jitter": False}  # fmt: skip


def _fail(run_id: int, exc: Exception) -> None:
    from .models import AssessmentRun

    log.exception("考核计算 %s 失败", run_id)
    AssessmentRun.objects.filter(pk=run_id).update(
        status=AssessmentRun.Status.FAILED, error=f"{type(exc).__name__}: {exc}"[:2000], finished_at=timezone.now()
    )


@shared_task(**_RETRY)
def assessment_run_start(run_id: int) -> int:
    """Count the villages and queue one task per batch of villages not computed yet. Returns how many villages."""
    from .assessment.compile import run_villages, village_batches
    from .models import AssessmentRun

    run = AssessmentRun.objects.select_related("scope", "campaign__scope").filter(pk=run_id).first()
    if run is None or run.status == AssessmentRun.Status.DONE:
        return 0
    villages = list(run_villages(run).values_list("pk", "parent_id"))
    done = set(run.village_results.values_list("village_id", flat=True))
    AssessmentRun.objects.filter(pk=run_id).update(
        status=AssessmentRun.Status.RUNNING, stage=AssessmentRun.Stage.VILLAGES, villages_total=len(villages),
        villages_done=len(done), started_at=run.started_at or timezone.now(), heartbeat_at=timezone.now(),
        attempts=run.attempts + 1,
    )  # fmt: skip
    todo = [(pk, town) for pk, town in villages if pk not in done]
    for batch in village_batches(todo):
        task_enqueue(assessment_villages, run_id, batch)
    if not todo:
        from .assessment.compile import record_village_done

        if record_village_done(run_id) or not villages:
            AssessmentRun.objects.filter(pk=run_id).update(stage=AssessmentRun.Stage.MERGE)
            task_enqueue(assessment_merge, run_id)
    return len(todo)


@shared_task(**_RETRY)
def assessment_villages(run_id: int, village_ids: list[int]) -> None:
    """A batch of villages' figures and results (idempotent: one row per run and village, upserted)."""
    from sites.models import Area

    from .assessment import compile as steps
    from .models import AssessmentRun

    run = AssessmentRun.objects.select_related("campaign", "scope").filter(pk=run_id).first()
    if run is None or run.status in (AssessmentRun.Status.DONE, AssessmentRun.Status.FAILED):
        return
    try:
        steps.compute_villages(run, Area.objects.filter(pk__in=village_ids).select_related("parent").order_by("code"))
    except OperationalError:
        raise
    except Exception as exc:  # a bug or bad data: the run says so instead of hanging
        _fail(run_id, exc)
        return
    if steps.record_village_done(run_id):
        task_enqueue(assessment_merge, run_id)


@shared_task(**_RETRY)
def assessment_village(run_id: int, village_id: int) -> None:
    """One village (messages queued before batches existed, and re-running one village by hand)."""
    assessment_villages(run_id, [village_id])


@shared_task(**_RETRY)
def assessment_merge(run_id: int) -> None:
    """Ranks, roll-up and the report files; the run is done."""
    from .assessment.compile import merge
    from .assessment.files import write_files
    from .models import AssessmentRun

    run = AssessmentRun.objects.select_related("campaign", "scope", "requested_by").filter(pk=run_id).first()
    if run is None or run.status != AssessmentRun.Status.RUNNING:
        return
    try:
        merge(run)
        write_files(run)
    except OperationalError:
        raise
    except Exception as exc:
        _fail(run_id, exc)
        return
    AssessmentRun.objects.filter(pk=run_id).update(
        status=AssessmentRun.Status.DONE, stage=AssessmentRun.Stage.DONE, finished_at=timezone.now(),
        heartbeat_at=timezone.now(),
    )  # fmt: skip
