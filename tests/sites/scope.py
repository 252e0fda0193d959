"""Scope-crawl registry of the sites app (see tests/scope_registry.py)."""
from sites.models import ImportJob, Site
from tests.factories import SiteFactory

from .factories import job_in_village

OBJECT_IN_VILLAGE = {
    Site: lambda village: SiteFactory(village=village, name=f"{village.name}的单位"),
    ImportJob: job_in_village,
}
PUBLIC_URL_NAMES: set[str] = {"login"}
