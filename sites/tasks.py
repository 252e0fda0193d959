"""Background tasks of the sites app."""
from celery import shared_task
from django.db.models import Count

from .models import Area, Site


@shared_task(acks_late=True, max_retries=3)
def site_census(area_id: int) -> dict:
    """Count active sites by kind in an area's subtree. Read-only, so idempotent.

    Used by `manage.py check_worker` to prove a worker reaches the broker and the same database.
    """
    area = Area.objects.get(pk=area_id)
    rows = (
        Site.objects.active()
        .filter(village__code__startswith=area.prefix)
        .values_list("kind")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {"area": area.code, "by_kind": dict(rows)}
