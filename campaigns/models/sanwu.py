"""Manual overrides of a site's 三无 status in one campaign: a reason, and a second person's confirmation.

The derived status (sites.sanwu.evaluate over the incidents) is never stored; an override only
takes effect once a different person confirms it, and is revoked rather than deleted. Rights follow
the incident rights of the sites app (town staff): whoever may correct incidents in the site's
village may request, confirm or revoke an override there.
"""
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q

from sites.models import Site
from sites.scope import ScopedQuerySet

from .campaign import Campaign


class SanwuOverrideQuerySet(ScopedQuerySet):
    scope_area_code = "site__village__code"

    def _perm(self, action: str) -> str:
        return "sites.view_incident" if action == "view" else "sites.change_incident"

    def active(self):
        return self.filter(revoked_at__isnull=True)

    def effective(self):
        return self.active().filter(confirmed_at__isnull=False)


class SanwuOverride(models.Model):
    campaign = models.ForeignKey(Campaign, verbose_name="创建活动", on_delete=models.PROTECT, related_name="sanwu_overrides")
    site = models.ForeignKey(Site, verbose_name="创建单位", on_delete=models.PROTECT, related_name="sanwu_overrides")
    holds = models.BooleanField("认定结果", choices=[(True, "认定为“三无”"), (False, "认定为未达“三无”")])
    reason = models.TextField("理由")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="提出人", on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField("提出时间", auto_now_add=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="确认人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    confirmed_at = models.DateTimeField("确认时间", null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="撤销人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    revoked_at = models.DateTimeField("撤销时间", null=True, blank=True)
    revoke_reason = models.CharField("撤销原因", max_length=200, blank=True)

    objects = SanwuOverrideQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "三无人工认定"
        ordering = ["-requested_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(confirmed_by__isnull=True) | ~Q(confirmed_by=F("requested_by")),
                name="sanwu_override_second_person",
                violation_error_message="人工认定须由提出人以外的另一人确认。",
            ),
            models.UniqueConstraint(
                fields=["campaign", "site"], condition=Q(revoked_at__isnull=True), name="sanwu_override_one_active",
                violation_error_message="该单位在本活动中已有一条有效的人工认定,请先撤销。",
            ),  # fmt: skip
        ]

    def __str__(self):
        return f"{self.site} · {self.campaign} · {self.get_holds_display()}"

    @property
    def is_effective(self) -> bool:
        return bool(self.confirmed_at and not self.revoked_at)

    def clean(self):
        if len((self.reason or "").strip()) < 10:
            raise ValidationError({"reason": "请写明理由(至少 10 个字),例如核查结论和依据。"})
        if self.confirmed_by_id and self.confirmed_by_id == self.requested_by_id:
            raise ValidationError("人工认定须由提出人以外的另一人确认。")
