"""Persons stranded abroad (N4.3): a staged persuasion pipeline with every attempt recorded."""
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse

from wuzha.lib.validators import not_in_future

from ..scope import ScopedQuerySet
from .keypersons import KeyPerson, Relative


class AbroadCaseQuerySet(ScopedQuerySet):
    scope_area_code = "person__village__code"

    def open(self):
        return self.exclude(stage__in=AbroadCase.FINAL_STAGES)


class AbroadCase(models.Model):
    class Stage(models.TextChoices):
        IDENTIFIED = "identified", "已摸排"
        FAMILY = "family", "已联系家属"
        DIRECT = "direct", "已直接联系本人"
        COMMITTED = "committed", "承诺回国"
        RETURNED = "returned", "已回国"
        REFUSES = "refuses", "拒绝回国"
        LOST = "lost", "失联"

    FINAL_STAGES = (Stage.RETURNED, Stage.REFUSES, Stage.LOST)

    person = models.OneToOneField(
        KeyPerson, verbose_name="重点人员", on_delete=models.PROTECT, related_name="abroad_case"
    )
    country = models.CharField("所在国家或地区", max_length=40)
    since = models.DateField("出境时间", validators=[not_in_future])
    stage = models.CharField("劝返进度", max_length=12, choices=Stage.choices, default=Stage.IDENTIFIED)
    returned_on = models.DateField("回国日期", null=True, blank=True, validators=[not_in_future])
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = AbroadCaseQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "滞留境外人员"
        ordering = ["person__village__code", "person__name"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(stage="returned") | Q(returned_on__isnull=False), name="abroad_returned_has_date"
            )
        ]

    def __str__(self):
        return f"{self.person.name} · {self.country}"

    def get_absolute_url(self):
        return reverse("sites:abroad_detail", args=[self.pk])

    def clean(self):
        if self.stage == self.Stage.RETURNED and not self.returned_on:
            raise ValidationError({"returned_on": "已回国须填写回国日期。"})
        if self.returned_on and self.since and self.returned_on < self.since:
            raise ValidationError({"returned_on": "回国日期不能早于出境时间。"})


class AttemptQuerySet(ScopedQuerySet):
    scope_area_code = "case__person__village__code"


class PersuasionAttempt(models.Model):
    class Via(models.TextChoices):
        DIRECT = "direct", "直接联系本人"
        RELATIVE = "relative", "通过亲属"

    class Channel(models.TextChoices):
        PHONE = "phone", "电话"
        WECHAT = "wechat", "微信"
        VIDEO = "video", "视频"
        VISIT = "visit", "上门(家属)"
        OTHER = "other", "其他"

    case = models.ForeignKey(AbroadCase, verbose_name="劝返案例", on_delete=models.PROTECT, related_name="attempts")
    done_on = models.DateField("日期", validators=[not_in_future])
    via = models.CharField("方式", max_length=10, choices=Via.choices)
    relative = models.ForeignKey(
        Relative, verbose_name="经由亲属", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    channel = models.CharField("渠道", max_length=10, choices=Channel.choices)
    outcome = models.TextField("结果")
    stage_after = models.CharField("之后的进度", max_length=12, choices=AbroadCase.Stage.choices)
    done_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="记录人", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("记录时间", auto_now_add=True)

    objects = AttemptQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "劝返记录"
        ordering = ["-done_on", "-pk"]

    def __str__(self):
        return f"{self.done_on} {self.get_via_display()}"

    def clean(self):
        if self.via == self.Via.RELATIVE and not self.relative_id:
            raise ValidationError({"relative": "通过亲属联系时请选择是哪位亲属。"})
        if self.relative_id and self.case_id and self.relative.person_id != self.case.person_id:
            raise ValidationError({"relative": "该亲属不属于此人员。"})
