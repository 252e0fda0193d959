"""Faults that must lose nothing, against the real services.

- A Celery worker killed with SIGKILL in the middle of a task: the task is redelivered (acks_late +
  reject_on_worker_lost, settings in wuzha/settings/base.py) to a fresh worker and completes once.
- The database failing in the middle of a service (a dropped PostgreSQL connection on the
  PostgreSQL run; a database error on SQLite): nothing is half-written.

Each test starts and stops only the processes it started itself.
"""
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from celery import Celery
from django.conf import settings
from django.db import DatabaseError, connection

from sites.models import Site

BASE = Path(settings.BASE_DIR)
# Celery prefers the CELERY_BROKER_URL environment variable over any configured URL, so the fault
# workers use the same Redis as the run (CI: make test-services) or db 9 when none is set; a queue
# of their own keeps them apart from the suite's worker.
BROKER = os.environ.get("CELERY_BROKER_URL") or "redis://127.0.0.1:6379/9"
VISIBILITY = 3  # seconds before Redis hands an unacknowledged task to another worker (production: 1 hour)


class WorkerDB:
    """The database the worker processes use, reachable from the test with a plain driver."""

    def __init__(self, tmp_path):
        self.vendor = connection.vendor
        if self.vendor == "postgresql":
            # A transactional test: the worker sees the committed rows of the test database.
            p = connection.settings_dict
            self.url = f"postgres://{p['USER']}@{p['HOST'] or '127.0.0.1'}:{p['PORT'] or 5432}/{p['NAME']}"
        else:
            # The SQLite test database is in memory: give the workers a file copy of it.
            self.path = tmp_path / "worker.sqlite3"
            connection.ensure_connection()
            with sqlite3.connect(self.path) as dest:
                connection.connection.backup(dest)
            self.url = f"sqlite:///{self.path}"
        self.execute("CREATE TABLE fault_job (token varchar(40) PRIMARY KEY, attempts integer, state varchar(10))")
        self.execute("CREATE TABLE fault_result (token varchar(40) PRIMARY KEY, body varchar(20))")

    def execute(self, sql, params=()):
        if self.vendor == "postgresql":
            import psycopg

            with psycopg.connect(self.url, autocommit=True) as conn:
                cur = conn.execute(sql.replace("?", "%s"), params)
                return cur.fetchall() if cur.description else None
        with sqlite3.connect(self.path, timeout=10) as conn:
            cur = conn.execute(sql, params)
            return cur.fetchall() if cur.description else None

    def drop(self):
        if self.vendor == "postgresql":
            self.execute("DROP TABLE IF EXISTS fault_job")
            self.execute("DROP TABLE IF EXISTS fault_result")


def start_worker(db, queue, log):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "wuzha.settings.test", "DATABASE_URL": db.url,
           "CELERY_BROKER_URL": BROKER, "CELERY_RESULT_BACKEND": "", "CELERY_BROKER_TRANSPORT_OPTIONS": json.dumps(
               {"visibility_timeout": VISIBILITY, "unacked_restore_interval": 1, "unacked_restore_throttle": 1})}  # fmt: skip
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "wuzha", "worker", "-I", "tests.hardening.fault_tasks", "-Q", queue,
         "--pool=prefork", "--concurrency=1", "--without-heartbeat", "--without-mingle", "--without-gossip",
         "-l", "info", "-n", f"{queue}-{uuid.uuid4().hex[:6]}@%h"],
        cwd=BASE, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip


def wait_for(predicate, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.2)
    raise AssertionError(f"超时:{what}")


def stop(proc, sig=signal.SIGTERM):
    if proc.poll() is None:
        os.killpg(proc.pid, sig)  # the worker and its pool children, started by this test only
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=5)


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_worker_killed_mid_task_is_redelivered_and_completes_once(tmp_path):
    db = WorkerDB(tmp_path)
    token, queue = uuid.uuid4().hex, f"fault-{uuid.uuid4().hex[:8]}"
    db.execute("INSERT INTO fault_job (token, attempts, state) VALUES (?, 0, 'queued')", (token,))
    producer = Celery("fault-producer", broker=BROKER, set_as_current=False)  # leave the project app current
    producer.conf.update(task_serializer="json", broker_transport_options={"visibility_timeout": VISIBILITY},
                         broker_connection_retry_on_startup=True)  # fmt: skip
    log_path = tmp_path / "workers.log"
    workers = []
    try:
        with open(log_path, "w") as log:
            first = start_worker(db, queue, log)
            workers.append(first)
            producer.send_task("tests.hardening.fault_tasks.slow_write", args=[token, 60], queue=queue)
            state = lambda: db.execute("SELECT attempts, state FROM fault_job WHERE token = ?", (token,))[0]  # noqa: E731
            wait_for(lambda: state() == (1, "running"), 40, "第一个工作进程开始执行任务")
            # SIGKILL the whole worker (main process and pool child) in the middle of the task.
            stop(first, signal.SIGKILL)
            assert db.execute("SELECT count(*) FROM fault_result")[0][0] == 0
            second = start_worker(db, queue, log)
            workers.append(second)
            wait_for(lambda: state() == (2, "done"), 40, "新的工作进程重新执行并完成任务")
            time.sleep(VISIBILITY + 1)  # a late duplicate delivery would show up now
        assert db.execute("SELECT token, body FROM fault_result") == [(token, "完成")]
        assert state() == (2, "done")
    except AssertionError:
        print(log_path.read_text()[-3000:])
        raise
    finally:
        for worker in workers:
            stop(worker)
        producer.close()
        db.drop()


def _fail_mid_service(sender, **kwargs):
    """Runs after the site row is written and before its history row: the worst moment."""
    if connection.vendor == "postgresql":
        import psycopg

        p = connection.settings_dict
        pid = connection.connection.info.backend_pid
        url = f"postgres://{p['USER']}@{p['HOST'] or '127.0.0.1'}:{p['PORT'] or 5432}/{p['NAME']}"
        with psycopg.connect(url, autocommit=True) as other:
            other.execute("SELECT pg_terminate_backend(%s)", [pid])  # the connection drops for real
    else:
        raise DatabaseError("disk I/O error (simulated)")


@pytest.mark.django_db(transaction=True)
def test_database_failure_mid_service_writes_nothing(world):
    from simple_history.signals import pre_create_historical_record

    from sites.services import site_save

    before = Site.objects.count()
    pre_create_historical_record.connect(_fail_mid_service, dispatch_uid="fault")
    try:
        with pytest.raises(DatabaseError):
            site_save(actor=None, site=Site(village=world.village_a, kind="community", name="半途断线小区",
                                            households=10, residents=30))  # fmt: skip
    finally:
        pre_create_historical_record.disconnect(dispatch_uid="fault")
        connection.close()  # a dropped connection is replaced by a fresh one on next use
    assert Site.objects.count() == before
    assert not Site.objects.filter(name="半途断线小区").exists()
    assert not Site.history.filter(name="半途断线小区").exists()


@pytest.mark.django_db(transaction=True)
def test_database_failure_in_a_request_gives_a_clean_page(client, world, cadre_a):
    from simple_history.signals import pre_create_historical_record

    client.raise_request_exception = False
    client.force_login(cadre_a)
    pre_create_historical_record.connect(_fail_mid_service, dispatch_uid="fault")
    try:
        response = client.post("/sites/new/", {"village": world.village_a.pk, "kind": "community",
                                               "name": "请求中断线小区", "households": 10, "residents": 30})  # fmt: skip
    finally:
        pre_create_historical_record.disconnect(dispatch_uid="fault")
        connection.close()
    assert response.status_code == 500
    body = response.content.decode()
    assert "系统暂时无法完成" in body and "Traceback" not in body
    assert not Site.objects.filter(name="请求中断线小区").exists()


class PrivateRedis:
    """A redis-server of this test's own, on a free port, that the test stops and starts again."""

    def __init__(self, tmp_path):
        import socket

        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.dir, self.proc = tmp_path, None

    def start(self):
        self.proc = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", str(self.dir)],
            stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
        wait_for(self.ping, 10, "Redis 启动")

    def ping(self):
        import redis

        try:
            return redis.Redis.from_url(self.url, socket_timeout=1).ping()
        except redis.exceptions.ConnectionError:
            return False

    def queue_length(self, queue="celery"):
        import redis

        return redis.Redis.from_url(self.url).llen(queue)

    def stop(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=10)


@pytest.fixture
def broker(tmp_path, monkeypatch):
    """A Celery app on a private Redis for the outbox to send through (the project's app is left alone)."""
    from sites import outbox

    server = PrivateRedis(tmp_path)
    monkeypatch.delenv("CELERY_BROKER_URL", raising=False)  # Celery would prefer it to the URL given here
    app = Celery("outbox-test", broker=server.url, set_as_current=False)
    app.conf.update(task_serializer="json", broker_connection_timeout=1, broker_connection_retry_on_startup=False)
    monkeypatch.setattr(outbox, "broker_app", lambda: app)
    try:
        yield server
    finally:
        server.stop()
        app.close()


def test_redis_down_keeps_tasks_and_pages_then_sends_each_once(client, world, cadre_a, broker,
                                                              django_capture_on_commit_callbacks):  # fmt: skip
    from sites.models import TaskOutbox
    from sites.outbox import outbox_flush, task_enqueue
    from sites.tasks import site_census

    assert not broker.ping()  # Redis is down
    client.force_login(cadre_a)
    with django_capture_on_commit_callbacks(execute=True):
        task_enqueue(site_census, world.town_x.pk)
        task_enqueue(site_census, world.village_a.pk)
    assert list(TaskOutbox.objects.values_list("task", "args")) == [
        ("sites.tasks.site_census", [world.town_x.pk]), ("sites.tasks.site_census", [world.village_a.pk]),
    ]
    assert client.get("/").status_code == 200 and client.get("/sites/").status_code == 200  # pages keep working
    assert outbox_flush() == 0 and TaskOutbox.objects.get(args=[world.town_x.pk]).attempts == 2  # still down
    broker.start()
    assert outbox_flush() == 2 and not TaskOutbox.objects.exists()
    assert outbox_flush() == 0
    assert broker.queue_length() == 2  # each task reached the queue exactly once
    with django_capture_on_commit_callbacks(execute=True):
        task_enqueue(site_census, world.town_y.pk)  # with Redis up it goes straight to the queue
    assert broker.queue_length() == 3 and not TaskOutbox.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_dropped_kept_alive_connection_is_replaced_on_the_next_request(client, world, cadre_a):
    """CONN_HEALTH_CHECKS: a persistent connection that the server dropped between two requests is noticed
    and replaced when the next request first uses it, instead of failing that request."""
    from django.conf import settings as django_settings
    from django.db import close_old_connections

    assert django_settings.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True
    if connection.vendor != "postgresql":
        return  # SQLite has no server to drop the connection; the PostgreSQL run (make test-services) does it
    import psycopg

    client.force_login(cadre_a)
    max_age = connection.settings_dict["CONN_MAX_AGE"]
    connection.settings_dict["CONN_MAX_AGE"] = 600  # kept alive between requests, as in production
    connection.close()  # reconnect under that setting
    try:
        assert client.get("/sites/").status_code == 200
        pid = connection.connection.info.backend_pid  # still open after the request
        p = connection.settings_dict
        url = f"postgres://{p['USER']}@{p['HOST'] or '127.0.0.1'}:{p['PORT'] or 5432}/{p['NAME']}"
        with psycopg.connect(url, autocommit=True) as other:
            other.execute("SELECT pg_terminate_backend(%s)", [pid])
        # What Django's handler does at request_started (the test client skips it): arm the health check.
        close_old_connections()
        assert connection.connection is not None  # not closed in advance: the check runs at first use
        response = client.post("/sites/new/", {"village": world.village_a.pk, "kind": "community",
                                               "name": "断线后小区", "households": 10, "residents": 30})  # fmt: skip
        assert response.status_code == 302 and Site.objects.filter(name="断线后小区").exists()
        assert connection.connection.info.backend_pid != pid
    finally:
        connection.settings_dict["CONN_MAX_AGE"] = max_age
        connection.close()


def test_assessment_report_file_is_never_served_half_written(client, world, county_staff, settings, tmp_path):
    """A worker dying in the middle of writing the report files (after the xlsx, during the pdf) leaves the run
    pointing at no file (404), never at a partial one; the redelivered write then serves complete files."""
    import zipfile
    from io import BytesIO
    from unittest import mock

    from django.db.models.fields.files import FieldFile
    from django.urls import reverse

    from inspections.assessment.files import write_files
    from inspections.models import AssessmentRun
    from tests.inspections.assessment_helpers import AS_OF, assessment_world

    settings.MEDIA_ROOT = str(tmp_path)
    campaign = assessment_world(world)
    run = AssessmentRun.objects.create(campaign=campaign, scope=world.county, as_of=AS_OF, requested_by=county_staff,
                                       status=AssessmentRun.Status.RUNNING)  # fmt: skip
    real_save, calls = FieldFile.save, []

    def dies_on_the_second_file(self, name, content, save=True):
        calls.append(name)
        if len(calls) == 2:
            raise SystemExit("worker killed")  # not an Exception: nothing in the task catches it, like SIGKILL
        return real_save(self, name, content, save=save)

    with mock.patch.object(FieldFile, "save", dies_on_the_second_file), pytest.raises(SystemExit):
        write_files(run)  # the xlsx lands in storage, then the worker dies writing the pdf
    assert calls[0].endswith(".xlsx") and calls[1].endswith(".pdf")
    assert any(tmp_path.rglob("*.xlsx"))  # a written file exists in storage, but the database does not point at it
    fresh = AssessmentRun.objects.get(pk=run.pk)
    assert not fresh.xlsx and not fresh.pdf
    client.force_login(county_staff)
    assert client.get(reverse("inspections:assessment_file", args=[run.pk, "xlsx"])).status_code == 404
    write_files(fresh)  # the redelivered task
    response = client.get(reverse("inspections:assessment_file", args=[run.pk, "xlsx"]))
    assert response.status_code == 200
    book = zipfile.ZipFile(BytesIO(b"".join(response.streaming_content)))
    assert book.testzip() is None and "xl/workbook.xml" in book.namelist()
