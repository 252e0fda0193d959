"""Fraud-method bulletins (预警/案例通报, N3.4, N3.5): published by town staff, pushed to targeted sites and
villages, acknowledged with how they were passed on. The public page shows the content only."""
import datetime as dt
import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from sites.models import Area, Site
from sites.scope import ScopedQuerySet
from wuzha.lib.media import RandomName
from wuzha.lib.uploads import DocumentField, PhotoField

from ..bulletins import due_date, is_overdue


class BulletinQuerySet(ScopedQuerySet):
    scope_area_code = "area__code"


class Bulletin(models.Model):
    class FraudType(models.TextChoices):
        BILLING = "billing", "刷单返利"
        INVESTMENT = "investment", "虚假投资理财"
        LOAN = "loan", "虚假网络贷款"
        IMPERSONATE_CS = "customer_service", "冒充电商物流客服"
        IMPERSONATE_GOV = "officials", "冒充公检法"
        ROMANCE = "romance", "网络婚恋交友"
        GAME = "game", "网络游戏虚假交易"
        TWO_CARDS = "two_cards", "出租出借“两卡”"
        OTHER = "other", "其他"

    area = models.ForeignKey(Area, verbose_name="发布范围", on_delete=models.PROTECT, related_name="bulletins")
    title = models.CharField("标题", max_length=100)
    fraud_type = models.CharField("诈骗类型", max_length=20, choices=FraudType.choices)
    what_happened = models.TextField("案例经过", max_length=4000)
    how_to_guard = models.TextField("防范提示", max_length=4000)
    attachment = DocumentField("附件", upload_to=RandomName("bulletins/attachments"), blank=True,
                               help_text="PDF、Word、Excel 或 WPS 文件,20 MB 以内")  # fmt: skip
    site_kinds = models.JSONField("推送单位类型", default=list, blank=True, help_text="不选则推送所有类型")
    min_new_hires = models.PositiveIntegerField(
        "企业本年新招员工不少于", null=True, blank=True, help_text="只对企业生效;留空则不限"
    )
    to_village_cadres = models.BooleanField("同时推送各村(社区)村干部", default=True)
    due_days = models.PositiveSmallIntegerField("确认期限(天)", default=7)
    published_at = models.DateTimeField("发布时间", default=timezone.now, db_index=True)
    public_token = models.UUIDField("公开链接令牌", default=uuid.uuid4, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="发布人", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    is_demo = models.BooleanField("演示数据", default=False)

    objects = BulletinQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "预警通报"
        ordering = ["-published_at", "-pk"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("campaigns:bulletin_detail", args=[self.pk])

    @property
    def due_on(self) -> dt.date:
        return due_date(timezone.localdate(self.published_at), self.due_days)


def _image_path(instance, filename):
    return f"bulletins/{instance.bulletin_id}/{uuid.uuid4().hex}.{filename.rsplit('.', 1)[-1].lower()}"


class BulletinImage(models.Model):
    bulletin = models.ForeignKey(Bulletin, verbose_name="预警通报", on_delete=models.CASCADE, related_name="images")
    image = PhotoField("图片", upload_to=RandomName("bulletins/images"))
    thumbnail = PhotoField("缩略图", upload_to=RandomName("bulletins/images"), blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "通报图片"
        ordering = ["pk"]

    def __str__(self):
        return f"{self.bulletin_id} · 图片"


class BulletinReceiptQuerySet(ScopedQuerySet):
    scope_area_code = "village__code"
    scope_site = "site"

    def pending(self):
        return self.filter(acknowledged_at__isnull=True)


class BulletinReceipt(models.Model):
    """One addressee of a bulletin: a site (its liaison or the village cadre confirms) or a village (cadres)."""

    class Channel(models.TextChoices):
        GROUP = "group", "转发工作群/微信群"
        MEETING = "meeting", "会议宣读"
        PRINTED = "printed", "打印张贴"
        BROADCAST = "broadcast", "广播/电子屏"
        DOOR = "door", "入户告知"
        OTHER = "other", "其他"

    bulletin = models.ForeignKey(Bulletin, verbose_name="预警通报", on_delete=models.CASCADE, related_name="receipts")
    village = models.ForeignKey(Area, verbose_name="村(社区)", on_delete=models.PROTECT, related_name="+")
    site = models.ForeignKey(Site, verbose_name="创建单位", null=True, blank=True, on_delete=models.PROTECT,
                             related_name="bulletin_receipts")  # fmt: skip
    acknowledged_at = models.DateTimeField("确认时间", null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="确认人", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    channel = models.CharField("传达方式", max_length=12, choices=Channel.choices, blank=True)
    people_reached = models.PositiveIntegerField("传达人数", null=True, blank=True)
    evidence = PhotoField("佐证照片", upload_to=RandomName("bulletins/evidence"), blank=True)
    note = models.CharField("说明", max_length=200, blank=True)
    reminded_at = models.DateTimeField("催办时间", null=True, blank=True)

    objects = BulletinReceiptQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "通报接收与确认"
        ordering = ["bulletin", "village__code", "site__name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["bulletin", "site"], name="bulletin_receipt_site_once"),
            models.UniqueConstraint(
                fields=["bulletin", "village"], condition=models.Q(site__isnull=True), name="bulletin_receipt_village_once"
            ),
        ]  # fmt: skip

    def __str__(self):
        return f"{self.bulletin} → {self.site or self.village}"

    def file_url(self, field: str) -> str:
        return reverse("campaigns:bulletin_evidence", args=[self.pk])

    @property
    def addressee(self):
        return self.site or self.village

    def overdue_on(self, today: dt.date) -> bool:
        acknowledged = timezone.localdate(self.acknowledged_at) if self.acknowledged_at else None
        return is_overdue(timezone.localdate(self.bulletin.published_at), self.bulletin.due_days, acknowledged, today)
