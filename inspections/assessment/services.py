"""Services of the assessment: start, resume, publish, confirm titles (命名), appeal and resolve (复核), freeze."""
from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from sites.models import Area, Site
from sites.outbox import task_enqueue

from ..models import Appeal, AssessmentEvent, AssessmentRules, AssessmentRun, TitleDecision
from ..services.common import require_area_perm
from .compile import inputs_hash
from .rules import merged, validate

STALE_AFTER = datetime.timedelta(minutes=10)


def _log(run: AssessmentRun, action: str, actor, detail: str = "") -> None:
    """Every action on a run leaves one history line (shown on the run page)."""
    if actor is not None:
        AssessmentEvent.objects.create(run=run, action=action, actor=actor, detail=detail[:300])


def current_rules(campaign) -> tuple[int, dict]:
    row = AssessmentRules.objects.filter(campaign=campaign).order_by("-version").first()
    return (row.version, merged(row.rules)) if row else (0, merged({}))


def assessment_rules_save(*, actor, campaign, rules: dict, note: str = "") -> AssessmentRules:
    require_area_perm(actor, "inspections.run_assessment", campaign.scope)
    try:
        validate(rules)
    except ValueError as exc:
        raise ValidationError(str(exc)) from exc
    with transaction.atomic():
        last = AssessmentRules.objects.select_for_update().filter(campaign=campaign).order_by("-version").first()
        row = AssessmentRules(campaign=campaign, version=(last.version + 1) if last else 1, rules=rules, note=note,
                              created_by=actor)  # fmt: skip
        row.full_clean()
        row.save()
    return row


def assessment_start(*, actor, campaign, scope: Area, as_of: datetime.date) -> AssessmentRun:
    """Queue a run; an identical run still in progress is returned instead of starting a second one."""
    require_area_perm(actor, "inspections.run_assessment", scope)
    if scope.level == Area.Level.VILLAGE:
        raise ValidationError("考核范围须为县或镇(街道)。")
    if not (scope.code.startswith(campaign.scope.prefix) or campaign.scope.code.startswith(scope.prefix)):
        raise ValidationError("考核范围与创建活动的范围不重叠。")
    if as_of < campaign.starts_on:
        raise ValidationError("截至日期早于创建活动开始日期。")
    version, rules = current_rules(campaign)
    digest = inputs_hash(campaign.pk, scope.code, as_of, rules)
    from ..tasks import assessment_run_start

    with transaction.atomic():
        active = AssessmentRun.objects.select_for_update().filter(
            inputs_hash=digest, status__in=[AssessmentRun.Status.QUEUED, AssessmentRun.Status.RUNNING]
        ).first()
        if active:
            return active
        run = AssessmentRun(campaign=campaign, scope=scope, as_of=as_of, rules_version=version, rules=rules,
                            inputs_hash=digest, requested_by=actor)  # fmt: skip
        run.full_clean()
        run.save()
        _log(run, AssessmentEvent.Action.START, actor, f"截至{as_of.year}年{as_of.month}月{as_of.day}日")
        task_enqueue(assessment_run_start, run.pk)
    return run


def is_stale(run: AssessmentRun, now=None) -> bool:
    """A run in progress whose worker has not reported for STALE_AFTER: its message was lost or its worker died."""
    if not run.is_active:
        return False
    last = run.heartbeat_at or run.created_at
    return (now or timezone.now()) - last > STALE_AFTER


def pdf_is_stale(run: AssessmentRun, now=None) -> bool:
    """A done run whose PDF has been pending for STALE_AFTER: its task's message was lost or its worker died."""
    if run.status != AssessmentRun.Status.DONE or run.pdf_status != AssessmentRun.PdfStatus.PENDING:
        return False
    last = run.heartbeat_at or run.finished_at or run.created_at
    return (now or timezone.now()) - last > STALE_AFTER


def assessment_pdf_retry(*, actor, run: AssessmentRun) -> AssessmentRun:
    """Queue the PDF of a done run again after it failed or stalled (the scores and the Excel are untouched)."""
    require_area_perm(actor, "inspections.run_assessment", run.scope)
    if not (run.pdf_status == AssessmentRun.PdfStatus.FAILED or pdf_is_stale(run)):
        raise ValidationError("PDF 正在生成或已生成,无需重新生成。")
    from ..tasks import assessment_pdf

    with transaction.atomic():
        AssessmentRun.objects.filter(pk=run.pk).update(
            pdf_status=AssessmentRun.PdfStatus.PENDING, pdf_attempts=0, error="", heartbeat_at=timezone.now()
        )
        task_enqueue(assessment_pdf, run.pk)
    run.refresh_from_db()
    return run


def assessment_resume(*, actor, run: AssessmentRun) -> AssessmentRun:
    """Queue a stale or failed run again; villages already computed are kept (idempotent)."""
    require_area_perm(actor, "inspections.run_assessment", run.scope)
    if not (is_stale(run) or run.status == AssessmentRun.Status.FAILED):
        raise ValidationError("该考核计算正在进行中或已完成,无需恢复。")
    from ..tasks import assessment_run_start

    with transaction.atomic():
        AssessmentRun.objects.filter(pk=run.pk).update(
            status=AssessmentRun.Status.QUEUED, stage=AssessmentRun.Stage.QUEUED, error="", heartbeat_at=timezone.now()
        )
        task_enqueue(assessment_run_start, run.pk)
    run.refresh_from_db()
    return run


def _require_staff(actor, run):
    require_area_perm(actor, "inspections.confirm_title", run.scope)


def assessment_publish(*, actor, run: AssessmentRun) -> AssessmentRun:
    """Publish the results to the villages; the appeal window starts now."""
    _require_staff(actor, run)
    if run.status != AssessmentRun.Status.DONE:
        raise ValidationError("考核计算尚未完成,不能公布。")
    if not run.published_at:
        with transaction.atomic():
            run.published_at = timezone.now()
            run.save(update_fields=["published_at"])
            _log(run, AssessmentEvent.Action.PUBLISH, actor)
    return run


def _not_frozen(run):
    if run.frozen_at:
        raise ValidationError("考核结果已定稿,不能再修改。")


def title_confirm(*, actor, run: AssessmentRun, site: Site, granted: bool = True, note: str = "") -> TitleDecision:
    """命名: staff confirm (or decline) a site; records who, when and from which run."""
    _require_staff(actor, run)
    _not_frozen(run)
    if run.status != AssessmentRun.Status.DONE:
        raise ValidationError("考核计算尚未完成。")
    result = run.village_results.filter(village_id=site.village_id).first()
    entry = next((s for s in (result.data["sites"] if result else []) if s["site_id"] == site.pk), None)
    if entry is None:
        raise ValidationError("该单位不在本次考核范围内。")
    if granted and not entry["proposed_title"]:
        raise ValidationError("该单位未达到命名条件:" + ";".join(entry["reasons"]))
    with transaction.atomic():
        decision, _ = TitleDecision.objects.update_or_create(
            run=run, site=site, defaults={"granted": granted, "score": entry["score"], "note": note, "decided_by": actor}
        )
        _log(run, AssessmentEvent.Action.TITLE if granted else AssessmentEvent.Action.DECLINE, actor,
             site.name + (f":{note}" if note else ""))  # fmt: skip
    return decision


def appeal_file(*, actor, run: AssessmentRun, village: Area, reason: str) -> Appeal:
    """复核: a village asks within the window after publication."""
    require_area_perm(actor, "inspections.add_appeal", village)
    _not_frozen(run)
    if not run.published_at:
        raise ValidationError("考核结果尚未公布。")
    days = int(merged(run.rules).get("appeal_days", 7))
    if timezone.now() > run.published_at + datetime.timedelta(days=days):
        raise ValidationError(f"已超过复核申请期限(公布后 {days} 天)。")
    if not reason.strip():
        raise ValidationError("请填写复核理由。")
    if not run.village_results.filter(village=village).exists():
        raise ValidationError("该村(社区)不在本次考核范围内。")
    appeal = Appeal(run=run, village=village, reason=reason.strip(), filed_by=actor)
    appeal.full_clean()
    with transaction.atomic():
        appeal.save()
        _log(run, AssessmentEvent.Action.APPEAL, actor, village.name)
    return appeal


def appeal_resolve(*, actor, appeal: Appeal, changed: bool, resolution: str) -> Appeal:
    _require_staff(actor, appeal.run)
    _not_frozen(appeal.run)
    if appeal.status != Appeal.Status.OPEN:
        raise ValidationError("该复核申请已处理。")
    if not resolution.strip():
        raise ValidationError("请填写处理意见。")
    appeal.status = Appeal.Status.CHANGED if changed else Appeal.Status.UPHELD
    appeal.resolution, appeal.resolved_by, appeal.resolved_at = resolution.strip(), actor, timezone.now()
    with transaction.atomic():
        appeal.save()
        _log(appeal.run, AssessmentEvent.Action.RESOLVE, actor, f"{appeal.village.name}:{appeal.get_status_display()}")
    return appeal


def assessment_freeze(*, actor, run: AssessmentRun) -> AssessmentRun:
    """定稿: no open appeal left; nothing changes afterwards."""
    _require_staff(actor, run)
    if not run.published_at:
        raise ValidationError("考核结果尚未公布。")
    if run.appeals.filter(status=Appeal.Status.OPEN).exists():
        raise ValidationError("还有未处理的复核申请。")
    if not run.frozen_at:
        with transaction.atomic():
            run.frozen_at = timezone.now()
            run.save(update_fields=["frozen_at"])
            _log(run, AssessmentEvent.Action.FREEZE, actor)
            from .files import refresh_files

            refresh_files(run)  # the filed report lists the confirmed 命名
    return run


