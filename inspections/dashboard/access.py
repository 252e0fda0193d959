"""Who reaches which dashboard node, which campaigns it offers, and the parts that depend on the user.

A node is reachable when the user holds `PERM` over its whole area (an area membership covering it):
town and county staff, and village cadres for their village. Liaisons and inspectors have no dashboard.
Plans and not yet published inspections are counted through their own scoped querysets, cached per user
only (never in the shared figures): a sealed (暗访) plan appears only to its insiders, never to village roles.
"""
from __future__ import annotations

from django.core.cache import cache
from django.db.models import Count, Q
from django.http import Http404

from campaigns.models import Campaign
from sites.models import Area, Site
from sites.scope import user_has_role_perm, user_scope

from ..models import Inspection, InspectionPlan
from .builder import LEVELS, Node
from .cache import TTL

PERM = "inspections.view_assessmentvillageresult"


def may_view(user) -> bool:
    return user_has_role_perm(user, PERM)


def reachable_areas(user):
    return Area.objects.where_user_may(user, PERM)


def top_areas(user) -> list[Area]:
    """The user's highest areas (their memberships' areas): what `/dashboard/` shows (one) or lists (several)."""
    scope = user_scope(user, PERM)
    if scope.everything:
        return list(Area.objects.filter(level=Area.Level.COUNTY).order_by("code"))
    prefixes = scope.area_prefixes
    tops = [p for p in prefixes if not any(p != o and p.startswith(o) for o in prefixes)]
    return list(Area.objects.filter(code__in=[p.ljust(12, "0") for p in tops]).order_by("code"))


def node_for_area(user, code: str) -> Node:
    area = reachable_areas(user).filter(code=code).select_related("parent__parent").first()
    if area is None:
        raise Http404("没有找到该区划,或您无权查看。")
    return Node(LEVELS[area.level], area)


def node_for_site(user, pk: int) -> Node:
    site = (
        Site.objects.visible_to(user).filter(village__in=reachable_areas(user))
        .select_related("village__parent__parent").filter(pk=pk).first()
    )  # fmt: skip
    if site is None:
        raise Http404("没有找到该创建单位,或您无权查看。")
    return Node("site", site.village, site)


def breadcrumbs(user, node: Node) -> list[tuple[str, str | None]]:
    """(name, area code or None) from the user's highest reachable area down to the node."""
    chain, a = [], node.area
    while a is not None:
        chain.append(a)
        a = a.parent
    chain.reverse()
    scope = user_scope(user, PERM)
    start = 0 if scope.everything else next(
        (i for i, a in enumerate(chain) if any(a.code.startswith(p) for p in scope.area_prefixes)), len(chain) - 1)
    crumbs = [(a.name, a.code) for a in chain[start:]]
    if node.site:
        crumbs.append((node.site.name, None))
    return crumbs


def campaigns_for(user, node: Node) -> list[Campaign]:
    """Visible campaigns covering the node or inside it; running ones that cover it first."""
    code = node.area.code
    ancestors = {code, code[:6] + "000000", code[:9] + "000"}
    qs = Campaign.objects.visible_to(user).exclude(status=Campaign.Status.DRAFT).filter(
        Q(scope__code__in=ancestors) | Q(scope__code__startswith=node.area.prefix)
    ).select_related("scope")  # fmt: skip
    found = list(qs)
    found.sort(key=lambda c: (c.scope.code not in ancestors, c.status != Campaign.Status.RUNNING,
                              -c.starts_on.toordinal(), c.pk))  # fmt: skip
    return found


def pick(campaigns: list[Campaign], wanted: str | None) -> Campaign | None:
    if wanted and wanted.isdigit():
        for c in campaigns:
            if c.pk == int(wanted):
                return c
    return campaigns[0] if campaigns else None


def planned(user, campaign: Campaign, node: Node, gens: str) -> dict | None:
    """Plans and unpublished inspections of the node the user may see (None: the user sees no plans).

    Cached per user (never shared: sealing differs between users) behind the node's generations, which plan,
    crew, inspection and membership writes bump."""
    key = f"dash:plans:{user.pk}:{node.key}:{campaign.pk}:{gens}"
    found = cache.get(key, "missing")
    if found == "missing":
        found = _planned(user, campaign, node)
        cache.set(key, found, TTL)
    return found


def _planned(user, campaign: Campaign, node: Node) -> dict | None:
    if not user_has_role_perm(user, "inspections.view_inspectionplan"):
        return None
    inspections = Inspection.objects.visible_to(user).filter(plan__campaign=campaign).exclude(
        status=Inspection.Status.PUBLISHED)  # fmt: skip
    if node.site:
        inspections = inspections.filter(site=node.site)
    else:
        inspections = inspections.filter(site__village__code__startswith=node.area.prefix)
    by_status = dict(inspections.values_list("status").annotate(n=Count("pk")).order_by())
    code = node.area.code
    plans = InspectionPlan.objects.visible_to(user).filter(campaign=campaign).exclude(
        status=InspectionPlan.Status.PUBLISHED).filter(
        Q(area__code__startswith=node.area.prefix) | Q(area__code__in={code[:9] + "000", code[:6] + "000000"}))  # fmt: skip
    labels = dict(Inspection.Status.choices)
    return {
        "plans": plans.count(),
        "inspections": sum(by_status.values()),
        "by_status": [(labels[s], by_status.get(s, 0)) for s in Inspection.Status.values if s != Inspection.Status.PUBLISHED],
    }  # fmt: skip
