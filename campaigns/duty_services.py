"""Writes of school duties (N3.4), enterprise visits (N3.5), village obligations (N6) and survey answers (N6.2)."""
from django.core.exceptions import ValidationError
from django.db import transaction

from .models import EnterpriseVisit, Enrolment, SchoolDuty, SurveyResponse, VillageDuty
from .services import ensure_open, require_covers


def _save_site_record(*, actor, record, model_name: str):
    perm = f"campaigns.{'change' if record.pk else 'add'}_{model_name}"
    if record.pk:
        before = type(record).objects.select_related("campaign", "site__village").get(pk=record.pk)
        ensure_open(before.campaign)
        require_covers(actor, perm, village_code=before.site.village.code, site_id=before.site_id, what="该单位")
    ensure_open(record.campaign)
    require_covers(actor, perm, village_code=record.site.village.code, site_id=record.site_id, what="该单位")
    if not record.site.village.code.startswith(record.campaign.scope.prefix):
        raise ValidationError({"site": "该单位不在本活动范围内。"})
    record.full_clean()
    record.save()
    return record


@transaction.atomic
def school_duty_save(*, actor, duty: SchoolDuty) -> SchoolDuty:
    """The school's standing duties: website column, rules clause and its document (N3.4)."""
    duty.updated_by = actor
    return _save_site_record(actor=actor, record=duty, model_name="schoolduty")


@transaction.atomic
def enterprise_visit_record(*, actor, visit: EnterpriseVisit) -> EnterpriseVisit:
    """A monthly safety-office visit with its checklist (N3.5)."""
    if not visit.pk:
        visit.created_by = actor
    return _save_site_record(actor=actor, record=visit, model_name="enterprisevisit")


@transaction.atomic
def village_duty_record(*, actor, duty: VillageDuty) -> VillageDuty:
    """A village's plan, office, launch ceremony, observation visit or summary (N6.1–N6.4)."""
    perm = f"campaigns.{'change' if duty.pk else 'add'}_villageduty"
    if duty.pk:
        before = VillageDuty.objects.select_related("campaign", "village").get(pk=duty.pk)
        ensure_open(before.campaign)
        require_covers(actor, perm, village_code=before.village.code)
    else:
        duty.created_by = actor
    ensure_open(duty.campaign)
    require_covers(actor, perm, village_code=duty.village.code)
    if not duty.village.code.startswith(duty.campaign.scope.prefix):
        raise ValidationError({"village": "该村/社区不在本活动范围内。"})
    if duty.kind in VillageDuty.SINGLE:
        twin = VillageDuty.objects.filter(campaign=duty.campaign, village=duty.village, kind=duty.kind)
        if twin.exclude(pk=duty.pk).exists():
            raise ValidationError({"kind": f"本村已登记过“{duty.get_kind_display()}”,请在原记录上修改。"})
    duty.full_clean()
    duty.save()
    return duty


@transaction.atomic
def survey_answer(*, enrolment: Enrolment, satisfaction: int, knows_app: bool, knows_hotline: bool, comment=""):
    """An anonymous answer to the public survey (N6.2). Nothing identifying the person is stored."""
    if enrolment.campaign.status != enrolment.campaign.Status.RUNNING:
        raise ValidationError("本次问卷调查已结束,感谢您的关注。")
    answer = SurveyResponse(
        enrolment=enrolment, satisfaction=satisfaction, knows_app=knows_app, knows_hotline=knows_hotline,
        comment=comment.strip()[:200],
    )  # fmt: skip
    answer.full_clean()
    answer.save()
    return answer
