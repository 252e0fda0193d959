"""Redis stopped during a real background import (issue 9, faults): nothing is lost, nothing runs twice.

A private redis-server (the `broker` fixture of test_faults) is down while a cadre uploads and confirms
an import: the tasks wait in the outbox, the pages keep answering, nothing is written. When Redis is
back the outbox sends each task once; a duplicate delivery (acks_late redelivery) changes nothing.
The messages are taken off the real Redis queue and run as a worker would run them.
"""
import base64
import json

from celery import current_app
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from sites.models import ImportJob, Site, TaskOutbox
from sites.outbox import outbox_flush
from tests.sites.import_files import xlsx

from .test_faults import broker  # noqa: F401  the private Redis the test starts and stops


def take_messages(server, queue="celery"):
    """Pop the task messages Redis holds (kombu's JSON envelope, Celery protocol 2)."""
    import redis

    conn, messages = redis.Redis.from_url(server.url), []
    while (raw := conn.rpop(queue)) is not None:
        envelope = json.loads(raw)
        args, kwargs, _ = json.loads(base64.b64decode(envelope["body"]))
        messages.append((envelope["headers"]["task"], args, kwargs))
    return messages


def deliver(messages):
    for name, args, kwargs in messages:
        current_app.tasks[name].apply(args=args, kwargs=kwargs).get()  # run as the worker runs it


def pages_work(client, job_id):
    for url in ("/", "/sites/", reverse("sites:import_job", args=[job_id])):
        assert client.get(url).status_code == 200, url


def test_redis_down_during_import_then_it_finishes_exactly_once(client, world, cadre_a, broker,  # noqa: F811
                                                               django_capture_on_commit_callbacks):  # fmt: skip
    assert not broker.ping()  # Redis is down
    client.force_login(cadre_a)
    data = xlsx([["所属村/社区", "名称", "类型"], ["甲村", "断网导入一", "小区"], ["甲村", "断网导入二", "小区"]])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("sites:import_upload", args=["sites"]), {"file": SimpleUploadedFile("a.xlsx", data)})
    assert response.status_code == 302  # the upload page answered although Redis is down
    job = ImportJob.objects.get(user=cadre_a)
    assert list(TaskOutbox.objects.values_list("task", "args")) == [("sites.tasks.import_check", [job.pk])]
    pages_work(client, job.pk)

    broker.start()  # Redis is back for the dry run
    assert outbox_flush() == 1
    deliver(take_messages(broker))
    job.refresh_from_db()
    assert job.status == ImportJob.Status.VALID, job.report

    broker.stop()  # Redis goes down again just as the cadre confirms
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("sites:import_job_confirm", args=[job.pk]))
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == ImportJob.Status.QUEUED
    assert list(TaskOutbox.objects.values_list("task", "args")) == [("sites.tasks.import_run", [job.pk])]
    pages_work(client, job.pk)
    assert outbox_flush() == 0 and TaskOutbox.objects.get().attempts == 2  # still down: kept, not lost
    assert not Site.objects.filter(name__startswith="断网导入").exists()  # nothing written meanwhile

    broker.start()
    assert outbox_flush() == 1 and not TaskOutbox.objects.exists()
    messages = take_messages(broker)
    assert messages == [("sites.tasks.import_run", [job.pk], {})]  # sent exactly once
    deliver(messages + messages)  # and a redelivered duplicate changes nothing
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE and job.counts == {"create": 2, "update": 0, "unchanged": 0}
    assert Site.objects.filter(name__startswith="断网导入").count() == 2
    assert set(Site.objects.filter(name__startswith="断网导入").values_list("version", flat=True)) == {1}  # not rewritten
