"""Campaign models; one module per family, re-exported here."""
from .campaign import Campaign, CampaignQuerySet

__all__ = ["Campaign", "CampaignQuerySet"]
