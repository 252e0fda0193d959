"""Models of the sites app; one module per family, re-exported here."""
from .imports import ImportJob  # noqa: F401  (import jobs, issue 7)
from .tree import AREA_CODE_VALIDATOR, PHONE_VALIDATOR, Area, AreaQuerySet, Membership, Site, SiteQuerySet

__all__ = ["AREA_CODE_VALIDATOR", "PHONE_VALIDATOR", "Area", "AreaQuerySet", "Membership", "Site", "SiteQuerySet"]
