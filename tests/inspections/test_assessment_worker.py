"""A worker SIGKILLed in the middle of a village task does not lose the run (real Celery through Redis)."""
import json
import os
import signal
import subprocess
import sys
import uuid

import pytest
from celery import Celery

from inspections.assessment.compile import inputs_hash
from inspections.assessment.services import current_rules
from inspections.models import AssessmentRun
from tests.hardening.test_faults import BASE, BROKER, VISIBILITY, WorkerDB, stop, wait_for

from .assessment_helpers import AS_OF, assessment_world


def start_worker(db, queue, log, mark_dir, delay):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "wuzha.settings.test", "DATABASE_URL": db.url,
           "CELERY_BROKER_URL": BROKER, "CELERY_RESULT_BACKEND": "", "WUZHA_FAULT_QUEUE": queue,
           "WUZHA_FAULT_MARK": str(mark_dir), "WUZHA_ASSESSMENT_DELAY": str(delay),
           "CELERY_BROKER_TRANSPORT_OPTIONS": json.dumps(
               {"visibility_timeout": VISIBILITY, "unacked_restore_interval": 1, "unacked_restore_throttle": 1})}  # fmt: skip
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "wuzha", "worker", "-I", "tests.inspections.assessment_fault_tasks",
         "-Q", queue, "--pool=prefork", "--concurrency=1", "--without-heartbeat", "--without-mingle", "--without-gossip",
         "-l", "info", "-n", f"{queue}-{uuid.uuid4().hex[:6]}@%h"],
        cwd=BASE, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_killed_worker_does_not_lose_the_run_N6_4(world, county_staff, tmp_path):
    campaign = assessment_world(world)
    version, rules = current_rules(campaign)  # the simple rules of assessment_world: village A 45, village B 70
    run = AssessmentRun.objects.create(campaign=campaign, scope=world.county, as_of=AS_OF, requested_by=county_staff,
                                       rules=rules, rules_version=version,
                                       inputs_hash=inputs_hash(campaign.pk, world.county.code, AS_OF, rules))  # fmt: skip
    db = WorkerDB(tmp_path)  # after the data exists (SQLite: a file copy for the workers)
    queue, mark = f"assess-{uuid.uuid4().hex[:8]}", tmp_path / "marks"
    mark.mkdir()
    producer = Celery("assessment-producer", broker=BROKER, set_as_current=False)
    producer.conf.update(task_serializer="json", broker_transport_options={"visibility_timeout": VISIBILITY},
                         broker_connection_retry_on_startup=True)  # fmt: skip
    log_path, workers = tmp_path / "workers.log", []
    status = lambda: db.execute("SELECT status, villages_done FROM inspections_assessmentrun WHERE id = ?", (run.pk,))[0]  # noqa: E731
    try:
        with open(log_path, "w") as log:
            workers.append(start_worker(db, queue, log, mark, delay=60))
            producer.send_task("inspections.tasks.assessment_run_start", args=[run.pk], queue=queue)
            wait_for(lambda: any(mark.iterdir()), 60, "第一个工作进程开始计算某个村")
            stop(workers[0], signal.SIGKILL)  # the whole worker, in the middle of a village task
            assert status()[0] == "running"
            workers.append(start_worker(db, queue, log, mark, delay=0))
            wait_for(lambda: status()[0] == "done", 90, "新的工作进程接手并完成考核计算")
        rows = db.execute("SELECT village_id, score FROM inspections_assessmentvillageresult WHERE run_id = ?", (run.pk,))
        assert len(rows) == 3 and status() == ("done", 3)  # every village once, no duplicates
        scores = {vid: str(score) for vid, score in rows}
        assert scores[world.village_a.pk] in ("45.00", "45") and scores[world.village_b.pk] in ("70.00", "70")
    except AssertionError:
        print(log_path.read_text()[-4000:])
        raise
    finally:
        for worker in workers:
            stop(worker)
        producer.close()
        db.drop()
