"""Factories of the inspections app: a campaign, a standard with a small sheet, plans and inspections."""

import datetime
from decimal import Decimal

from django.utils import timezone

from campaigns.models import Campaign
from inspections.models import Inspection, InspectionPlan, PlanInspector, Rectification, Standard, StandardItem
from tests.factories import SiteFactory

TODAY = datetime.date.today()


def campaign_for(area, name="测试创建活动") -> Campaign:
    campaign, _ = Campaign.objects.get_or_create(
        scope=area, name=name,
        defaults=dict(starts_on=TODAY - datetime.timedelta(days=60), ends_on=TODAY + datetime.timedelta(days=60),
                      assessment_on=TODAY + datetime.timedelta(days=60), site_kinds=["community", "campus"],
                      status=Campaign.Status.RUNNING),
    )  # fmt: skip
    return campaign


# (section, text, points, scoring, deduction_per, allow_na)
SHEET = [
    ("组织领导", "成立创建工作领导小组,有工作方案", "20", "pass_fail", "0", False),
    ("宣传发动", "宣传栏、横幅、电子屏覆盖主要出入口", "30", "range", "0", False),
    ("重点人员", "重点人员档案齐全,每发现一人未建档扣 5 分", "30", "deduction", "5", False),
    ("校园专项", "校园网站开设反诈专栏", "20", "pass_fail", "0", True),
    ("底线", "创建期间发生重大电诈案件", "0", "veto", "0", False),
]


def standard_for(campaign, kind="community", items=SHEET) -> Standard:
    standard = Standard.objects.current_for(campaign, kind)
    if standard:
        return standard
    standard = Standard.objects.create(campaign=campaign, site_kind=kind, name=f"{campaign.name}评分表")
    for n, (section, text, points, method, per, na) in enumerate(items, start=1):
        StandardItem.objects.create(standard=standard, order=n, section=section, text=text, max_points=Decimal(points),
                                    scoring=method, deduction_per=Decimal(per), allow_na=na)  # fmt: skip
    return standard


def plan_in(area, *, kind=InspectionPlan.Kind.UNANNOUNCED, created_by=None, campaign=None, name=None, inspectors=()):
    campaign = campaign or campaign_for(area if area.level < 3 else area.parent)
    plan = InspectionPlan.objects.create(
        campaign=campaign, area=area, name=name or f"{area.name}暗访计划", kind=kind, created_by=created_by,
        starts_on=TODAY - datetime.timedelta(days=1), ends_on=TODAY + datetime.timedelta(days=10),
    )  # fmt: skip
    for user in inspectors:
        PlanInspector.objects.create(plan=plan, user=user)
    return plan


def inspection_in(village, *, site=None, inspector=None, plan=None, status=Inspection.Status.DRAFT, **kwargs):
    site = site or SiteFactory(village=village, name=f"{village.name}受检小区{Inspection.objects.count()}")
    plan = plan or plan_in(village, inspectors=[inspector] if inspector else [])
    standard = standard_for(plan.campaign, site.kind)
    moment = kwargs.get("submitted_at") or kwargs.get("published_at")
    if moment and "inspected_on" not in kwargs:  # as the migration fills old rows: the visit was that local day
        kwargs["inspected_on"] = timezone.localtime(moment).date()
    return Inspection.objects.create(plan=plan, site=site, inspector=inspector, standard=standard, status=status,
                                     **kwargs)  # fmt: skip


def rectification_in(village, **kwargs):
    inspection = inspection_in(village, status=Inspection.Status.PUBLISHED)
    return Rectification.objects.create(
        inspection=inspection, site=inspection.site, finding=f"{village.name}宣传栏缺失",
        deadline=kwargs.pop("deadline", TODAY + datetime.timedelta(days=30)), points_deducted=Decimal("10"), **kwargs,
    )  # fmt: skip
