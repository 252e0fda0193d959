"""Roles and their rights. Rights are data: one auth Group per role, holding Django permissions.

Each app declares its default permissions per role and connects `role_defaults_installer(...)` to
post_migrate; missing defaults are added at every migrate (so a new app's rights arrive), nothing is
ever removed. To withdraw a default right for good, change the app's defaults.
"""
from django.db import models


class Role(models.TextChoices):
    STAFF = "staff", "综治办工作人员"
    CADRE = "cadre", "村干部"
    LIAISON = "liaison", "创建单位联络员"
    INSPECTOR = "inspector", "督查员"


# Default permissions per role of the sites app, as "app_label.codename".
SITES_ROLE_PERMISSIONS: dict[str, set[str]] = {
    Role.STAFF: {
        "sites.view_site", "sites.add_site", "sites.change_site", "sites.view_area",
        "sites.view_membership", "sites.add_membership",  # the village-users ledger (import/export)
    },  # fmt: skip
    Role.CADRE: {"sites.view_site", "sites.add_site", "sites.change_site", "sites.view_area"},
    Role.LIAISON: {"sites.view_site"},
    Role.INSPECTOR: {"sites.view_site", "sites.view_area"},
}

def _crud(*models: str, actions=("view", "add", "change")) -> set[str]:
    return {f"sites.{a}_{m}" for m in models for a in actions}


# Key persons, premises, sweeps and incidents (issue 4). Inspectors and liaisons get none of them.
# "sites.view_full_pii" (the audited full view of ID numbers and phones) is given to NO role by default:
# a superuser grants it to named people (user permissions in the admin), see README "Personal data".
_KEY_PERSON_MODELS = ("keyperson", "relative", "measure", "abroadcase", "persuasionattempt")
_AREA_MODELS = ("premises", "unit", "sweep", "unitvisit", "finding", "rectification")
SITES_ROLE_PERMISSIONS[Role.STAFF] |= (
    _crud(*_KEY_PERSON_MODELS, *_AREA_MODELS, "incident")
    | {"sites.export_keyperson", "sites.view_accesslog"}
)
SITES_ROLE_PERMISSIONS[Role.CADRE] |= (
    _crud(*_KEY_PERSON_MODELS, *_AREA_MODELS) | {"sites.view_incident", "sites.export_keyperson"}
)

# Public tip-offs (issue 10) route to the town staff of the tip's village; nobody else sees them.
SITES_ROLE_PERMISSIONS[Role.STAFF] |= {"sites.view_tipoff", "sites.change_tipoff"}


def group_name(role: str) -> str:
    return f"角色:{Role(role).label}"


def ensure_role_permissions(defaults: dict[str, set[str]]) -> None:
    """Create the role groups and add the given default permissions to them."""
    from django.contrib.auth.models import Group, Permission

    for role, perms in defaults.items():
        group, _ = Group.objects.get_or_create(name=group_name(role))
        wanted = []
        for perm in sorted(perms):
            app_label, codename = perm.split(".")
            found = list(Permission.objects.filter(content_type__app_label=app_label, codename=codename))
            if not found:
                raise LookupError(f"默认权限 {perm} 不存在:检查应用的 Meta.permissions 与迁移。")
            wanted += found
        group.permissions.add(*wanted)


def role_defaults_installer(defaults: dict[str, set[str]]):
    """A post_migrate receiver that installs one app's default role permissions."""

    def install(**kwargs):
        ensure_role_permissions(defaults)

    return install
