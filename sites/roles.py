"""Roles and their rights. Rights are data: one auth Group per role, seeded with these defaults once.

Town staff may change a group's permissions in the admin afterwards; `ensure_role_groups` never
overwrites a group that already exists.
"""
from django.db import models


class Role(models.TextChoices):
    STAFF = "staff", "综治办工作人员"
    CADRE = "cadre", "村干部"
    LIAISON = "liaison", "创建单位联络员"
    INSPECTOR = "inspector", "督查员"


# Default permissions per role, as "app_label.codename". Apps add theirs as they grow.
DEFAULT_ROLE_PERMISSIONS: dict[str, set[str]] = {
    Role.STAFF: {"sites.view_site", "sites.add_site", "sites.change_site", "sites.view_area"},
    Role.CADRE: {"sites.view_site", "sites.add_site", "sites.change_site", "sites.view_area"},
    Role.LIAISON: {"sites.view_site"},
    Role.INSPECTOR: {"sites.view_site", "sites.view_area"},
}


def group_name(role: str) -> str:
    return f"角色:{Role(role).label}"


def ensure_role_groups(**kwargs):
    """Create the role groups with their default permissions, adding perms that are new (post_migrate)."""
    from django.contrib.auth.models import Group, Permission

    for role, perms in DEFAULT_ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=group_name(role))
        wanted = []
        for perm in perms:
            app_label, codename = perm.split(".")
            wanted += Permission.objects.filter(content_type__app_label=app_label, codename=codename)
        group.permissions.add(*wanted)
