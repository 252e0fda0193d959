"""The dashboard's background task (registered from InspectionsConfig.ready, so workers know it)."""
import datetime

from celery import shared_task


@shared_task(acks_late=True, max_retries=1)
def dashboard_refresh(campaign_id: int, area_code: str, as_of: str) -> None:
    """Rebuild a county dashboard's cache entry in the background; idempotent, one builder at a time."""
    from campaigns.models import Campaign
    from sites.models import Area

    from .builder import LEVELS, Node, build_and_store

    campaign = Campaign.objects.filter(pk=campaign_id).first()
    area = Area.objects.filter(code=area_code).select_related("parent").first()
    if campaign and area:
        build_and_store(campaign, Node(LEVELS[area.level], area), datetime.date.fromisoformat(as_of), wait=False)
