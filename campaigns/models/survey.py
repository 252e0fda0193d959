"""Public satisfaction (N6.2): anonymous answers to the poster's QR survey. No personal data is kept."""
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from sites.scope import ScopedQuerySet

from .enrolment import Enrolment


class SurveyResponseQuerySet(ScopedQuerySet):
    scope_area_code = "enrolment__site__village__code"
    scope_site = "enrolment__site"


class SurveyResponse(models.Model):
    enrolment = models.ForeignKey(Enrolment, verbose_name="创建单位", on_delete=models.CASCADE, related_name="answers")
    satisfaction = models.PositiveSmallIntegerField(
        "满意度", validators=[MinValueValidator(1), MaxValueValidator(5)], help_text="1 很不满意 … 5 很满意"
    )
    knows_app = models.BooleanField("知道国家反诈中心APP")
    knows_hotline = models.BooleanField("知道反诈专线96110")
    comment = models.CharField("意见建议", max_length=200, blank=True)
    answered_at = models.DateTimeField("提交时间", auto_now_add=True)
    is_demo = models.BooleanField("演示数据", default=False)

    objects = SurveyResponseQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "群众满意度问卷"
        ordering = ["-answered_at"]
        constraints = [
            models.CheckConstraint(condition=models.Q(satisfaction__gte=1, satisfaction__lte=5), name="survey_scale")
        ]

    def __str__(self):
        return f"{self.enrolment.site} · {self.satisfaction}分"

    @property
    def satisfied(self) -> bool:
        return self.satisfaction >= 4
