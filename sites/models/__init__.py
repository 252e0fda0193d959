"""Models of the sites app; one module per family, re-exported here."""
from .tree import AREA_CODE_VALIDATOR, PHONE_VALIDATOR, Area, AreaQuerySet, Membership, Site, SiteQuerySet

__all__ = ["AREA_CODE_VALIDATOR", "PHONE_VALIDATOR", "Area", "AreaQuerySet", "Membership", "Site", "SiteQuerySet"]
from .audit import AuthEvent, TaskOutbox, TotpDevice, UserSession, record_reason, track  # noqa: E402,F401  (audit trail, issue 9)
