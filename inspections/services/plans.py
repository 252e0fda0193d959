"""Plans: create with a crew, add chosen sites, draw sites reproducibly, verify a draw, publish results."""

import datetime
import secrets
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from sites.models import Area, Membership, Site
from sites.roles import Role
from sites.scope import user_scope

from .. import scoring
from ..models import Inspection, InspectionPlan, PlanInspector, Rectification, ReviewComment, Standard
from .common import require_area_perm, require_object_perm

RECTIFY_DAYS = 30


@transaction.atomic
def plan_create(*, actor, plan: InspectionPlan, crew: list[tuple]) -> InspectionPlan:
    """Create a plan and its crew [(user, home_village or None)]; each inspector must reach the plan's area."""
    require_area_perm(actor, "inspections.add_inspectionplan", plan.area)
    if not crew:
        raise ValidationError("请至少指定一名督查员。")
    for user, _home in crew:
        reach = user_scope(user, "inspections.change_inspection").q(area_code="code")
        if not Area.objects.filter(pk=plan.area_id).filter(reach).exists():
            raise ValidationError(f"{user.get_full_name() or user.username} 不是该范围的督查员。")
    plan.created_by = actor if actor is not None and actor.pk else plan.created_by
    plan.full_clean()
    plan.save()
    for user, home in crew:
        PlanInspector.objects.create(plan=plan, user=user, home_village=home or _home_village(user))
    return plan


def _home_village(user) -> Area | None:
    """An inspector who is also a village cadre (交叉检查) belongs to that village: the draw avoids it."""
    membership = Membership.objects.filter(user=user, role=Role.CADRE).select_related("area").first()
    return membership.area if membership else None


def _editable(plan: InspectionPlan) -> None:
    if plan.status == InspectionPlan.Status.PUBLISHED:
        raise ValidationError("计划已公布,不能再更改检查对象。")


def _standard_for(plan, site) -> Standard:
    standard = Standard.objects.current_for(plan.campaign, site.kind)
    if standard is None or not standard.items.exists():
        raise ValidationError(f"该活动尚未设定“{site.get_kind_display()}”的创建标准(评分表),请先设定。")
    return standard


def _new_inspection(plan, site, inspector) -> Inspection:
    if not site.village.code.startswith(plan.area.prefix):
        raise ValidationError(f"{site.name} 不在本计划的检查范围内。")
    if plan.inspections.filter(site=site).exists():
        raise ValidationError(f"{site.name} 已在本计划中。")
    inspection = Inspection(plan=plan, site=site, inspector=inspector, standard=_standard_for(plan, site),
                            is_demo=plan.is_demo)  # fmt: skip
    inspection.full_clean()
    inspection.save()
    if plan.status == InspectionPlan.Status.DRAFT:
        plan.status = InspectionPlan.Status.ACTIVE
        plan.save(update_fields=["status"])
    return inspection


@transaction.atomic
def plan_add_site(*, actor, plan: InspectionPlan, site: Site, inspector) -> Inspection:
    require_area_perm(actor, "inspections.change_inspectionplan", plan.area)
    _editable(plan)
    if not plan.crew.filter(user=inspector).exists():
        raise ValidationError("只能指派本计划的督查员。")
    return _new_inspection(plan, site, inspector)


def _draw_inputs(plan: InspectionPlan, kind: str):
    taken = plan.inspections.values("site")
    sites = (
        Site.objects.active()
        .filter(kind=kind, village__code__startswith=plan.area.prefix)
        .exclude(pk__in=taken)
        .select_related("village")
    )
    candidates = [scoring.Candidate(s.pk, s.village.code) for s in sites]
    crew = [
        scoring.InspectorSlot(c.user_id, c.home_village.code if c.home_village_id else "")
        for c in plan.crew.select_related("home_village")
    ]
    last = {}
    for site_id, user_id in (
        Inspection.objects.filter(site__in=[c.site_id for c in candidates], inspector__isnull=False)
        .exclude(plan=plan)
        .order_by("site", "-plan__starts_on", "-pk")
        .values_list("site", "inspector")
    ):
        last.setdefault(site_id, user_id)
    return candidates, crew, last


@transaction.atomic
def plan_draw(*, actor, plan: InspectionPlan, n: int, kind: str, seed: int | None = None) -> scoring.DrawResult:
    """Draw `n` sites of `kind` in the plan's area and assign the crew; the inputs and seed are stored."""
    require_area_perm(actor, "inspections.change_inspectionplan", plan.area)
    _editable(plan)
    if plan.drawn_at:
        raise ValidationError("本计划已经抽签,抽签结果不能重抽。")
    candidates, crew, last = _draw_inputs(plan, kind)
    seed = secrets.randbelow(2**62) if seed is None else seed
    try:
        result = scoring.draw(candidates, n, seed, crew, last)
    except ValueError as exc:
        raise ValidationError(str(exc)) from exc
    plan.draw_seed, plan.draw_count, plan.draw_kind = seed, n, kind
    plan.draw_candidates = [[c.site_id, c.village_code] for c in candidates]
    plan.draw_inputs = {
        "inspectors": [[i.user_id, i.home_village_code] for i in crew],
        "last_inspector": {str(k): v for k, v in last.items()},
        "drawn": [list(a) for a in result.assignments],
    }
    plan.draw_hash = result.candidates_hash
    plan.drawn_at = timezone.now()
    plan.save()
    sites = Site.objects.select_related("village").in_bulk([sid for sid, _ in result.assignments])
    users = {c.user_id: c.user for c in plan.crew.select_related("user")}
    for site_id, user_id in result.assignments:
        _new_inspection(plan, sites[site_id], users[user_id])
    return result


@dataclass(frozen=True)
class DrawCheck:
    reproduced: bool  # re-running the stored inputs gives the stored result
    result: scoring.DrawResult
    hash_matches: bool  # the stored candidate list still hashes to the stored digest


def plan_verify_draw(plan: InspectionPlan) -> DrawCheck:
    """Re-run a plan's draw from its stored seed and inputs (read-only; anyone who sees the plan may)."""
    if not plan.drawn_at:
        raise ValidationError("本计划没有抽签。")
    candidates = [scoring.Candidate(sid, code) for sid, code in plan.draw_candidates]
    crew = [scoring.InspectorSlot(uid, code) for uid, code in plan.draw_inputs["inspectors"]]
    last = {int(k): v for k, v in plan.draw_inputs.get("last_inspector", {}).items()}
    result = scoring.draw(candidates, plan.draw_count, plan.draw_seed, crew, last)
    stored = [tuple(a) for a in plan.draw_inputs.get("drawn", [])]
    return DrawCheck(
        reproduced=list(result.assignments) == stored,
        result=result,
        hash_matches=scoring.candidates_hash(candidates) == plan.draw_hash,
    )


@transaction.atomic
def plan_publish(*, actor, plan: InspectionPlan, today: datetime.date | None = None) -> int:
    """Publish every (approved) result of a plan; the seal lifts and deductions become rectification tasks.

    Returns the number of rectification tasks raised.
    """
    require_object_perm(actor, "inspections.review_inspection", InspectionPlan.objects, plan, area_code="area__code")
    if plan.status == InspectionPlan.Status.PUBLISHED:
        raise ValidationError("计划已公布。")
    inspections = list(plan.inspections.select_related("site"))
    pending = [i for i in inspections if i.status != Inspection.Status.APPROVED]
    if not inspections or pending:
        names = "、".join(i.site.name for i in pending[:5])
        raise ValidationError(
            f"还有 {len(pending)} 个检查未审核通过,不能公布:{names}" if pending else "计划没有检查对象。"
        )
    now = timezone.now()
    deadline = (today or timezone.localdate()) + datetime.timedelta(days=RECTIFY_DAYS)
    raised = 0
    for inspection in inspections:
        inspection.status, inspection.published_at = Inspection.Status.PUBLISHED, now
        inspection.save(update_fields=["status", "published_at"])
        if actor is not None:
            ReviewComment.objects.create(inspection=inspection, author=actor, action=ReviewComment.Action.PUBLISH)
        for score in inspection.scores.select_related("item").filter(not_applicable=False):
            lost = score.item.max_points - (score.earned or 0)
            if lost > 0 or (score.item.scoring == "veto" and score.passed is False):
                finding = score.note or score.item.rule_text or score.item.text
                Rectification.objects.create(
                    inspection=inspection, item=score.item, site=inspection.site, points_deducted=lost,
                    finding=f"{score.item.section}:{finding}", deadline=deadline, is_demo=inspection.is_demo,
                )  # fmt: skip
                raised += 1
    plan.status, plan.published_at = InspectionPlan.Status.PUBLISHED, now
    plan.save(update_fields=["status", "published_at"])
    return raised
