"""Background jobs of the audit trail (listed in CELERY_IMPORTS; the purge runs daily from beat)."""
from celery import shared_task

from .audit import audit_purge


@shared_task(acks_late=True)
def audit_purge_task() -> dict:
    """Delete audit rows older than the retention. Idempotent: a rerun finds nothing more to delete."""
    return audit_purge()


@shared_task(acks_late=True)
def outbox_flush_task() -> int:
    """Send tasks kept while the broker was down (runs every minute from beat)."""
    from .outbox import outbox_flush

    return outbox_flush()
