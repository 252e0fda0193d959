"""Queue background tasks so that a broker outage loses nothing and breaks no page.

    from sites.outbox import task_enqueue
    task_enqueue(import_run, batch.pk)        # inside the service's transaction

The task is sent after the transaction commits. If Redis is unreachable the page still answers:
the task is kept in `TaskOutbox` and `outbox_flush` (every minute from beat, or
`manage.py outbox_flush`) sends it once the broker is back. Tasks stay idempotent (house rule),
so a send that succeeded just before an error is harmless.
"""
import logging

from celery import current_app
from django.db import transaction

from .models import TaskOutbox

log = logging.getLogger(__name__)


def broker_app():
    """The Celery app that talks to the broker (the fault test swaps in one on a private Redis)."""
    return current_app


def _send(name: str, args: list, kwargs: dict) -> None:
    app = broker_app()
    if app.conf.task_always_eager:  # no broker configured (`make run`, the SQLite tests): run in-process
        app.tasks[name].apply_async(args=args, kwargs=kwargs)
    else:
        app.send_task(name, args=args, kwargs=kwargs, retry=False)


def _send_or_keep(name: str, args: list, kwargs: dict) -> None:
    try:
        _send(name, args, kwargs)
    except Exception as exc:  # any broker failure: keep the task rather than lose it or fail the page
        TaskOutbox.objects.create(task=name, args=args, kwargs=kwargs, last_error=str(exc)[:200])
        log.warning("消息队列不可用,任务 %s 已暂存待发送:%s", name, exc)


def task_enqueue(task, *args, **kwargs) -> None:
    """Send `task` after the current transaction commits; keep it in the outbox if the broker is down."""
    name, args, kwargs = task.name, list(args), dict(kwargs)
    transaction.on_commit(lambda: _send_or_keep(name, args, kwargs))


def outbox_flush(limit: int = 500) -> int:
    """Send kept tasks in order; stop at the first failure (the broker is still down). Returns how many were sent."""
    sent = 0
    for row in TaskOutbox.objects.order_by("pk")[:limit]:
        try:
            _send(row.task, row.args, row.kwargs)
        except Exception as exc:  # still unreachable: try again at the next flush
            TaskOutbox.objects.filter(pk=row.pk).update(attempts=row.attempts + 1, last_error=str(exc)[:200])
            break
        row.delete()
        sent += 1
    return sent
