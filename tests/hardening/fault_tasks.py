"""A task for the fault tests only (the worker loads it with `-I tests.hardening.fault_tasks`).

It follows the house rule for tasks that must survive a killed worker: the job's state lives in the
database, the task is idempotent, and its one write commits atomically. The first run sleeps long
enough for the test to kill the worker; the redelivered run completes.
"""
import time

from celery import shared_task
from django.db import connection, transaction


@shared_task(acks_late=True, reject_on_worker_lost=True)
def slow_write(token: str, first_run_seconds: float = 30) -> str:
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("UPDATE fault_job SET attempts = attempts + 1, state = 'running' WHERE token = %s", [token])
            cursor.execute("SELECT attempts FROM fault_job WHERE token = %s", [token])
            attempts = cursor.fetchone()[0]
    if attempts == 1:
        time.sleep(first_run_seconds)  # the test kills the worker here
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("INSERT INTO fault_result (token, body) VALUES (%s, %s) ON CONFLICT DO NOTHING", [token, "完成"])
        cursor.execute("UPDATE fault_job SET state = 'done' WHERE token = %s", [token])
    return "done"
