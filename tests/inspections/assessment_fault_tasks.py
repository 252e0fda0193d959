"""Loaded by the fault test's workers (`-I tests.inspections.assessment_fault_tasks`): routes the worker's own
queued tasks to the test's private queue, and makes a batch-of-villages task slow when WUZHA_ASSESSMENT_DELAY is set,
touching a marker file first so the test knows when to kill the worker."""
import os
import time
from pathlib import Path

from celery import current_app

from inspections.assessment import compile as compile_module

if os.environ.get("WUZHA_FAULT_QUEUE"):
    current_app.conf.task_default_queue = os.environ["WUZHA_FAULT_QUEUE"]

_original = compile_module.compute_villages


def _slow(run, villages):
    villages = list(villages)
    mark = os.environ.get("WUZHA_FAULT_MARK")
    if mark:
        Path(mark, f"villages-{villages[0].pk}-{os.getpid()}").touch()
    time.sleep(float(os.environ.get("WUZHA_ASSESSMENT_DELAY", "0")))  # the test kills the worker here
    return _original(run, villages)


compile_module.compute_villages = _slow
