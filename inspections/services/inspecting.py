"""Scoring an inspection: draft marks (autosave), photos, submission with a frozen total, and review."""

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from .. import scoring
from ..images import evidence_facts, inspect_upload
from ..models import Evidence, Inspection, InspectionPlan, ItemScore, Rectification, ReviewComment
from .common import require_object_perm

MARK_FIELDS = ("not_applicable", "passed", "points", "occurrences", "self_points", "note")


def _require_inspector(actor, inspection: Inspection) -> None:
    if actor is not None and inspection.inspector_id != actor.pk:
        raise PermissionDenied("只有指派的督查员可以填写本次检查。")
    if not inspection.is_editable or inspection.plan.status == InspectionPlan.Status.PUBLISHED:
        raise ValidationError("本次检查已提交,不能再修改;如需更正请等待审核退回。")


def _mark(score: ItemScore) -> scoring.ItemMark:
    return scoring.ItemMark(
        key=str(score.item_id), not_applicable=score.not_applicable, passed=score.passed,
        points=score.points, occurrences=score.occurrences, self_points=score.self_points,
    )  # fmt: skip


@transaction.atomic
def inspection_save_marks(*, actor, inspection: Inspection, marks: dict[int, dict]) -> list[ItemScore]:
    """Save (part of) the marks as a draft: {item_id: {field: value}}. Values are range-checked."""
    inspection = Inspection.objects.select_for_update().select_related("plan").get(pk=inspection.pk)
    _require_inspector(actor, inspection)
    items = {i.pk: i for i in inspection.standard.items.all()}
    existing = {s.item_id: s for s in inspection.scores.all()}
    errors, saved = [], []
    for item_id, values in marks.items():
        item = items.get(int(item_id))
        if item is None:
            raise ValidationError("评分项不属于本次检查的标准。")
        score = existing.get(item.pk) or ItemScore(inspection=inspection, item=item)
        for name in MARK_FIELDS:
            if name in values:
                setattr(score, name, values[name])
        if score.not_applicable and not item.allow_na:
            errors.append(f"{item.section}:该项不能标为不适用。")
        if score.self_points is not None and not (0 <= Decimal(score.self_points) <= item.max_points):
            errors.append(f"{item.section}:自评分须在 0 至 {item.max_points} 之间。")
        try:
            scoring.score_item(item.spec(), _mark(score))
        except ValueError as exc:
            errors.append(str(exc))
        saved.append(score)
    if errors:
        raise ValidationError(errors)
    for score in saved:
        score.full_clean(exclude=["inspection", "item"])
        if not inspection.revision:  # before the first submission a draft is not history yet
            score.skip_history_when_saving = True
        score.save()
        if hasattr(score, "skip_history_when_saving"):
            del score.skip_history_when_saving
    inspection.draft_saved_at = timezone.now()
    inspection.skip_history_when_saving = True  # an autosave timestamp is not a change of the result
    inspection.save(update_fields=["draft_saved_at"])
    return saved


def compute(inspection: Inspection) -> scoring.SheetResult:
    specs = inspection.standard.specs()
    return scoring.score_sheet(specs, [_mark(s) for s in inspection.scores.all()])


@transaction.atomic
def inspection_submit(*, actor, inspection: Inspection, inspected_on=None) -> Inspection:
    """Freeze the total with the standard's version; every item must be scored (or marked 不适用).

    `inspected_on` is the day of the visit (default: today): the assessment counts an inspection in the period
    by this day, not by when it was published."""
    inspection = Inspection.objects.select_for_update().select_related("plan", "standard").get(pk=inspection.pk)
    _require_inspector(actor, inspection)
    inspected_on = inspected_on or inspection.inspected_on or timezone.localdate()
    if inspected_on > timezone.localdate():
        raise ValidationError("检查日期不能晚于今天。")
    result = compute(inspection)
    if result.missing:
        labels = {str(i.pk): f"{i.section}·{i.text[:12]}" for i in inspection.standard.items.all()}
        raise ValidationError(
            f"还有 {len(result.missing)} 项未评分:" + "、".join(labels[k] for k in result.missing[:5])
        )
    by_key = {r.key: r for r in result.items}
    for score in inspection.scores.all():
        score.earned = by_key[str(score.item_id)].earned
        score.save(update_fields=["earned"])
    inspection.score, inspection.self_score, inspection.vetoed = result.score, result.self_score, result.vetoed
    inspection.earned, inspection.possible = result.earned, result.possible
    inspection.rules_version, inspection.standard_version = result.rules_version, inspection.standard.version
    inspection.revision += 1
    inspection.submitted_at = timezone.now()
    inspection.inspected_on = inspected_on
    inspection.status = Inspection.Status.SUBMITTED
    inspection._change_reason = f"第{inspection.revision}次提交"
    inspection.save()
    if actor is not None:
        ReviewComment.objects.create(inspection=inspection, author=actor, action=ReviewComment.Action.SUBMIT)
    return inspection


def _review(actor, inspection: Inspection, to: str, action: str, text: str) -> Inspection:
    require_object_perm(
        actor, "inspections.review_inspection", Inspection.objects, inspection, area_code="site__village__code"
    )
    inspection = Inspection.objects.select_for_update().get(pk=inspection.pk)
    if inspection.status != Inspection.Status.SUBMITTED:
        raise ValidationError("只有已提交待审核的检查可以审核。")
    inspection.status, inspection.reviewed_at = to, timezone.now()
    inspection._change_reason = ReviewComment.Action(action).label
    inspection.save()
    if actor is not None:
        ReviewComment.objects.create(inspection=inspection, author=actor, action=action, text=text)
    return inspection


@transaction.atomic
def inspection_return(*, actor, inspection: Inspection, reason: str) -> Inspection:
    if not reason.strip():
        raise ValidationError("退回修改须写明原因。")
    return _review(actor, inspection, Inspection.Status.RETURNED, ReviewComment.Action.RETURN, reason.strip())


@transaction.atomic
def inspection_approve(*, actor, inspection: Inspection, comment: str = "") -> Inspection:
    return _review(actor, inspection, Inspection.Status.APPROVED, ReviewComment.Action.APPROVE, comment.strip())


@transaction.atomic
def evidence_add(*, actor, upload, item_score: ItemScore | None = None, rectification: Rectification | None = None):
    """Keep a photo after checking it on the photo path: stored re-encoded, its EXIF (time, place) kept."""
    info = inspect_upload(upload)
    site = item_score.inspection.site if item_score else rectification.site
    evidence = Evidence(site=site, item_score=item_score, rectification=rectification, uploaded_by=actor,
                        image=ContentFile(info.content, name=f"photo.{info.extension}"), **evidence_facts(info))  # fmt: skip
    evidence.full_clean()
    evidence.save()
    return evidence
