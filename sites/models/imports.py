"""Import jobs: one uploaded file for one ledger, its dry-run report and its all-or-nothing outcome."""
from django.conf import settings
from django.db import models
from django.urls import reverse

from wuzha.lib.crypto import EncryptedBinaryField

from ..scope import ScopedQuerySet


class ImportJobQuerySet(ScopedQuerySet):
    """A job belongs to whoever uploaded it (its file may hold data of their villages only)."""

    def visible_to(self, user):
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        return self if user.is_superuser else self.filter(user=user)

    def editable_by(self, user):
        return self.visible_to(user)


class ImportJob(models.Model):
    class Status(models.TextChoices):
        CHECKING = "checking", "检查中"
        INVALID = "invalid", "有错误"
        VALID = "valid", "待确认"
        QUEUED = "queued", "排队中"
        RUNNING = "running", "导入中"
        DONE = "done", "已导入"
        FAILED = "failed", "导入失败"

    # States a worker is (or should be) busy with; the page polls while in them.
    ACTIVE = (Status.CHECKING, Status.QUEUED, Status.RUNNING)

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="上传人", on_delete=models.CASCADE,
                             related_name="import_jobs")  # fmt: skip
    ledger = models.CharField("台账", max_length=40)
    # The upload itself, in the database: a worker on any machine reads it without shared media; cleared once imported.
    # Encrypted under the PII key (a key-person ledger holds full ID numbers and phones until confirmed or purged).
    content = EncryptedBinaryField("文件内容", default=b"", editable=False)
    original_name = models.CharField("文件名", max_length=200)
    sha256 = models.CharField("文件指纹", max_length=64, db_index=True)
    size = models.PositiveIntegerField("大小(字节)", default=0)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.CHECKING)
    total_rows = models.PositiveIntegerField("数据行数", default=0)
    processed_rows = models.PositiveIntegerField("已处理行数", default=0)
    error_count = models.PositiveIntegerField("错误数", default=0)
    report = models.JSONField("检查结果", default=dict, blank=True)
    counts = models.JSONField("新增/更新/无变化", default=dict, blank=True)
    same_as = models.ForeignKey("self", verbose_name="与此前导入的文件相同", null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="+")  # fmt: skip
    failure = models.TextField("失败原因", blank=True)
    created_at = models.DateTimeField("上传时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    checked_at = models.DateTimeField("检查完成", null=True, blank=True)
    started_at = models.DateTimeField("开始导入", null=True, blank=True)
    finished_at = models.DateTimeField("导入完成", null=True, blank=True)

    objects = ImportJobQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "导入任务"
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "-created_at"], name="importjob_user_recent_idx")]

    def __str__(self):
        return f"{self.original_name} · {self.get_status_display()}"

    def get_absolute_url(self):
        return reverse("sites:import_job", args=[self.pk])

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE

    @property
    def percent(self) -> int:
        if not self.total_rows:
            return 0
        return min(100, round(100 * self.processed_rows / self.total_rows))
