"""Key-person files (N4.2): identity, contacts, relatives, measures; persons abroad (N4.3); access log.

ID numbers and phones are stored encrypted (wuzha.lib.crypto) with keyed hashes beside them for exact
search; nothing here ever shows them unmasked except `KeyPerson.full_*` used by the audited full view.
"""
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse

from wuzha.lib.crypto import EncryptedCharField, keyed_hash
from wuzha.lib.validators import not_in_future

from ..idcard import mask_id, mask_phone, parse_id_number, validate_mobile
from ..scope import ScopedQuerySet
from .tree import Area


class KeyPersonQuerySet(ScopedQuerySet):
    scope_area_code = "village__code"  # no scope_site: liaisons never reach key persons

    def current(self):
        return self.filter(annulled_at__isnull=True)

    def overdue(self, today):
        return self.current().filter(next_followup_on__lt=today).exclude(status=KeyPerson.Status.CLOSED)


class KeyPerson(models.Model):
    """One holographic file (全息档案) of a fraud-related key person, owned by a village."""

    class Gender(models.TextChoices):
        MALE = "male", "男"
        FEMALE = "female", "女"

    class Category(models.TextChoices):
        RECORD = "record", "涉诈前科"
        ABROAD = "abroad", "出境高危"
        CARDS = "cards", "买卖两卡"
        BRUSHING = "brushing", "刷单"
        OTHER = "other", "其他"

    class Risk(models.TextChoices):
        HIGH = "high", "高"
        MEDIUM = "medium", "中"
        LOW = "low", "低"

    class Status(models.TextChoices):
        CONTROLLED = "controlled", "在管"
        TRANSFORMED = "transformed", "已转化"
        ABROAD = "abroad", "滞留境外"
        RETURNED = "returned", "已劝返"
        DETAINED = "detained", "在押"
        CLOSED = "closed", "注销"

    village = models.ForeignKey(
        Area, verbose_name="所属村/社区", on_delete=models.PROTECT, related_name="key_persons",
        limit_choices_to={"level": Area.Level.VILLAGE},
    )  # fmt: skip
    name = models.CharField("姓名", max_length=30)
    gender = models.CharField("性别", max_length=6, choices=Gender.choices)
    id_number = EncryptedCharField("公民身份号码")
    id_number_hash = models.CharField("身份号码检索码", max_length=64, db_index=True, editable=False)
    phone = EncryptedCharField("手机号码", blank=True)
    phone_hash = models.CharField("手机号检索码", max_length=64, blank=True, db_index=True, editable=False)
    phone_alt = EncryptedCharField("备用手机号", blank=True)
    household_address = models.CharField("户籍地址", max_length=200)
    current_address = models.CharField("现住地址", max_length=200, blank=True)
    category = models.CharField("人员类别", max_length=10, choices=Category.choices)
    risk_level = models.CharField("风险等级", max_length=6, choices=Risk.choices, default=Risk.MEDIUM)
    status = models.CharField("管控状态", max_length=12, choices=Status.choices, default=Status.CONTROLLED)
    cadre = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="责任干部", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="key_persons",
    )  # fmt: skip
    police_officer = models.CharField("责任民警", max_length=30, blank=True)
    notes = models.TextField("情况说明", blank=True)
    next_followup_on = models.DateField("下次跟进日期", null=True, blank=True, editable=False)
    close_reason = models.CharField("注销原因", max_length=200, blank=True)
    annulled_at = models.DateTimeField("作废时间", null=True, blank=True, editable=False)
    annul_reason = models.CharField("作废原因", max_length=200, blank=True, editable=False)
    version = models.PositiveIntegerField("版本", default=1, editable=False)
    is_demo = models.BooleanField("演示数据", default=False)
    created_at = models.DateTimeField("建档时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = KeyPersonQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "涉诈重点人员"
        ordering = ["village__code", "name"]
        permissions = [
            ("view_full_pii", "查看完整身份证号和电话(须填写理由并留痕)"),
            ("export_keyperson", "导出重点人员名单(脱敏,留痕)"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["village", "id_number_hash"], condition=Q(annulled_at__isnull=True),
                name="keyperson_unique_id_per_village",
            ),  # fmt: skip
            models.CheckConstraint(
                condition=~Q(status="closed") | ~Q(close_reason=""), name="keyperson_closed_has_reason"
            ),
        ]

    def __str__(self):
        return f"{self.name}({self.masked_id})"

    def get_absolute_url(self):
        return reverse("sites:keyperson_detail", args=[self.pk])

    @property
    def masked_id(self) -> str:
        return mask_id(self.id_number)

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone)

    @property
    def masked_phone_alt(self) -> str:
        return mask_phone(self.phone_alt)

    def clean(self):
        errors = {}
        if self.id_number:
            self.id_number = self.id_number.strip().upper()
            try:
                info = parse_id_number(self.id_number)
            except ValidationError as exc:
                errors["id_number"] = exc.messages
            else:
                if self.gender and info.gender != self.gender:
                    errors["gender"] = "性别与公民身份号码第 17 位不符,请核对。"
                self.gender = self.gender or info.gender
        for field in ("phone", "phone_alt"):
            try:
                validate_mobile(getattr(self, field))
            except ValidationError as exc:
                errors[field] = exc.messages
        if self.status == self.Status.CLOSED and not self.close_reason.strip():
            errors["close_reason"] = "注销档案须填写原因。"
        if errors:
            raise ValidationError(errors)

    def refresh_hashes(self):
        self.id_number_hash = keyed_hash(self.id_number)
        self.phone_hash = keyed_hash(self.phone)

    def save(self, *args, **kwargs):
        # The hashes are derived storage of the encrypted values, kept in step on every write.
        self.refresh_hashes()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "id_number_hash", "phone_hash"}
        super().save(*args, **kwargs)

    def delete(self, *args, superuser=None, **kwargs):
        """Files are closed or annulled, never deleted; only a superuser (the admin) may remove one."""
        if not getattr(superuser, "is_superuser", False):
            raise ValidationError("重点人员档案不能删除,只能注销或作废(须填写原因)。")
        return super().delete(*args, **kwargs)


class PersonChildQuerySet(ScopedQuerySet):
    scope_area_code = "person__village__code"


class Relative(models.Model):
    person = models.ForeignKey(KeyPerson, verbose_name="重点人员", on_delete=models.CASCADE, related_name="relatives")
    name = models.CharField("姓名", max_length=30)
    relation = models.CharField("关系", max_length=20)
    phone = EncryptedCharField("电话", blank=True, validators=[validate_mobile])

    objects = PersonChildQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "亲属"
        ordering = ["pk"]

    def __str__(self):
        return f"{self.relation} {self.name}"

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone)


class Measure(models.Model):
    """One contact or measure taken with a key person (the measures log)."""

    class Kind(models.TextChoices):
        VISIT = "visit", "走访"
        EDUCATION = "education", "教育"
        TALK = "talk", "谈话"
        HELP = "help", "帮扶"
        OTHER = "other", "其他"

    person = models.ForeignKey(KeyPerson, verbose_name="重点人员", on_delete=models.PROTECT, related_name="measures")
    kind = models.CharField("措施类型", max_length=10, choices=Kind.choices)
    done_on = models.DateField("日期", validators=[not_in_future])
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="记录人", on_delete=models.PROTECT, related_name="+"
    )
    participants = models.CharField("参与人员", max_length=100, blank=True)
    content = models.TextField("内容")
    next_due_on = models.DateField("下次跟进日期", null=True, blank=True)
    created_at = models.DateTimeField("记录时间", auto_now_add=True)

    objects = PersonChildQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "管控措施"
        ordering = ["-done_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(next_due_on__isnull=True) | Q(next_due_on__gte=models.F("done_on")),
                name="measure_next_after_done",
            )
        ]

    def __str__(self):
        return f"{self.done_on} {self.get_kind_display()}"

    def clean(self):
        if self.next_due_on and self.done_on and self.next_due_on < self.done_on:
            raise ValidationError({"next_due_on": "下次跟进日期不能早于本次日期。"})
