"""Background tasks of the sites app."""
from celery import shared_task
from django.db.models import Count

from .models import Area, Site


@shared_task(acks_late=True, max_retries=3)
def site_census(area_id: int) -> dict:
    """Count active sites by kind in an area's subtree. Read-only, so idempotent.

    Used by `manage.py check_worker` to prove a worker reaches the broker and the same database.
    """
    area = Area.objects.get(pk=area_id)
    rows = (
        Site.objects.active()
        .filter(village__code__startswith=area.prefix)
        .values_list("kind")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {"area": area.code, "by_kind": dict(rows)}


@shared_task(acks_late=True, reject_on_worker_lost=True, max_retries=3)
def import_check(job_id: int) -> None:
    """Dry run of an uploaded file (nothing written); idempotent, state in the ImportJob row."""
    from .imports.jobs import check_job

    check_job(job_id)


@shared_task(acks_late=True, reject_on_worker_lost=True, max_retries=3)
def import_run(job_id: int) -> None:
    """All-or-nothing write of a confirmed import; a redelivered message finds it done or starts over."""
    from .imports.jobs import run_job

    run_job(job_id)


def _day(today: str | None):
    """Tasks take the date as an ISO string (JSON arguments), so tests pass hand-made calendars."""
    import datetime

    from django.utils import timezone

    return datetime.date.fromisoformat(today) if today else timezone.localdate()


@shared_task(acks_late=True, reject_on_worker_lost=True, max_retries=3)
def keyperson_reminders_task(today: str | None = None) -> dict:
    """Daily: key-person follow-ups and persons abroad to their cadres (idempotent: upsert by user + key)."""
    from .reminders import keyperson_reminders

    return keyperson_reminders(_day(today))


@shared_task(acks_late=True, max_retries=3)
def import_jobs_purge() -> int:
    """Beat, hourly: drop uploads never confirmed (their files may hold personal data). Idempotent."""
    from .imports.jobs import purge_unconfirmed

    return purge_unconfirmed()
