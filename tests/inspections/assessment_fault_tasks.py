"""Loaded by the fault test's workers (`-I tests.inspections.assessment_fault_tasks`): routes the worker's own
queued tasks to the test's private queue, and makes a village task slow when WUZHA_ASSESSMENT_DELAY is set,
touching a marker file first so the test knows when to kill the worker."""
import os
import time
from pathlib import Path

from celery import current_app

from inspections.assessment import compile as compile_module

if os.environ.get("WUZHA_FAULT_QUEUE"):
    current_app.conf.task_default_queue = os.environ["WUZHA_FAULT_QUEUE"]

_original = compile_module.compute_village


def _slow(run, village):
    mark = os.environ.get("WUZHA_FAULT_MARK")
    if mark:
        Path(mark, f"village-{village.pk}-{os.getpid()}").touch()
    time.sleep(float(os.environ.get("WUZHA_ASSESSMENT_DELAY", "0")))  # the test kills the worker here
    return _original(run, village)


compile_module.compute_village = _slow
