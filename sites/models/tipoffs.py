"""Public tip-offs (举报线索, N5.3): a resident reports a den, a suspicious person or device, card dealing or
a fraud attempt without logging in; the tip routes to the town staff of its village's town.

The reporter's contact is personal data: the phone is encrypted (Fernet) and shown masked; the full value
needs `sites.view_full_pii`, a reason and writes an AccessLog row. The public status page shows the status
and the outcome label only, never the notes, the assignee or links.
"""
import secrets

from django.conf import settings
from django.db import models
from django.urls import reverse

from wuzha.lib.crypto import EncryptedCharField
from wuzha.lib.media import RandomName
from wuzha.lib.uploads import PhotoField
from wuzha.lib.validators import not_in_future

from ..idcard import mask_phone
from ..scope import ScopedQuerySet
from .incidents import Incident
from .premises import Premises, Sweep
from .tree import Area, Site

RECEIPT_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I


def new_receipt_code() -> str:
    return "".join(secrets.choice(RECEIPT_ALPHABET) for _ in range(10))


def mask_name(value: str) -> str:
    value = value or ""
    return value[:1] + "*" * (len(value) - 1) if value else ""


class TipOffQuerySet(ScopedQuerySet):
    scope_area_code = "village__code"  # no scope_site: liaisons never see tips


class TipOff(models.Model):
    class Kind(models.TextChoices):
        DEN = "den", "疑似诈骗窝点"
        DEVICE = "device", "可疑人员或设备(多卡宝/GOIP等)"
        TWO_CARDS = "two_cards", "买卖、出租出借“两卡”"
        ATTEMPT = "attempt", "遭遇诈骗或诈骗未遂"
        OTHER = "other", "其他线索"

    class Status(models.TextChoices):
        NEW = "new", "已受理"
        ASSIGNED = "assigned", "核查中"
        CLOSED = "closed", "已办结"

    class Outcome(models.TextChoices):
        CONFIRMED = "confirmed", "线索属实,已处置"
        REFERRED = "referred", "已移交公安机关"
        NOT_CONFIRMED = "not_confirmed", "经核查未发现问题"
        DUPLICATE = "duplicate", "与已有线索重复"

    receipt_code = models.CharField("回执码", max_length=12, unique=True, default=new_receipt_code, editable=False)
    kind = models.CharField("线索类型", max_length=12, choices=Kind.choices)
    what = models.TextField("情况描述", max_length=2000)
    village = models.ForeignKey(Area, verbose_name="所在村(社区)", on_delete=models.PROTECT, related_name="tipoffs")
    site = models.ForeignKey(Site, verbose_name="所在小区/单位", null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="tipoffs")  # fmt: skip
    address = models.CharField("具体地点", max_length=200, blank=True)
    happened_on = models.DateField("发现日期", null=True, blank=True, validators=[not_in_future])
    contact_name = EncryptedCharField("联系人", blank=True)
    contact_phone = EncryptedCharField("联系电话", blank=True)
    submitted_at = models.DateTimeField("提交时间", auto_now_add=True, db_index=True)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.NEW, db_index=True)
    assignee = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="承办人", null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="+")  # fmt: skip
    premises = models.ForeignKey(Premises, verbose_name="关联出租屋/场所", null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+")  # fmt: skip
    sweep = models.ForeignKey(Sweep, verbose_name="关联扫楼行动", null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")  # fmt: skip
    incident = models.ForeignKey(Incident, verbose_name="关联案事件", null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+")  # fmt: skip
    outcome = models.CharField("办理结果", max_length=16, choices=Outcome.choices, blank=True)
    closed_at = models.DateTimeField("办结时间", null=True, blank=True)
    is_demo = models.BooleanField("演示数据", default=False)

    objects = TipOffQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "举报线索"
        ordering = ["-submitted_at", "-pk"]

    def __str__(self):  # no personal data in names (logs, admin)
        return f"{self.receipt_code} · {self.get_kind_display()}"

    def get_absolute_url(self):
        return reverse("sites:tipoff_detail", args=[self.pk])

    @property
    def is_anonymous(self) -> bool:
        return not (self.contact_name or self.contact_phone)

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.contact_phone)

    @property
    def masked_name(self) -> str:
        return mask_name(self.contact_name)


def _photo_path(instance, filename):
    return f"tipoffs/{instance.tip_id}/{secrets.token_hex(8)}.{filename.rsplit('.', 1)[-1].lower()}"


class TipPhoto(models.Model):
    tip = models.ForeignKey(TipOff, verbose_name="举报线索", on_delete=models.CASCADE, related_name="photos")
    image = PhotoField("照片", upload_to=RandomName("tipoffs"))
    thumbnail = PhotoField("缩略图", upload_to=RandomName("tipoffs"), blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "线索照片"
        ordering = ["pk"]

    def __str__(self):
        return f"{self.tip_id} · 照片"


class TipNote(models.Model):
    """Internal follow-up notes (never on the public status page)."""

    tip = models.ForeignKey(TipOff, verbose_name="举报线索", on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="记录人", on_delete=models.PROTECT, related_name="+")
    text = models.TextField("跟进记录", max_length=2000)
    at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "线索跟进记录"
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.tip_id} · {self.at:%Y-%m-%d}"
