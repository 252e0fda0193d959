"""Inspection plans (明察暗访计划): a batch of inspections, its targets, inspectors and the auditable draw.

Sealing lives here, once: an unannounced (暗访) plan that is not published is seen only by insiders —
holders of `inspections.view_sealed_plan` over its area (town staff), its creator and its inspectors.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse

from campaigns.models import Campaign
from sites.models import Area, Site
from sites.scope import ScopedQuerySet, user_scope

SEALED_PERM = "inspections.view_sealed_plan"


def insider_q(user, *, area_code: str, plan: str) -> Q:
    """Q over a model reaching the plan's area by `area_code` and the plan by `plan` ("" for the plan itself)."""
    scope = user_scope(user, SEALED_PERM)
    if scope.everything:
        return Q(pk__isnull=False)  # not Q(): an empty Q vanishes when OR-ed with another
    q = scope.q(area_code=area_code)
    if getattr(user, "is_authenticated", False):
        mine = PlanInspector.objects.filter(user=user).values("plan")
        q |= Q(**{f"{plan}pk__in" if plan else "pk__in": mine})
        q |= Q(**{f"{plan}created_by": user})
    return q


def sealed_q(plan: str = "") -> Q:
    return Q(**{f"{plan}kind": InspectionPlan.Kind.UNANNOUNCED}) & ~Q(
        **{f"{plan}status": InspectionPlan.Status.PUBLISHED}
    )


class PlanQuerySet(ScopedQuerySet):
    scope_area_code = "area__code"

    def _scoped(self, user, action):
        base = super()._scoped(user, action)
        return base.filter(~sealed_q() | insider_q(user, area_code="area__code", plan=""))

    def sealed(self):
        return self.filter(sealed_q())


class InspectionPlan(models.Model):
    class Kind(models.TextChoices):
        ANNOUNCED = "announced", "明查"
        UNANNOUNCED = "unannounced", "暗访"

    class Status(models.TextChoices):
        DRAFT = "draft", "草拟"
        ACTIVE = "active", "实施中"
        PUBLISHED = "published", "已公布"

    campaign = models.ForeignKey(Campaign, verbose_name="创建活动", on_delete=models.PROTECT, related_name="plans")
    area = models.ForeignKey(
        Area, verbose_name="检查范围", on_delete=models.PROTECT, related_name="inspection_plans",
        help_text="镇/街道或村/社区;计划只能检查该范围内的单位",
    )  # fmt: skip
    name = models.CharField("计划名称", max_length=100)
    kind = models.CharField("方式", max_length=12, choices=Kind.choices, default=Kind.UNANNOUNCED)
    starts_on = models.DateField("开始日期")
    ends_on = models.DateField("结束日期")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="制定人", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    # The draw, stored so anyone allowed can re-run it and get the same sites.
    draw_seed = models.BigIntegerField("抽签种子", null=True, blank=True)
    draw_count = models.PositiveIntegerField("抽取数量", null=True, blank=True)
    draw_kind = models.CharField("抽取类型", max_length=12, choices=Site.Kind.choices, blank=True)
    draw_candidates = models.JSONField("候选单位", default=list, blank=True)  # [[site_id, village_code], ...]
    draw_inputs = models.JSONField("抽签输入", default=dict, blank=True)  # inspectors and last visits
    draw_hash = models.CharField("候选清单摘要", max_length=64, blank=True)
    drawn_at = models.DateTimeField("抽签时间", null=True, blank=True)
    published_at = models.DateTimeField("公布时间", null=True, blank=True)
    is_demo = models.BooleanField("演示数据", default=False)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    objects = PlanQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "检查计划"
        ordering = ["-starts_on", "-pk"]
        permissions = [("view_sealed_plan", "可查看密封的暗访计划")]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="plan_window_order"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("inspections:plan_detail", args=[self.pk])

    @property
    def is_sealed(self) -> bool:
        return self.kind == self.Kind.UNANNOUNCED and self.status != self.Status.PUBLISHED

    def clean(self):
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": "结束日期不能早于开始日期。"})
        if self.campaign_id and self.area_id and not self.area.code.startswith(self.campaign.scope.prefix):
            raise ValidationError({"area": "检查范围须在创建活动的范围之内。"})
        if (
            self.campaign_id
            and self.starts_on
            and not (self.campaign.starts_on <= self.starts_on <= self.campaign.assessment_on)
        ):
            raise ValidationError({"starts_on": "检查时间须在创建活动期间(至考核日期)内。"})


class PlanInspector(models.Model):
    plan = models.ForeignKey(InspectionPlan, verbose_name="检查计划", on_delete=models.CASCADE, related_name="crew")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="督查员", on_delete=models.PROTECT, related_name="+"
    )
    home_village = models.ForeignKey(
        Area, verbose_name="所在村/社区", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        help_text="抽签时回避本村",
    )  # fmt: skip

    class Meta:
        verbose_name = verbose_name_plural = "计划督查员"
        constraints = [models.UniqueConstraint(fields=["plan", "user"], name="plan_inspector_unique")]

    def __str__(self):
        return f"{self.plan} · {self.user}"


class SealedViewLog(models.Model):
    """Every view of a sealed plan (or of an inspection or photo in it) leaves a line here."""

    plan = models.ForeignKey(
        InspectionPlan, verbose_name="检查计划", on_delete=models.CASCADE, related_name="view_logs"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="查看人", on_delete=models.PROTECT, related_name="+"
    )
    path = models.CharField("页面", max_length=300)
    viewed_at = models.DateTimeField("查看时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "密封计划查看记录"
        ordering = ["-viewed_at"]

    def __str__(self):
        return f"{self.user} · {self.path}"
