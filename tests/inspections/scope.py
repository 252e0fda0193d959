"""Scope-crawl registry of the inspections app (see tests/scope_registry.py)."""

from inspections.models import (
    Appeal, AssessmentRun, AssessmentVillageResult, Evidence, Inspection, InspectionPlan, Rectification, Standard,
)  # fmt: skip

from .factories import campaign_for, inspection_in, plan_in, rectification_in, standard_for


def _evidence(village):
    from django.core.files.base import ContentFile

    from inspections.models import ItemScore
    from tests.factories import UserFactory

    from .images import jpeg_bytes

    inspection = inspection_in(village, status=Inspection.Status.PUBLISHED)
    score = ItemScore.objects.create(inspection=inspection, item=inspection.standard.items.first())
    return Evidence.objects.create(site=inspection.site, item_score=score, image=ContentFile(jpeg_bytes(), "p.jpg"),
                                   uploaded_by=UserFactory())  # fmt: skip


def _run(village, published=True):
    import datetime

    from django.utils import timezone

    from inspections.models import AssessmentRun
    from tests.factories import UserFactory

    town = village.parent
    return AssessmentRun.objects.create(
        campaign=campaign_for(town, name=f"{town.name}考核活动"), scope=town, as_of=datetime.date(2022, 3, 31),
        requested_by=UserFactory(), status=AssessmentRun.Status.DONE, published_at=timezone.now() if published else None,
    )  # fmt: skip


def _village_result(village):
    from inspections.models import AssessmentVillageResult

    return AssessmentVillageResult.objects.create(run=_run(village), village=village, score=80, rank=1, data={
        "village": {"name": village.name}, "sites": []})  # fmt: skip


def _appeal(village):
    from inspections.models import Appeal
    from tests.factories import UserFactory

    return Appeal.objects.create(run=_village_result(village).run, village=village, reason="得分有误", filed_by=UserFactory())


OBJECT_IN_VILLAGE = {
    # Published, so sealing is not what hides them: the scope must.
    InspectionPlan: lambda village: plan_in(village, kind=InspectionPlan.Kind.ANNOUNCED),
    Inspection: lambda village: inspection_in(village, status=Inspection.Status.PUBLISHED),
    Rectification: lambda village: rectification_in(village),
    Standard: lambda village: standard_for(campaign_for(village, name=f"{village.name}活动")),
    Evidence: _evidence,
    AssessmentRun: _run,
    AssessmentVillageResult: _village_result,
    Appeal: _appeal,
}
PUBLIC_URL_NAMES: set[str] = set()
# URLs addressed by an area code (`<str:code>`) instead of a pk: the crawl puts the village's code there.
AREA_CODE_URL_NAMES: set[str] = {"dashboard:area"}
