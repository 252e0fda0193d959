"""Fraud incidents against sites (N1): victim cases, suspects and dens; they decide 三无 (sites/sanwu.py)."""
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse

from wuzha.lib.validators import not_in_future

from ..scope import ScopedQuerySet
from .tree import Site


class IncidentQuerySet(ScopedQuerySet):
    scope_area_code = "site__village__code"  # no scope_site: liaisons do not see incidents

    def current(self):
        return self.filter(annulled_at__isnull=True)


class Incident(models.Model):
    class Kind(models.TextChoices):
        VICTIM = "victim", "电诈被骗案件"
        SUSPECT = "suspect", "电诈犯罪嫌疑人"
        DEN = "den", "电诈窝点"

    class FraudType(models.TextChoices):
        BRUSHING = "brushing", "刷单返利"
        INVESTMENT = "investment", "虚假投资理财"
        SERVICE = "service", "冒充客服"
        AUTHORITY = "authority", "冒充公检法"
        LOAN = "loan", "网络贷款"
        ROMANCE = "romance", "杀猪盘"
        OTHER = "other", "其他"

    class Status(models.TextChoices):
        FILED = "filed", "已立案"
        INVESTIGATING = "investigating", "侦查中"
        SOLVED = "solved", "已破案"
        CLOSED = "closed", "已结案"

    site = models.ForeignKey(Site, verbose_name="创建单位", on_delete=models.PROTECT, related_name="incidents")
    kind = models.CharField("类别", max_length=10, choices=Kind.choices)
    occurred_on = models.DateField("发生日期", validators=[not_in_future])
    police_case_no = models.CharField("警情/案件编号", max_length=40, blank=True)
    amount_lost = models.DecimalField("损失金额(元)", max_digits=12, decimal_places=2, null=True, blank=True)
    fraud_type = models.CharField("诈骗类型", max_length=12, choices=FraudType.choices)
    status = models.CharField("状态", max_length=14, choices=Status.choices, default=Status.FILED)
    summary = models.TextField("简要案情", help_text="不要填写当事人身份证号、电话等个人信息。")
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT, related_name="+")
    annulled_at = models.DateTimeField("作废时间", null=True, blank=True, editable=False)
    annulled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="作废人", null=True, blank=True, on_delete=models.PROTECT,
        related_name="+", editable=False,
    )  # fmt: skip
    annul_reason = models.CharField("作废原因", max_length=200, blank=True, editable=False)
    is_demo = models.BooleanField("演示数据", default=False)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = IncidentQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "涉诈案事件"
        ordering = ["-occurred_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount_lost__isnull=True) | Q(amount_lost__gte=0), name="incident_amount_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(annulled_at__isnull=True) | ~Q(annul_reason=""), name="incident_annulled_has_reason"
            ),
        ]

    def __str__(self):
        return f"{self.occurred_on:%Y-%m-%d} {self.get_kind_display()} · {self.site}"

    def get_absolute_url(self):
        return reverse("sites:incident_detail", args=[self.pk])

    def clean(self):
        if self.kind == self.Kind.VICTIM and self.amount_lost is None:
            raise ValidationError({"amount_lost": "被骗案件须填写损失金额(没有损失填 0)。"})
        if self.kind != self.Kind.VICTIM and self.amount_lost is not None:
            self.amount_lost = None
