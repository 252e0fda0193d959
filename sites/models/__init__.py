"""Models of the sites app; one module per family, re-exported here."""
from .abroad import AbroadCase, PersuasionAttempt
from .accesslog import AccessLog
from .api_tokens import ApiToken
from .incidents import Incident
from .keypersons import KeyPerson, Measure, Relative
from .reminders import Reminder
from .premises import Finding, Premises, Rectification, Sweep, Unit, UnitVisit
from .imports import ImportJob
from .tipoffs import TipNote, TipOff, TipPhoto
from .tree import AREA_CODE_VALIDATOR, PHONE_VALIDATOR, Area, AreaQuerySet, Membership, Site, SiteQuerySet
from .audit import AuthEvent, TaskOutbox, TotpDevice, UserSession, record_reason, track  # noqa: F401  (after tree)

__all__ = [
    "AREA_CODE_VALIDATOR", "PHONE_VALIDATOR", "AbroadCase", "AccessLog", "ApiToken", "Area", "AreaQuerySet",
    "Finding", "Incident", "KeyPerson", "Measure", "Membership", "PersuasionAttempt", "Premises", "Rectification",
    "Relative", "Reminder", "Site", "TipNote", "TipOff", "TipPhoto", "SiteQuerySet", "Sweep", "Unit", "UnitVisit",
]  # fmt: skip
