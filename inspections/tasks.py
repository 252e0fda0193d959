"""Background tasks of the inspections app."""

from celery import shared_task

from .services import rectifications_escalate_overdue


@shared_task(acks_late=True, max_retries=3)
def escalate_overdue_rectifications() -> int:
    """Daily: overdue rectification tasks escalate to town staff (idempotent)."""
    return rectifications_escalate_overdue()
