"""Scope-crawl registry of the inspections app (see tests/scope_registry.py)."""

from inspections.models import Evidence, Inspection, InspectionPlan, Rectification, Standard

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


OBJECT_IN_VILLAGE = {
    # Published, so sealing is not what hides them: the scope must.
    InspectionPlan: lambda village: plan_in(village, kind=InspectionPlan.Kind.ANNOUNCED),
    Inspection: lambda village: inspection_in(village, status=Inspection.Status.PUBLISHED),
    Rectification: lambda village: rectification_in(village),
    Standard: lambda village: standard_for(campaign_for(village, name=f"{village.name}活动")),
    Evidence: _evidence,
}
PUBLIC_URL_NAMES: set[str] = set()
