"""Uploads never confirmed are deleted after `WUZHA_IMPORT_UNCONFIRMED_HOURS`; jobs that were confirmed never are."""
from datetime import timedelta
from unittest import mock

import pytest
from django.utils import timezone

from sites.imports.jobs import purge_unconfirmed
from sites.models import ImportJob
from sites.tasks import import_jobs_purge

S = ImportJob.Status


def make_jobs(user, updated_at):
    jobs = {status: ImportJob.objects.create(user=user, ledger="sites", original_name=f"{status}.xlsx", sha256=status,
                                             content=b"PK-bytes", status=status) for status in S.values}  # fmt: skip
    ImportJob.objects.filter(pk__in=[j.pk for j in jobs.values()]).update(updated_at=updated_at)
    return jobs


@pytest.mark.django_db
def test_unconfirmed_uploads_are_deleted_after_the_setting_and_nothing_else_N1(cadre_a, settings):
    settings.WUZHA_IMPORT_UNCONFIRMED_HOURS = 24
    start = timezone.now()
    old = make_jobs(cadre_a, start - timedelta(hours=1))
    assert purge_unconfirmed(now=start) == 0  # an hour old: kept

    later = start + timedelta(hours=23, minutes=30)  # the clock moved: the jobs are 24 h 30 min old
    fresh = make_jobs(cadre_a, later - timedelta(minutes=5))
    assert purge_unconfirmed(now=later) == 3
    left = set(ImportJob.objects.values_list("pk", flat=True))
    gone = {old[S.VALID].pk, old[S.INVALID].pk, old[S.CHECKING].pk}
    assert not left & gone
    assert {old[s].pk for s in (S.QUEUED, S.RUNNING, S.DONE, S.FAILED)} <= left  # confirmed: never touched
    assert {j.pk for j in fresh.values()} <= left
    assert purge_unconfirmed(now=later) == 0  # idempotent


@pytest.mark.django_db
def test_purge_task_uses_the_clock_and_a_job_pointing_at_a_purged_one_survives_N1(cadre_a, settings):
    settings.WUZHA_IMPORT_UNCONFIRMED_HOURS = 2
    jobs = make_jobs(cadre_a, timezone.now())
    ImportJob.objects.filter(pk=jobs[S.DONE].pk).update(same_as=jobs[S.VALID])
    assert import_jobs_purge.apply().get() == 0
    moved = timezone.now() + timedelta(hours=3)
    with mock.patch.object(timezone, "now", return_value=moved):
        assert import_jobs_purge.apply().get() == 3
        assert import_jobs_purge.apply().get() == 0
    done = ImportJob.objects.get(pk=jobs[S.DONE].pk)
    assert done.same_as_id is None and bytes(done.content) == b"PK-bytes"


@pytest.mark.django_db
def test_tasks_of_a_purged_job_do_nothing_N1(cadre_a):
    from sites.imports.jobs import check_job, run_job

    job = make_jobs(cadre_a, timezone.now())[S.CHECKING]
    job.delete()
    check_job(job.pk)  # a message delivered after the purge: no error, nothing written
    run_job(job.pk)


def test_purge_is_on_the_beat_schedule_N1(settings):
    entries = [e for e in settings.CELERY_BEAT_SCHEDULE.values() if e["task"] == "sites.tasks.import_jobs_purge"]
    assert len(entries) == 1 and entries[0]["schedule"] <= 24 * 60 * 60
