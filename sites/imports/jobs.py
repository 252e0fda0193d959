"""Import jobs from upload to outcome. Views call the `import_job_*` services; tasks call `check_job`/`run_job`.

Job state lives in the database: a lost broker message leaves the job queued (the page offers to
queue it again), a killed worker rolls its transaction back and the redelivered task starts over.
"""
import hashlib
import logging
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from wuzha.lib.upload_safety import MAX_UPLOAD_BYTES

from ..models import ImportJob
from ..outbox import task_enqueue
from ..scope import user_has_role_perm
from . import engine
from .base import Ledger, registry

log = logging.getLogger("wuzha.imports")
S = ImportJob.Status


def progress_key(job_id: int) -> str:
    return f"wuzha:import:{job_id}:written"


def ledger_for(job: ImportJob) -> Ledger:
    ledger = registry.get(job.ledger)
    if ledger is None:
        raise LookupError(f"unknown ledger {job.ledger}")
    return ledger


def import_job_create(*, actor, ledger: Ledger, uploaded) -> ImportJob:
    """Store the upload and queue its dry run. Precondition: the actor may import this ledger somewhere."""
    if not user_has_role_perm(actor, ledger.import_permission):
        raise PermissionDenied
    if uploaded.size > MAX_UPLOAD_BYTES:
        raise ValidationError(f"文件超过 {MAX_UPLOAD_BYTES // 1024 // 1024} MB,请拆分为多个文件分批导入。")
    data = uploaded.read()
    digest = hashlib.sha256(data).hexdigest()
    name = (uploaded.name or "upload").rsplit("/", 1)[-1][-200:]
    with transaction.atomic():
        same = ImportJob.objects.filter(user=actor, ledger=ledger.key, sha256=digest, status=S.DONE).first()
        job = ImportJob.objects.create(user=actor, ledger=ledger.key, original_name=name, sha256=digest,
                                       size=len(data), content=data, same_as=same)  # fmt: skip
        from ..tasks import import_check

        task_enqueue(import_check, job.pk)
    log.info("import uploaded: job=%s ledger=%s user=%s size=%s", job.pk, ledger.key, actor.pk, len(data))
    return job


def _read(job: ImportJob) -> bytes:
    return bytes(job.content)


def check_job(job_id: int) -> None:
    """The dry run of a job (idempotent: only a job still being checked is checked)."""
    job = ImportJob.objects.select_related("user").filter(pk=job_id).first()
    if job is None or job.status != S.CHECKING:  # None: purged as abandoned (`purge_unconfirmed`)
        return

    def progress(rows):
        ImportJob.objects.filter(pk=job_id).update(processed_rows=rows, updated_at=timezone.now())

    result = engine.analyse(ledger_for(job), name=job.original_name, data=_read(job), actor=job.user,
                            on_progress=progress)  # fmt: skip
    # A file with errors can never be confirmed: drop its bytes (a key-person file holds full ID numbers).
    dropped = {"content": b""} if result.error_count else {}
    ImportJob.objects.filter(pk=job_id, status=S.CHECKING).update(
        **dropped, status=S.INVALID if result.error_count else S.VALID, report=result.as_report(), counts=result.counts,
        error_count=result.error_count, total_rows=result.rows, processed_rows=0, checked_at=timezone.now(),
        updated_at=timezone.now(),
    )  # fmt: skip


STALE_AFTER_SECONDS = 300


def is_stale(job: ImportJob) -> bool:
    """A job a worker should be busy with but that has not moved for a while (lost message, dead worker)."""
    return job.status in ImportJob.ACTIVE and (timezone.now() - job.updated_at).total_seconds() > STALE_AFTER_SECONDS


def import_job_confirm(*, actor, job: ImportJob) -> ImportJob:
    """Queue the write of a checked, error-free job; a stale job is queued again (its tasks are idempotent)."""
    if job.user_id != actor.pk:
        raise PermissionDenied
    if job.status == S.CHECKING and is_stale(job):
        from ..tasks import import_check

        task_enqueue(import_check, job.pk)
        ImportJob.objects.filter(pk=job.pk).update(updated_at=timezone.now())
        job.refresh_from_db()
        return job
    if job.status != S.VALID and not is_stale(job):
        raise ValidationError("该文件不能导入:只有检查通过、尚未导入的文件可以确认导入。")
    with transaction.atomic():
        ImportJob.objects.filter(pk=job.pk).update(status=S.QUEUED, updated_at=timezone.now())
        from ..tasks import import_run

        task_enqueue(import_run, job.pk)  # Redis down: kept in the outbox, sent once it is back
    job.refresh_from_db()
    return job


def run_job(job_id: int) -> None:
    """Write a confirmed job, all or nothing. Idempotent: a done or failed job is left alone."""
    job = ImportJob.objects.select_related("user").filter(pk=job_id).first()
    if job is None or job.status not in (S.QUEUED, S.RUNNING):
        return
    ImportJob.objects.filter(pk=job_id).update(
        status=S.RUNNING, started_at=timezone.now(), processed_rows=0, updated_at=timezone.now()
    )

    def begin():
        locked = ImportJob.objects.select_for_update().get(pk=job_id)
        if locked.status != S.RUNNING:  # another delivery finished it meanwhile
            raise engine.ImportRejected(engine.Result(file=job.original_name))

    def finish(result):
        ImportJob.objects.filter(pk=job_id).update(
            status=S.DONE, counts=result.counts, report=result.as_report(), total_rows=result.rows,
            processed_rows=result.rows, error_count=0, finished_at=timezone.now(), updated_at=timezone.now(),
            content=b"",
        )  # fmt: skip

    def progress(rows):
        cache.set(progress_key(job_id), rows, 3600)

    try:
        engine.commit(ledger_for(job), name=job.original_name, data=_read(job), actor=job.user,
                      on_progress=progress, begin=begin, finish=finish)  # fmt: skip
    except engine.ImportRejected as exc:
        if exc.result.error_count:
            ImportJob.objects.filter(pk=job_id, status=S.RUNNING).update(
                status=S.FAILED, report=exc.result.as_report(), error_count=exc.result.error_count, content=b"",
                failure="导入前再次检查发现问题,未写入任何数据。", finished_at=timezone.now(),
                updated_at=timezone.now(),
            )  # fmt: skip
    finally:
        cache.delete(progress_key(job_id))


def job_progress(job: ImportJob) -> int:
    """Rows handled so far: checked rows from the job, written rows from the cache (the write is one transaction)."""
    if job.status == S.RUNNING:
        return cache.get(progress_key(job.pk), 0) or 0
    return job.processed_rows


# Never confirmed: checked (with or without errors) and left, or a dry run that stopped moving.
UNCONFIRMED = (S.VALID, S.INVALID, S.CHECKING)


def purge_unconfirmed(*, now=None, batch: int = 500) -> int:
    """Delete jobs (and so their uploaded bytes) left unconfirmed for `WUZHA_IMPORT_UNCONFIRMED_HOURS`.

    Only jobs untouched that long: a dry run in progress updates its job every chunk, and queued,
    running, done and failed jobs are never touched. Idempotent; rows a request holds locked are
    skipped and taken the next time. Returns the number of jobs deleted.
    """
    cutoff = (now or timezone.now()) - timedelta(hours=settings.WUZHA_IMPORT_UNCONFIRMED_HOURS)
    deleted = 0
    while True:
        with transaction.atomic():
            ids = list(ImportJob.objects.select_for_update(skip_locked=True)
                       .filter(status__in=UNCONFIRMED, updated_at__lt=cutoff).order_by("pk")
                       .values_list("pk", flat=True)[:batch])  # fmt: skip
            if ids:
                ImportJob.objects.filter(pk__in=ids).delete()
        deleted += len(ids)
        if len(ids) < batch:
            break
    if deleted:
        log.info("import jobs purged: %s left unconfirmed before %s", deleted, cutoff.isoformat())
    return deleted
