"""Scope checks shared by the inspections services."""

from django.core.exceptions import PermissionDenied

from sites.models import Area
from sites.scope import user_scope


def require_area_perm(actor, perm: str, area: Area) -> None:
    """The actor must hold `perm` over `area` (an area membership whose subtree holds it)."""
    if actor is None:  # system writes (demo seed, tasks)
        return
    if not Area.objects.filter(pk=area.pk).filter(user_scope(actor, perm).q(area_code="code")).exists():
        raise PermissionDenied("您无权在该辖区执行此操作。")


def require_object_perm(actor, perm: str, queryset, obj, *, area_code: str, site: str | None = None) -> None:
    """The actor must hold `perm` over this object (by its area path, or by its site for liaisons)."""
    if actor is None:
        return
    q = user_scope(actor, perm).q(area_code=area_code, site=site)
    if not queryset.filter(pk=obj.pk).filter(q).exists():
        raise PermissionDenied("您无权对该记录执行此操作。")
