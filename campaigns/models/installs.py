"""Official app-install figures (国家反诈中心APP, N3.4/N5.3 reach): uploaded by town staff per village or
site for a date, compared with the ledger's self-reported installs; the assessment uses them where present."""
from django.conf import settings
from django.db import models

from sites.models import Area, Site
from sites.scope import ScopedQuerySet

from .campaign import Campaign


class OfficialInstallQuerySet(ScopedQuerySet):
    scope_area_code = "village__code"
    scope_site = "site"


class OfficialInstallFigure(models.Model):
    campaign = models.ForeignKey(Campaign, verbose_name="创建活动", on_delete=models.CASCADE, related_name="official_installs")
    village = models.ForeignKey(Area, verbose_name="村(社区)", on_delete=models.PROTECT, related_name="+")
    site = models.ForeignKey(Site, verbose_name="创建单位", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    as_of = models.DateField("统计日期")
    installs = models.PositiveIntegerField("官方安装数")
    population_16_60 = models.PositiveIntegerField("16–60岁常住人口", null=True, blank=True,
                                                   help_text="基数选“16–60岁常住人口”时使用")  # fmt: skip
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="上传人", null=True, on_delete=models.SET_NULL,
                                    related_name="+")  # fmt: skip
    uploaded_at = models.DateTimeField("上传时间", auto_now=True)
    source = models.CharField("来源文件", max_length=200, blank=True)
    is_demo = models.BooleanField("演示数据", default=False)

    objects = OfficialInstallQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "官方APP安装数"
        ordering = ["-as_of", "village__code", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "site", "as_of"], name="official_install_site_once"),
            models.UniqueConstraint(fields=["campaign", "village", "as_of"], condition=models.Q(site__isnull=True),
                                    name="official_install_village_once"),
        ]  # fmt: skip

    def __str__(self):
        return f"{self.site or self.village} {self.as_of} {self.installs}"
