"""The propaganda ledger (N3.1–N3.4): one Activity per action, with evidence photos."""
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from sites.models import Area, Site
from sites.scope import ScopedQuerySet
from wuzha.lib.media import RandomName
from wuzha.lib.uploads import PhotoField
from wuzha.lib.validators import not_in_future

from ..channels import CHANNEL_FIELDS, FIELD_LABELS, Channel, cleaned_reach, reach_errors
from .campaign import Campaign

_count = dict(null=True, blank=True)


class ActivityQuerySet(ScopedQuerySet):
    scope_area_code = "village__code"
    scope_site = "site"


# What the assessment's activity scan reads besides campaign, village, site and date (see the indexes below).
SCAN_COLUMNS = ["channel", "people_reached", "app_installs", "created_at"]


class Activity(models.Model):
    Channel = Channel

    campaign = models.ForeignKey(Campaign, verbose_name="创建活动", on_delete=models.PROTECT, related_name="activities")
    village = models.ForeignKey(
        Area, verbose_name="村/社区", on_delete=models.PROTECT, related_name="activities",
        limit_choices_to={"level": Area.Level.VILLAGE},
    )  # fmt: skip
    site = models.ForeignKey(
        Site, verbose_name="创建单位", null=True, blank=True, on_delete=models.PROTECT, related_name="activities",
        help_text="不选表示以整个村/社区为单位开展",
    )  # fmt: skip
    date = models.DateField("开展日期", validators=[not_in_future])
    channel = models.CharField("宣传渠道", max_length=12, choices=Channel.choices)
    title = models.CharField("主题/地点", max_length=100, blank=True)
    cadres = models.PositiveSmallIntegerField("村干部人数", default=0)
    police = models.PositiveSmallIntegerField("民警人数", default=0)
    grid_workers = models.PositiveSmallIntegerField("网格员人数", default=0)
    volunteers = models.PositiveSmallIntegerField("志愿者人数", default=0)
    copies = models.PositiveIntegerField("数量(份/块/幅)", **_count)
    screenings = models.PositiveIntegerField("播放次数/场次", **_count)
    people_reached = models.PositiveIntegerField("覆盖人数", **_count)
    households_visited = models.PositiveIntegerField("走访户数", **_count)
    posts = models.PositiveIntegerField("发布条数", **_count)
    post_links = models.TextField("链接(每行一条)", blank=True)
    views = models.PositiveIntegerField("阅读/播放量", **_count)
    teachers_reached = models.PositiveIntegerField("覆盖教师数", **_count)
    students_reached = models.PositiveIntegerField("覆盖学生数", **_count)
    parents_reached = models.PositiveIntegerField("覆盖家长数", **_count)
    app_installs = models.PositiveIntegerField("新增国家反诈中心APP安装数", default=0)
    notes = models.TextField("备注", blank=True)
    client_key = models.CharField(
        "台账编号", max_length=40, blank=True, help_text="村/社区自己台账里的编号;Excel 导入时用来识别同一条记录"
    )
    # Evidence flags (N6.4 inspections rely on them): shown to town staff, never blocking entry.
    flag_duplicate_photo = models.BooleanField("照片疑似重复使用", default=False)
    flag_exif_mismatch = models.BooleanField("照片拍摄时间与活动日期不符", default=False)
    flag_late_entry = models.BooleanField("补录(活动后很久才登记)", default=False)
    flag_burst = models.BooleanField("集中突击录入", default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="登记人", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    created_at = models.DateTimeField("登记时间", auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    is_demo = models.BooleanField("演示数据", default=False)

    objects = ActivityQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = verbose_name_plural = "宣传活动"
        ordering = ["-date", "-pk"]
        permissions = [("view_evidence_flags", "可查看证据疑点(重复照片、补录、突击录入)")]
        indexes = [
            models.Index(fields=["campaign", "-date", "-id"], name="activity_campaign_date_idx"),
            models.Index(fields=["village", "-date", "-id"], name="activity_village_date_idx"),
            models.Index(fields=["site", "-date"], name="activity_site_date_idx"),
            models.Index(fields=["-date", "-id"], name="activity_date_id_idx"),
            # The assessment's activity scan of a batch of villages (inspections/assessment/figures.py::activity_scan):
            # an index-only scan of the batch's rows instead of a scan of the whole table. Two, because it reads the
            # rows of its villages OR of its sites (a site moved to another village keeps its old rows' village).
            # Every column the scan reads is a key column, not INCLUDE: SQLite has no covering indexes and Django warns
            # (models.W040) on every SQLite migrate; the index-only scan is the same.
            models.Index(fields=["campaign", "village", "date", "site", *SCAN_COLUMNS], name="activity_scan_village_idx"),
            models.Index(fields=["campaign", "site", "date", "village", *SCAN_COLUMNS], name="activity_scan_site_idx"),
        ]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.get_channel_display()} · {self.site or self.village}"

    def get_absolute_url(self):
        return reverse("campaigns:activity_detail", args=[self.pk])

    @property
    def reach_items(self) -> list[tuple[str, object]]:
        """(label, value) of the reach figures this channel asks for and that were given."""
        required, optional = CHANNEL_FIELDS.get(self.channel, ((), ()))
        return [(FIELD_LABELS[f], getattr(self, f)) for f in (*required, *optional) if getattr(self, f) not in (None, "")]

    @property
    def participants(self) -> int:
        return self.cadres + self.police + self.grid_workers + self.volunteers

    @property
    def flags(self) -> list[str]:
        names = ("flag_duplicate_photo", "flag_exif_mismatch", "flag_late_entry", "flag_burst")
        return [self._meta.get_field(n).verbose_name for n in names if getattr(self, n)]

    def clean(self):
        if self.site_id and self.village_id and self.site.village_id != self.village_id:
            raise ValidationError({"site": "所选创建单位不属于该村/社区。"})
        if self.campaign_id and self.date and not self.campaign.contains(self.date):
            raise ValidationError({"date": f"开展日期须在活动期间内({self.campaign.starts_on} 至 {self.campaign.ends_on})。"})
        values = {f: getattr(self, f) for f in cleaned_reach(self.channel, {})}
        errors = reach_errors(self.channel, values)
        if errors:
            raise ValidationError(errors)
        for field, value in cleaned_reach(self.channel, values).items():
            setattr(self, field, value)


def _photo_path(instance, filename):
    return f"evidence/{instance.activity.campaign_id}/{instance.activity_id}/{filename}"


class ActivityPhoto(models.Model):
    """An evidence photo, checked on upload (campaigns/photos.py), with its EXIF time and place kept."""

    activity = models.ForeignKey(Activity, verbose_name="宣传活动", on_delete=models.CASCADE, related_name="photos")
    image = PhotoField("照片", upload_to=RandomName("activities"))
    thumbnail = PhotoField("缩略图", upload_to=RandomName("activities"), blank=True)
    width = models.PositiveIntegerField("宽", default=0)
    height = models.PositiveIntegerField("高", default=0)
    size = models.PositiveIntegerField("文件大小(字节)", default=0)
    dhash = models.CharField("感知哈希", max_length=16, db_index=True)
    # The 64-bit hash in four 16-bit bands: two photos within 3 bits share at least one band.
    band0 = models.CharField(max_length=4, db_index=True, default="")
    band1 = models.CharField(max_length=4, db_index=True, default="")
    band2 = models.CharField(max_length=4, db_index=True, default="")
    band3 = models.CharField(max_length=4, db_index=True, default="")
    taken_at = models.DateTimeField("拍摄时间(EXIF)", null=True, blank=True)
    latitude = models.DecimalField("纬度(EXIF)", max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField("经度(EXIF)", max_digits=9, decimal_places=6, null=True, blank=True)
    duplicate_of = models.ForeignKey(
        "self", verbose_name="疑似重复于", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "活动照片"
        ordering = ["pk"]

    def __str__(self):
        return f"照片 {self.pk} · {self.activity}"
