"""Scope-crawl registry of the sites app (see tests/scope_registry.py)."""
from sites.models import ApiToken, Area, Site
from sites.roles import Role
from tests.factories import SiteFactory, user_with_role

OBJECT_IN_VILLAGE = {
    Site: lambda village: SiteFactory(village=village, name=f"{village.name}的单位"),
    Area: lambda village: village,
    ApiToken: lambda village: ApiToken.objects.create(
        user=user_with_role(Role.CADRE, area=village, username=f"cadre_{village.code}"),
        name="对接", prefix="abcd1234", hashed_key=f"{village.code:0>64}",
    ),
}
PUBLIC_URL_NAMES: set[str] = {"login"}
