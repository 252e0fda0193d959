"""Writes to the tree, sites and memberships. Views, the admin, imports and tasks all call these."""
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from wuzha.lib.concurrency import assert_unchanged

from .models import Area, Membership, Site
from .roles import group_name


def _check_site_in_scope(*, actor, site: Site) -> None:
    if actor is None:  # system writes (seed, imports run by the system) carry no actor
        return
    perm = "sites.change_site" if site.pk else "sites.add_site"
    if not Area.objects.where_user_may(actor, perm).filter(pk=site.village_id).exists():
        raise ValidationError({"village": "您无权在该村/社区登记或修改创建单位,请选择您负责的村/社区。"})


@transaction.atomic
def site_save(*, actor, site: Site, expected_version: int | str | None = None) -> Site:
    """Create or update a site; the village must lie in the actor's editable part of the tree.

    For an existing site the village it had before must be editable too, so nobody moves a site
    out of another village. `expected_version` is the version the editor opened (the form's hidden
    field): if someone saved in between, the save is refused with a conflict message.
    """
    if site.pk:
        before = Site.objects.select_for_update().get(pk=site.pk)
        _check_site_in_scope(actor=actor, site=before)
        assert_unchanged(before, expected_version, field="version")
        site.version = before.version + 1
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


# Fields an import may set on a site (everything the site form edits except the village).
SITE_DATA_FIELDS = (
    "kind", "name", "address", "contact_name", "contact_phone", "households", "residents", "residents_16_60", "school_level",
    "teachers", "students", "employees", "new_hires_this_year", "latitude", "longitude",
)  # fmt: skip


@transaction.atomic
def site_bulk_save(*, actor, sites: list[Site], cleaned: bool = False) -> None:
    """Create or update many sites at once (imports): `site_save`'s rules, checked in a few queries.

    Preconditions: each site's village is a loaded Area. The actor must be allowed to add sites in the
    villages of new ones and to change sites in both the old and new villages of existing ones (always
    checked here). `cleaned=True` says the caller already ran `full_clean()` on these very instances in
    this transaction (the import engine's plan step does), so it is not run twice. Same-name clashes
    are left to the unique constraint: the caller's transaction then rolls back.
    """
    new = [s for s in sites if s.pk is None]
    old = [s for s in sites if s.pk is not None]
    locked = list(
        Site.objects.select_for_update().filter(pk__in=[s.pk for s in old]).values_list("pk", "village_id", "version")
    )
    before = {pk: village_id for pk, village_id, _ in locked}
    versions = {pk: version for pk, _, version in locked}
    if actor is not None:
        may_add = set(Area.objects.where_user_may(actor, "sites.add_site").values_list("pk", flat=True))
        may_change = set(Area.objects.where_user_may(actor, "sites.change_site").values_list("pk", flat=True))
        for site in new:
            if site.village_id not in may_add:
                raise ValidationError(f"您无权在该村/社区登记创建单位“{site.name}”。")
        for site in old:
            if before.get(site.pk) not in may_change or site.village_id not in may_change:
                raise ValidationError(f"您无权修改创建单位“{site.name}”。")
    now = timezone.now()
    for site in sites:
        if site.village.level != Area.Level.VILLAGE:
            raise ValidationError(f"创建单位“{site.name}”必须属于村/社区一级。")
        if not cleaned:
            site.full_clean(exclude=["village"], validate_unique=False, validate_constraints=False)
        site.updated_at = now
        if site.pk is not None:
            site.version = versions.get(site.pk, site.version) + 1
    Site.objects.bulk_create(new, batch_size=500)
    Site.objects.bulk_update(old, ["village", *SITE_DATA_FIELDS, "version", "updated_at"], batch_size=500)
