"""Scope-crawl registry of the sites app (see tests/scope_registry.py)."""
from sites.models import AbroadCase, Incident, KeyPerson, Premises, Rectification, Relative, Site, Sweep
from tests.factories import SiteFactory

from .factories import (
    AbroadCaseFactory, IncidentFactory, KeyPersonFactory, PremisesFactory, RectificationFactory, RelativeFactory,
    SweepFactory,
)  # fmt: skip

OBJECT_IN_VILLAGE = {
    Site: lambda village: SiteFactory(village=village, name=f"{village.name}的单位"),
    KeyPerson: lambda village: KeyPersonFactory(village=village, name=f"{village.name}的人"),
    Relative: lambda village: RelativeFactory(person=KeyPersonFactory(village=village)),
    AbroadCase: lambda village: AbroadCaseFactory(person=KeyPersonFactory(village=village)),
    Premises: lambda village: PremisesFactory(village=village),
    Sweep: lambda village: SweepFactory(village=village),
    Rectification: lambda village: RectificationFactory(village=village),
    Incident: lambda village: IncidentFactory(site=SiteFactory(village=village)),
}
PUBLIC_URL_NAMES: set[str] = {"login"}
