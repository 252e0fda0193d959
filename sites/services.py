"""Writes to the tree, sites and memberships. Views, the admin, imports and tasks all call these."""
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from .models import Area, Membership, Site
from .roles import group_name


def _check_site_in_scope(*, actor, site: Site) -> None:
    if actor is None:  # system writes (seed, imports run by the system) carry no actor
        return
    perm = "sites.change_site" if site.pk else "sites.add_site"
    if not Area.objects.where_user_may(actor, perm).filter(pk=site.village_id).exists():
        raise ValidationError({"village": "您无权在该村/社区登记或修改创建单位,请选择您负责的村/社区。"})


@transaction.atomic
def site_save(*, actor, site: Site) -> Site:
    """Create or update a site; the village must lie in the actor's editable part of the tree.

    For an existing site the village it had before must be editable too, so nobody moves a site
    out of another village.
    """
    if site.pk:
        before = Site.objects.select_for_update().get(pk=site.pk)
        _check_site_in_scope(actor=actor, site=before)
    _check_site_in_scope(actor=actor, site=site)
    site.full_clean()
    site.save()
    return site


@transaction.atomic
def site_set_active(*, actor, site: Site, active: bool) -> Site:
    """Deactivate (or reactivate) a site. Sites are never deleted from the UI: their records stay."""
    _check_site_in_scope(actor=actor, site=site)
    site.is_active = active
    site.save(update_fields=["is_active", "updated_at"])
    return site


@transaction.atomic
def membership_grant(*, user, role: str, area: Area | None = None, site: Site | None = None) -> Membership:
    """Give a user a role in part of the tree and put them in the role's group (rights are data)."""
    membership, _ = Membership.objects.get_or_create(user=user, role=role, area=area, site=site)
    membership.full_clean()
    group, _ = Group.objects.get_or_create(name=group_name(role))
    user.groups.add(group)
    return membership


@transaction.atomic
def area_create(*, code: str, name: str, level: int, parent: Area | None = None, is_demo: bool = False) -> Area:
    area = Area(code=code, name=name, level=level, parent=parent, is_demo=is_demo)
    area.full_clean()
    area.save()
    return area


def require_perm(user, perm: str) -> None:
    """Refuse a write the user's roles do not grant anywhere (403; scope itself is 404)."""
    from .scope import user_has_role_perm

    if not user_has_role_perm(user, perm):
        raise PermissionDenied
