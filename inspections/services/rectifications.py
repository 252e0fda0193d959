"""Rectification: the site answers with evidence; staff or the inspector verify (done only at verified)."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from .. import scoring
from ..models import Inspection, Rectification
from .common import require_object_perm


def _require(actor, perm, rect):
    require_object_perm(actor, perm, Rectification.objects, rect, area_code="site__village__code", site="site")


@transaction.atomic
def rectification_respond(*, actor, rectification: Rectification, response: str) -> Rectification:
    """The cadre or liaison reports what was done (photos are added with evidence_add)."""
    _require(actor, "inspections.respond_rectification", rectification)
    if rectification.status != Rectification.Status.OPEN:
        raise ValidationError("该整改任务当前不需要反馈。")
    if not response.strip():
        raise ValidationError("请填写整改情况。")
    rectification.response = response.strip()
    rectification.responded_by, rectification.responded_at = actor, timezone.now()
    rectification.status = Rectification.Status.RESPONDED
    rectification.full_clean()
    rectification.save()
    return rectification


@transaction.atomic
def rectification_verify(
    *, actor, rectification: Rectification, accept: bool, note: str = "", restore_points: Decimal = Decimal("0")
) -> Rectification:
    """Accept (task done) or send back; accepting may restore deducted points on the inspection."""
    _require(actor, "inspections.verify_rectification", rectification)
    if rectification.status != Rectification.Status.RESPONDED:
        raise ValidationError("只有已反馈的整改任务可以验收。")
    restore_points = Decimal(restore_points or 0)
    if not accept:
        if not note.strip():
            raise ValidationError("退回整改须写明原因。")
        rectification.status = Rectification.Status.OPEN
    else:
        if not (0 <= restore_points <= rectification.points_deducted):
            raise ValidationError(f"恢复分值须在 0 至 {rectification.points_deducted} 之间。")
        rectification.status = Rectification.Status.VERIFIED
        rectification.points_restored = restore_points
        if restore_points:
            _restore(rectification, restore_points)
    rectification.verify_note = note.strip()
    rectification.verified_by, rectification.verified_at = actor, timezone.now()
    rectification.save()
    return rectification


def _restore(rectification: Rectification, points: Decimal) -> None:
    inspection = Inspection.objects.select_for_update().get(pk=rectification.inspection_id)
    if inspection.vetoed:
        raise ValidationError("一票否决的检查不能通过整改恢复分值。")
    inspection.earned = (inspection.earned or 0) + points
    inspection.score = scoring.scale(inspection.earned, inspection.possible or Decimal("0"))
    inspection._change_reason = f"整改验收恢复 {points} 分:{rectification.finding[:40]}"
    inspection.save(update_fields=["earned", "score"])


def rectifications_escalate_overdue(*, today: datetime.date | None = None) -> int:
    """Mark overdue open tasks as escalated to town staff (idempotent); returns how many were new."""
    today = today or timezone.localdate()
    return Rectification.objects.overdue(today).filter(escalated_at__isnull=True).update(escalated_at=timezone.now())
