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
    published = InspectionPlan.objects.filter(kind="announced")
    assert published.count() == 2 and not Inspection.objects.filter(plan__in=published).exclude(status="published").exists()
    assert not Inspection.objects.filter(plan__in=published, inspected_on__isnull=True).exists()
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


def test_demo_has_one_campaign_per_document_and_its_compile_titles_some_sites_N1(db):
    """The whole demo is one campaign under 惠东桥政〔2021〕44号 (two modules once each made their own), and compiling
    it as of 2022-03-31 proposes the showcase's titles and refuses the others, each for a reason a person reads."""
    import datetime as dt

    from campaigns.models import Activity, Campaign, OfficialInstallFigure
    from inspections.assessment.compute import site_result
    from inspections.assessment.figures import figures_for_villages
    from inspections.assessment.rules import merged
    from inspections.demo import SHOWCASE
    from sites.models import Area

    call_command("seed_demo", stdout=open("/dev/null", "w"))
    campaign = Campaign.objects.get(document_no="惠东桥政〔2021〕44号")
    assert Campaign.objects.filter(scope=campaign.scope).count() == 1
    for model in (Standard, InspectionPlan, OfficialInstallFigure, Activity):
        assert not model.objects.exclude(campaign=campaign).exists(), model
    villages = Area.objects.villages().filter(code__startswith="350521106").select_related("parent")
    figures = figures_for_villages(campaign, villages, dt.date(2022, 3, 31))
    rules = merged({})
    results = {s.name: site_result(s, rules) for f in figures.values() for s in f.sites}
    for _plan, name, _how, _day, expected in SHOWCASE:
        result = results[name]
        if expected == "拟命名":
            assert result.proposed_title, (name, result.reasons)
        else:
            assert not result.proposed_title and result.reasons, name
    reasons = "".join(r for s in results.values() for r in s.reasons)
    for reason in ("“三无”不成立", "未达到", "低于命名分数线", "项整改未完成"):
        assert reason in reasons
