"""The one place that decides what a user may see and change.

A user's memberships become grants: an area-code prefix (the subtree of a county, town or village)
or a single site (liaisons). Every scoped queryset turns the grants into one `Q` through
`ScopedQuerySet`; no view filters by role on its own.
"""
from dataclasses import dataclass

from django.db import models
from django.db.models import Q


@dataclass(frozen=True)
class Grant:
    role: str
    area_prefix: str | None = None  # subtree: every area whose code starts with this
    site_id: int | None = None  # a single site (liaisons)
    site_village_code: str | None = None


@dataclass(frozen=True)
class Scope:
    """What one user reaches for one permission; `everything` for superusers."""

    grants: tuple[Grant, ...] = ()
    everything: bool = False

    @property
    def area_prefixes(self) -> list[str]:
        return sorted({g.area_prefix for g in self.grants if g.area_prefix})

    @property
    def site_ids(self) -> list[int]:
        return sorted({g.site_id for g in self.grants if g.site_id})

    def q(self, *, area_code: str, site: str | None = None, site_village_code: str | None = None) -> Q:
        """Q for a model whose area code is reached by `area_code` and its site (if any) by `site`."""
        if self.everything:
            return Q()
        q = Q(pk__in=[])
        for prefix in self.area_prefixes:
            q |= Q(**{f"{area_code}__startswith": prefix})
        if self.site_ids and site:
            q |= Q(**{f"{site}__in": self.site_ids})
        if site_village_code:
            codes = sorted({g.site_village_code for g in self.grants if g.site_village_code})
            if codes:
                q |= Q(**{f"{site_village_code}__in": codes})
        return q


def user_grants(user) -> tuple[Grant, ...]:
    """All grants of a user, loaded once per request (cached on the user object)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return ()
    cached = getattr(user, "_wuzha_grants", None)
    if cached is None:
        from .models import Membership

        cached = tuple(
            Grant(
                role=m.role,
                area_prefix=m.area.prefix if m.area_id else None,
                site_id=m.site_id,
                site_village_code=m.site.village.code if m.site_id else None,
            )
            for m in Membership.objects.filter(user=user).select_related("area", "site__village")
        )
        user._wuzha_grants = cached
    return cached


def role_permissions() -> dict[str, set[str]]:
    """Permissions of each role's group ("app.codename"), read from the database."""
    from django.contrib.auth.models import Permission

    from .roles import Role, group_name

    names = {group_name(r): r.value for r in Role}
    result: dict[str, set[str]] = {r.value: set() for r in Role}
    rows = Permission.objects.filter(group__name__in=names).values_list(
        "group__name", "content_type__app_label", "codename"
    )
    for gname, app_label, codename in rows:
        result[names[gname]].add(f"{app_label}.{codename}")
    return result


def user_scope(user, perm: str | None = None) -> Scope:
    """The scope of `user`, limited to memberships whose role holds `perm` (when given)."""
    if getattr(user, "is_superuser", False) and user.is_active:
        return Scope(everything=True)
    grants = user_grants(user)
    if perm and grants:
        perms = getattr(user, "_wuzha_role_perms", None)
        if perms is None:
            perms = user._wuzha_role_perms = role_permissions()
        grants = tuple(g for g in grants if perm in perms.get(g.role, ()))
    return Scope(grants=grants)


def user_roles(user) -> set[str]:
    return {g.role for g in user_grants(user)}


def user_has_role_perm(user, perm: str) -> bool:
    """True when at least one of the user's memberships grants `perm`."""
    scope = user_scope(user, perm)
    return scope.everything or bool(scope.grants)


class ScopedQuerySet(models.QuerySet):
    """Base for every model family a user sees only part of.

    Subclasses name the path to the 12-digit area code (`scope_area_code`) and, where liaisons
    reach single sites, the path to the site (`scope_site`).
    """

    scope_area_code: str = ""
    scope_site: str | None = None
    scope_site_village_code: str | None = None

    def _perm(self, action: str) -> str:
        meta = self.model._meta
        return f"{meta.app_label}.{action}_{meta.model_name}"

    def _scoped(self, user, action: str):
        scope = user_scope(user, self._perm(action))
        return self.filter(
            scope.q(
                area_code=self.scope_area_code,
                site=self.scope_site,
                site_village_code=self.scope_site_village_code,
            )
        )

    def visible_to(self, user):
        return self._scoped(user, "view")

    def editable_by(self, user):
        return self._scoped(user, "change")
