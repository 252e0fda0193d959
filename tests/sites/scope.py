"""Scope-crawl registry of the sites app (see tests/scope_registry.py)."""
from sites.models import Site
from tests.factories import SiteFactory

OBJECT_IN_VILLAGE = {
    Site: lambda village: SiteFactory(village=village, name=f"{village.name}的单位"),
}
PUBLIC_URL_NAMES: set[str] = {"login"}
