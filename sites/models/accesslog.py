"""The access log of personal data: every full view and every export of key persons (PIPL, CSL art. 21).

Rows are written once and never changed or deleted by the application: save() of an existing row,
delete() and queryset update()/delete() raise; the admin is read-only; on PostgreSQL a trigger also
refuses UPDATE and DELETE (migration 0003).
"""
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import models

from ..scope import ScopedQuerySet
from .keypersons import KeyPerson

IMMUTABLE = "访问日志只能新增,不能修改或删除。"


class AccessLogQuerySet(ScopedQuerySet):
    scope_area_code = "village_code"

    def update(self, **kwargs):
        raise PermissionDenied(IMMUTABLE)

    def delete(self):
        raise PermissionDenied(IMMUTABLE)


class AccessLog(models.Model):
    class Action(models.TextChoices):
        FULL_VIEW = "full_view", "查看完整信息"
        EXPORT = "export", "导出"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="访问人", on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField("时间", auto_now_add=True, db_index=True)
    action = models.CharField("操作", max_length=10, choices=Action.choices)
    person = models.ForeignKey(KeyPerson, verbose_name="档案", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="access_logs")  # fmt: skip
    tipoff = models.ForeignKey("sites.TipOff", verbose_name="举报线索", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="access_logs")  # fmt: skip
    village_code = models.CharField("村/社区代码", max_length=12, db_index=True)
    reason = models.CharField("理由", max_length=200)
    ip = models.GenericIPAddressField("IP 地址", null=True, blank=True)

    objects = AccessLogQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "个人信息访问日志"
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.user} {self.get_action_display()} {self.person_id or f'线索{self.tipoff_id}'}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionDenied(IMMUTABLE)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionDenied(IMMUTABLE)
