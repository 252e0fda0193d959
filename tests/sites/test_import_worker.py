"""An import travels through the broker to a real worker (CI) or runs in-process (no broker): same outcome (N1)."""
import os
import time

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from sites.models import ImportJob, Site

from .import_files import xlsx


def wait_for(job_id, *statuses, timeout=60):
    deadline = time.monotonic() + timeout
    while True:
        job = ImportJob.objects.get(pk=job_id)
        if job.status in statuses or time.monotonic() > deadline:
            return job
        time.sleep(0.2)


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)  # the worker sees committed rows only
def test_import_round_trip_through_the_worker_N1(client, world, cadre_a):
    if os.environ.get("WUZHA_REQUIRE_WORKER") == "1":
        assert not settings.CELERY_TASK_ALWAYS_EAGER
    client.force_login(cadre_a)
    data = xlsx([["所属村/社区", "名称", "类型"], ["甲村", "后台导入小区", "小区"], ["甲村", "后台导入二", "小区"]])
    response = client.post(reverse("sites:import_upload", args=["sites"]), {"file": SimpleUploadedFile("a.xlsx", data)})
    job_id = int(response.url.rstrip("/").split("/")[-1])
    job = wait_for(job_id, ImportJob.Status.VALID, ImportJob.Status.INVALID)
    assert job.status == ImportJob.Status.VALID, job.report
    client.post(reverse("sites:import_job_confirm", args=[job_id]))
    job = wait_for(job_id, ImportJob.Status.DONE, ImportJob.Status.FAILED)
    assert job.status == ImportJob.Status.DONE and job.counts == {"create": 2, "update": 0, "unchanged": 0}
    assert Site.objects.filter(name__startswith="后台导入").count() == 2
    assert bytes(job.content) == b""  # the upload is not kept once imported
