"""Models of the sites app; one module per family, re-exported here."""
from .tree import AREA_CODE_VALIDATOR, PHONE_VALIDATOR, Area, AreaQuerySet, Membership, Site, SiteQuerySet

__all__ = ["AREA_CODE_VALIDATOR", "PHONE_VALIDATOR", "Area", "AreaQuerySet", "Membership", "Site", "SiteQuerySet"]
from .api_tokens import ApiToken  # noqa: E402,F401 (re-export; API tokens, issue 11)
