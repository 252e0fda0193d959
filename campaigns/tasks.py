"""Background tasks of the campaigns app (idempotent, acks late)."""
from celery import shared_task


@shared_task(acks_late=True, reject_on_worker_lost=True, max_retries=3)
def bulletin_reminders() -> int:
    """Mail and flag overdue bulletin acknowledgements once each (state in BulletinReceipt.reminded_at)."""
    from .bulletin_services import bulletin_remind_overdue

    return bulletin_remind_overdue()


@shared_task(acks_late=True, reject_on_worker_lost=True, max_retries=3)
def obligation_reminders(today: str | None = None) -> dict:
    """Daily: enterprise visits due this month (N3.5), school semester events due (N3.4); idempotent."""
    from sites.tasks import _day

    from .reminders import obligation_reminders as produce

    return produce(_day(today))
