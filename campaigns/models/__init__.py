"""Campaign models; one module per family, re-exported here."""
from .campaign import Campaign, CampaignQuerySet
from .sanwu import SanwuOverride  # noqa: F401  (issue 4: 三无 overrides)

__all__ = ["Campaign", "CampaignQuerySet"]
