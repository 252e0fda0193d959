"""One source for every figure a page shows (issue 16, item 4): for a village, campaign and date the home to-do, the
missing list (缺项清单), the dashboard and the assessment show the same missing obligations, the same sites 落后, the
same completion rates and the same satisfaction, and say which date they are as of — on the demo and on generated
data. The pages are rendered by the test client and read from their own context (`figures_pages.py`)."""
import datetime as dt

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from campaigns.models import Activity, Campaign, EnterpriseVisit, SurveyResponse, VillageDuty
from campaigns.obligations import default_as_of, effective_date
from campaigns.services import enrolment_apply
from inspections.assessment import services
from inspections.models import AssessmentRules
from sites.models import Area, Membership, Site
from sites.roles import Role
from tests.factories import SiteFactory, user_with_role

from . import figures_pages as pages

DOC_NO = "惠东桥政〔2021〕44号"


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def compile_run(staff, campaign, town, as_of, capture):
    """The assessment of the town as of the date, compiled in this process (its tasks run when the start commits)."""
    with capture(execute=True):
        run = services.assessment_start(actor=staff, campaign=campaign, scope=town, as_of=as_of)
    run.refresh_from_db()
    assert run.status == run.Status.DONE, run.status
    return run


def four_pages(client, *, staff, cadre, campaign, village, as_of, capture, runs=None, site_pages=True):
    """Each page for the village at `as_of` (None: each page's own default date), compared. `runs` keeps the town's
    compiled runs per date for the next village."""
    client.force_login(staff)
    ml = pages.missing_list(client, campaign, village, as_of)
    dash = pages.dashboard(client, campaign, village, as_of, site_pages=site_pages)
    client.force_login(cadre)
    home = pages.home(client, campaign, as_of)
    day = ml.as_of  # the missing list's date: with as_of None, every page's default must be this one
    runs = {} if runs is None else runs
    if day not in runs:
        runs[day] = compile_run(staff, campaign, village.parent, day, capture)
    run = runs[day]
    client.force_login(staff)
    assess = pages.assessment(client, run, village)
    pages.compare(day, ml, home, dash, assess)
    return ml, home, dash


# --- the demo ---------------------------------------------------------------------------------------------------


def demo_campaign() -> Campaign:
    """The demo's campaign under the notice's 文号 (the one with enrolments, should the demo ever hold two again)."""
    found = Campaign.objects.filter(document_no=DOC_NO).annotate(n=Count("enrolments")).order_by("-n", "pk")
    assert found, "seed_demo made no campaign under " + DOC_NO
    return found[0]


@pytest.mark.django_db
def test_four_pages_agree_on_the_demo_N6_4(client, in_process_tasks, django_capture_on_commit_callbacks,
                                           django_user_model):  # fmt: skip
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    campaign = demo_campaign()
    staff = django_user_model.objects.get(username="dq_staff")
    cadre = django_user_model.objects.get(username="cadre_dongqiao")
    village = Membership.objects.select_related("area__parent").get(user=cadre).area
    assert village.level == Area.Level.VILLAGE and village.code.startswith(campaign.scope.prefix)
    today = timezone.localdate()
    seen = {}
    for as_of in (None, "2022-01-15", "2022-03-31", "2022-04-20"):
        ml, home, dash = four_pages(client, staff=staff, cadre=cadre, campaign=campaign, village=village,
                                    as_of=as_of, capture=django_capture_on_commit_callbacks)  # fmt: skip
        seen[as_of] = ml
        assert ml.sites and ml.total[0] > 0, "the demo village should have obligations to compare"
    # No date asked: every page takes today capped at the campaign's end (the demo campaign is over).
    assert seen[None].as_of == default_as_of(campaign, today) == min(today, campaign.ends_on)
    # After the end "the last 30 days" are the campaign's last 30 days: the same sites miss them as on its last day.
    rolling = lambda f: {m for m in f.missing if "近30天" in m[1]}  # noqa: E731
    assert rolling(seen["2022-04-20"]) == rolling(seen["2022-03-31"])
    assert effective_date(campaign, dt.date(2022, 4, 20)) == campaign.ends_on
    # The demo's survey answers fall in the period: satisfaction is a figure, on every page the same.
    assert any(f.answers for f in seen["2022-03-31"].sites.values())


@pytest.mark.django_db
def test_town_rows_agree_on_the_demo_N6_4(client, in_process_tasks, django_user_model):
    """Every village of the town: the missing list's village rows are the dashboard's town rows."""
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    campaign = demo_campaign()
    client.force_login(django_user_model.objects.get(username="dq_staff"))
    town = campaign.scope
    from django.urls import reverse

    ml = client.get(reverse("campaigns:obligations"), {"campaign": campaign.pk, "as_of": "2022-03-31"}).context
    dash = client.get(reverse("dashboard:area", args=[town.code]), {"campaign": campaign.pk, "as_of": "2022-03-31"}).context
    rows = {r["key"]: r for r in dash["data"]["children"]}
    listed = {rate.key: (rate, sat) for rate, _, _, sat in ml["by_village"]}
    assert set(listed) <= set(rows) and len(listed) > 1
    for code, (rate, sat) in listed.items():
        r = rows[code]
        assert (rate.expected, rate.done, rate.missing, rate.completion, rate.light) == (
            r["expected"], r["done"], r["missing"], r["completion"], r["light"]), code
        assert (sat.n, sat.rate) == (r["answers"], r["satisfaction"]), code
    for code in set(rows) - set(listed):  # a village without any obligation: nothing expected on the dashboard either
        assert rows[code]["expected"] == 0


# --- generated data ---------------------------------------------------------------------------------------------

START = dt.date(2021, 11, 17)
CHANNELS = [Activity.Channel.DOOR_TO_DOOR, Activity.Channel.EVENT, Activity.Channel.LECTURE, Activity.Channel.MATERIALS]

activities = st.lists(st.tuples(
    st.integers(0, 4),  # which site
    st.integers(0, 150),  # day after the start
    st.sampled_from(CHANNELS),
    st.sampled_from([0, 0, 5]),  # app installs
    st.sampled_from([0, 0, 3, 25]),  # days between the activity and its entry
), max_size=14)  # fmt: skip
visits = st.lists(st.tuples(st.integers(0, 150), st.sampled_from([0, 2, 12])), max_size=5)
duties = st.lists(st.tuples(st.sampled_from(["plan", "office", "launch", "summary"]), st.integers(0, 160)), max_size=4)
answers = st.lists(st.tuples(st.integers(0, 4), st.integers(1, 5), st.integers(-5, 170)), max_size=10)
ends = st.sampled_from([dt.date(2022, 1, 20), dt.date(2022, 3, 31)])
as_ofs = st.sampled_from([None, 25, 50, 64, 134, 150, 175])  # days after the start (None: each page's default)
rules = st.fixed_dictionaries({
    "window": st.sampled_from([30, 14]), "at_least": st.sampled_from([None, 3, 5]),
    "visits_on": st.booleans(), "enrolled": st.lists(st.booleans(), min_size=5, max_size=5),
})  # fmt: skip


def _moment(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(15, 30)))


def generated_world(world, *, ends_on, activities, visits, duties, answers, rules):
    campaign = Campaign.objects.create(
        name="生成数据的创建活动", scope=world.town_x, starts_on=START, ends_on=ends_on, assessment_on=ends_on,
        status=Campaign.Status.RUNNING, rules={"recent_outreach": {"window_days": rules["window"]},
                                               "enterprise_monthly_visit": {"enabled": rules["visits_on"]}},
    )  # fmt: skip
    if rules["at_least"]:
        AssessmentRules.objects.create(campaign=campaign, version=1, rules={"satisfied_at_least": rules["at_least"]})
    firm = SiteFactory(village=world.village_a, name="甲村生成企业", kind=Site.Kind.ENTERPRISE, employees=40)
    quiet = SiteFactory(village=world.village_a, name="甲村未申报小区")
    sites = [world.site_a, world.school_a, firm, quiet, world.site_b]
    enrolments = [enrolment_apply(actor=None, campaign=campaign, site=s) for s, on in zip(sites, rules["enrolled"]) if on]
    for which, day, channel, installs, delay in activities:
        site = sites[which]
        on = START + dt.timedelta(days=day)
        a = Activity.objects.create(campaign=campaign, village=site.village, site=site, date=on, channel=channel,
                                    title="生成的宣传活动", people_reached=50, households_visited=10 if channel == "door" else None,
                                    app_installs=installs, students_reached=30 if site.kind == "campus" else None)  # fmt: skip
        Activity.objects.filter(pk=a.pk).update(created_at=_moment(on + dt.timedelta(days=delay)))
    for day, delay in visits:
        on = START + dt.timedelta(days=day)
        v = EnterpriseVisit.objects.create(campaign=campaign, site=firm, visited_on=on, visitors="安办", methods_pushed="刷单")
        EnterpriseVisit.objects.filter(pk=v.pk).update(created_at=_moment(on + dt.timedelta(days=delay)))
    for kind, day in duties:
        if not VillageDuty.objects.filter(campaign=campaign, village=world.village_a, kind=kind).exists():
            d = VillageDuty.objects.create(campaign=campaign, village=world.village_a, kind=kind,
                                           done_on=START + dt.timedelta(days=day))  # fmt: skip
            VillageDuty.objects.filter(pk=d.pk).update(created_at=_moment(d.done_on))
    for which, score, day in answers:
        if enrolments:
            e = enrolments[which % len(enrolments)]
            r = SurveyResponse.objects.create(enrolment=e, satisfaction=score, knows_app=True, knows_hotline=False)
            SurveyResponse.objects.filter(pk=r.pk).update(answered_at=_moment(START + dt.timedelta(days=day)))
    return campaign


@pytest.mark.django_db
@settings(max_examples=15, deadline=None, phases=[Phase.explicit, Phase.reuse, Phase.generate],
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])  # fmt: skip
@given(ends_on=ends, activities=activities, visits=visits, duties=duties, answers=answers, rules=rules, as_of=as_ofs)
def test_four_pages_agree_on_generated_data_N6_4(client, world, town_staff, cadre_a, cadre_b, in_process_tasks,
                                                 django_capture_on_commit_callbacks, ends_on, activities, visits,
                                                 duties, answers, rules, as_of):  # fmt: skip
    cache.clear()
    with transaction.atomic():
        campaign = generated_world(world, ends_on=ends_on, activities=activities, visits=visits, duties=duties,
                                   answers=answers, rules=rules)  # fmt: skip
        day, runs = None if as_of is None else (START + dt.timedelta(days=as_of)).isoformat(), {}
        for village, cadre in ((world.village_a, cadre_a), (world.village_b, cadre_b)):
            ml, _, _ = four_pages(client, staff=town_staff, cadre=cadre, campaign=campaign, village=village, as_of=day,
                                  capture=django_capture_on_commit_callbacks, runs=runs)  # fmt: skip
            if as_of is None:
                assert ml.as_of == default_as_of(campaign, timezone.localdate())
        transaction.set_rollback(True)
    cache.clear()
