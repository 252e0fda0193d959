"""The demo seeds a complete standard per site kind (100 points), a published and a sealed plan; idempotent."""

from django.core.management import call_command

from inspections.models import Inspection, InspectionPlan, Rectification, Standard
from sites.models import Reminder, Site


def counts():
    return [m.objects.count() for m in (Standard, InspectionPlan, Inspection, Rectification, Reminder)]


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


def test_demo_bell_holds_that_mornings_reminders_not_the_sealed_plan_N6_4(db):
    """The demo lives in March 2022 where beat never ran: seed_demo runs the reminder jobs for that day."""
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    users = set(Reminder.objects.values_list("user__username", flat=True))
    assert {"cadre_dongqiao", "enterprise_liaison"} <= users
    assert not users & {"dq_staff", "ly_staff", "county_staff"}
    rect_ids = {int(key.split(":")[1]) for key in Reminder.objects.filter(kind="rectification").values_list("key", flat=True)}
    assert rect_ids, "the demo's open rectifications should remind someone"
    sealed = InspectionPlan.objects.get(kind="unannounced")
    assert not Rectification.objects.filter(pk__in=rect_ids, inspection__plan=sealed).exists()
    assert not Rectification.objects.filter(pk__in=rect_ids).exclude(inspection__status="published").exists()
