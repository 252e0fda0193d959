"""The demo seeds a complete standard per site kind (100 points), a published and a sealed plan; idempotent."""

from django.core.management import call_command

from inspections.models import Inspection, InspectionPlan, Rectification, Standard
from sites.models import Site


def counts():
    return [m.objects.count() for m in (Standard, InspectionPlan, Inspection, Rectification)]


def test_demo_seed_is_complete_and_idempotent_N6_4(db):
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    first = counts()
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    assert counts() == first
    for kind in Site.Kind.values:
        standard = Standard.objects.get(site_kind=kind)
        assert standard.total_points() == 100 and standard.campaign.document_no == "惠东桥政〔2021〕44号"
    sealed = InspectionPlan.objects.get(kind="unannounced")
    assert sealed.is_sealed and sealed.draw_seed == 20220301 and sealed.inspections.count() == 3
    published = InspectionPlan.objects.get(kind="announced")
    assert published.status == "published" and not published.inspections.exclude(status="published").exists()
    assert (
        Rectification.objects.filter(status="verified").exists()
        and Rectification.objects.filter(status="open").exists()
    )
    assert not Inspection.objects.filter(is_demo=False).exists()
