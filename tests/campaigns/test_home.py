"""The cadre's and liaison's home (issue 8): what to do next with links to the forms, follow-ups due, recent
entries, quick-add buttons by role, helpful empty states, and bounded queries on two data sizes."""
import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from campaigns.models import Activity
from inspections.models import Inspection, InspectionPlan, Rectification
from sites.models import KeyPerson, Site
from sites.roles import Role
from tests.campaigns.factories import ActivityFactory, CampaignFactory, EnrolmentFactory
from tests.factories import SiteFactory, user_with_role
from tests.inspections.factories import inspection_in, plan_in
from tests.sites.factories import AbroadCaseFactory, KeyPersonFactory, MeasureFactory, SweepFactory


@pytest.fixture
def campaign(world):
    campaign = CampaignFactory(scope=world.town_x, name="甲镇无诈创建")
    for site in (world.site_a, world.school_a, world.site_b):
        EnrolmentFactory(campaign=campaign, site=site)
    return campaign


def enterprise_in(village, campaign, n=0):
    site = SiteFactory(village=village, name=f"{village.name}企业{n}", kind=Site.Kind.ENTERPRISE, employees=50)
    EnrolmentFactory(campaign=campaign, site=site)
    return site


def panel(client, name, **params):
    response = client.get(reverse(name), params)
    assert response.status_code == 200
    return response.content.decode()


def test_todo_says_what_to_do_next_and_links_the_form_that_does_it_N3_5_N3_4_N6_1(login, cadre_a, campaign, world):
    factory = enterprise_in(world.village_a, campaign)
    body = panel(login(cadre_a), "campaigns:home_panel", as_of="2022-01-05")
    visit = f'{reverse("campaigns:visit_create")}?campaign={campaign.pk}&amp;site={factory.pk}'
    assert f'href="{visit}"' in body and "登记2022年1月安办走访" in body and "还剩 26 天" in body
    event = (f'{reverse("campaigns:activity_create")}?campaign={campaign.pk}&amp;village={world.village_a.pk}'
             f'&amp;site={world.school_a.pk}&amp;channel=event')  # fmt: skip
    assert f'href="{event}"' in body and "秋季学期集中宣传活动" in body
    plan = f'{reverse("campaigns:village_duty_create")}?campaign={campaign.pk}&amp;village={world.village_a.pk}&amp;kind=plan'
    assert f'href="{plan}"' in body and "已逾期" in body  # the work plan was due 14 days after the start
    assert body.index("登记工作方案") < body.index("登记2022年1月安办走访")  # missing first, then by due date
    assert "乙村" not in body
    # Following the links opens the forms filled in for that site / channel / duty.
    client = login(cadre_a)
    form = client.get(visit.replace("&amp;", "&")).content.decode()
    assert f'<option value="{factory.pk}" selected>' in form
    form = client.get(event.replace("&amp;", "&")).content.decode()
    assert f'<option value="{world.school_a.pk}" selected>' in form and '<option value="event" selected>' in form
    form = client.get(plan.replace("&amp;", "&")).content.decode()
    assert '<option value="plan" selected>' in form


def test_liaison_todo_holds_only_their_site_and_nothing_of_the_village(login, school_liaison, campaign):
    body = panel(login(school_liaison), "campaigns:home_panel", as_of="2022-01-05")
    assert "甲村小学" in body and "集中宣传活动" in body
    assert "工作方案" not in body and "幸福小区" not in body


def test_todo_empty_states(login, cadre_a, world, campaign):
    client = login(cadre_a)
    for site in (world.site_a, world.school_a):
        ActivityFactory(campaign=campaign, site=site, date=dt.date(2021, 12, 20), channel=Activity.Channel.EVENT,
                        people_reached=100)  # fmt: skip
    Site.objects.filter(pk__in=[world.site_a.pk]).update(kind=Site.Kind.ENTERPRISE)
    campaign.rules = {"village_setup": {"enabled": False}, "enterprise_monthly_visit": {"enabled": False}}
    campaign.save()
    assert "目前没有待办或缺失的任务" in panel(client, "campaigns:home_panel", as_of="2021-12-21")
    campaign.status = campaign.Status.CLOSED
    campaign.scope = world.town_y
    campaign.save()
    assert "目前没有进行中的创建活动" in panel(client, "campaigns:home_panel")
    assert "您还没有登记过记录" in panel(client, "campaigns:home_recent")


def test_recent_entries_are_the_users_own(login, cadre_a, cadre_b, campaign, world):
    ActivityFactory(campaign=campaign, site=world.site_a, created_by=cadre_a, title="我的入户宣传")
    ActivityFactory(campaign=campaign, site=world.site_a, title="别人的入户宣传")
    SweepFactory(village=world.village_a, created_by=cadre_a, team="我的扫楼队")
    person = KeyPersonFactory(village=world.village_a, name="钱走访")
    MeasureFactory(person=person, done_by=cadre_a)
    body = panel(login(cadre_a), "campaigns:home_recent")
    assert "宣传活动" in body and "我的扫楼队" in body and "钱走访" in body
    assert "别人的入户宣传" not in body
    assert "我的扫楼队" not in panel(login(cadre_b), "campaigns:home_recent")


def test_quick_add_offers_only_what_the_role_may_add(login, cadre_a, school_liaison, world, campaign):
    cadre = panel(login(cadre_a), "campaigns:home_quick")
    for label in ("登记宣传活动", "扫楼登记", "重点人员走访", "新建重点人员档案", "村级工作事项", "学校任务"):
        assert label in cadre, label
    assert "企业走访" not in cadre  # no enterprise in the village: nothing to pick
    liaison = panel(login(school_liaison), "campaigns:home_quick")
    assert "登记宣传活动" in liaison and "学校任务" in liaison
    for label in ("扫楼登记", "重点人员", "村级工作事项", "企业走访"):
        assert label not in liaison, label
    enterprise_in(world.village_a, campaign)
    assert "企业走访" in panel(login(cadre_a), "campaigns:home_quick")


def test_home_shows_the_cadre_home_and_phone_first_layout(login, cadre_a, town_staff, campaign):
    body = login(cadre_a).get(reverse("home")).content.decode()
    for name in ("campaigns:home_quick", "campaigns:home_panel", "sites:keyperson_home_panel",
                 "inspections:rectification_home_panel", "campaigns:home_recent"):  # fmt: skip
        assert reverse(name) in body, name
    assert body.count('class="col-12 col-lg-6"') >= 4  # stacked on a phone, two across from lg
    staff = login(town_staff).get(reverse("home")).content.decode()
    assert reverse("campaigns:home_quick") not in staff and reverse("campaigns:home_recent") not in staff


def test_follow_ups_list_my_due_key_persons_and_persons_abroad_N4_2_N4_3(login, cadre_a, world):
    today = dt.date.today()
    due = KeyPersonFactory(village=world.village_a, cadre=cadre_a, name="孙将到期")
    KeyPerson.objects.filter(pk=due.pk).update(next_followup_on=today + dt.timedelta(days=3))
    abroad = AbroadCaseFactory(person=KeyPersonFactory(village=world.village_a, name="周在境外", category="abroad"))
    body = panel(login(cadre_a), "sites:keyperson_home_panel")
    assert "孙将到期" in body and "一周内到期" in body and reverse("sites:measure_create", args=[due.pk]) in body
    assert "周在境外" in body and "尚无联系记录" in body and reverse("sites:attempt_create", args=[abroad.pk]) in body


def _rect(site, *, published=True, name="计划"):
    plan = plan_in(site.village.parent, name=name)
    InspectionPlan.objects.filter(pk=plan.pk).update(status="published" if published else "active")
    inspection = inspection_in(site.village, site=site, plan=plan,
                               status=Inspection.Status.PUBLISHED if published else Inspection.Status.APPROVED)  # fmt: skip
    return Rectification.objects.create(inspection=inspection, site=site, finding=f"{name}发现的问题",
                                        deadline=dt.date.today() - dt.timedelta(days=1), points_deducted=Decimal(5))  # fmt: skip


def test_rectification_panel_shows_published_tasks_only_N6_4(login, cadre_a, school_liaison, world, town_staff):
    _rect(world.school_a, name="已公布明查")
    _rect(world.school_a, published=False, name="密封暗访")
    for user in (cadre_a, school_liaison):
        body = panel(login(user), "inspections:rectification_home_panel")
        assert "已公布明查发现的问题" in body and "已逾期" in body and "密封暗访" not in body
    assert login(town_staff).get(reverse("inspections:rectification_home_panel")).status_code == 404


def _grow(world, campaign, cadre, n):
    """n more of everything the home panels read, in the cadre's village."""
    today = dt.date.today()
    for i in range(n):
        site = enterprise_in(world.village_a, campaign, n=f"{n}-{i}")
        ActivityFactory(campaign=campaign, site=site, created_by=cadre, date=dt.date(2021, 12, 1))
        person = KeyPersonFactory(village=world.village_a, cadre=cadre)
        KeyPerson.objects.filter(pk=person.pk).update(next_followup_on=today - dt.timedelta(days=i + 1))
        MeasureFactory(person=person, done_by=cadre)
        AbroadCaseFactory(person=KeyPersonFactory(village=world.village_a))
        SweepFactory(village=world.village_a, created_by=cadre)
        _rect(site, name=f"计划{n}-{i}")


# (panel URL name, query bound): the same bound holds for 1 and for 12 of everything.
PANELS = [("campaigns:home_panel", 12), ("campaigns:home_recent", 12), ("campaigns:home_quick", 8),
          ("sites:keyperson_home_panel", 12), ("inspections:rectification_home_panel", 9)]  # fmt: skip


@pytest.mark.parametrize("name,bound", PANELS, ids=[p[0] for p in PANELS])
def test_home_panels_make_a_bounded_number_of_queries(login, cadre_a, world, campaign, name, bound,
                                                      django_assert_max_num_queries):  # fmt: skip
    client = login(cadre_a)
    params = {"as_of": "2022-01-05", "campaign": campaign.pk} if name == "campaigns:home_panel" else {}
    _grow(world, campaign, cadre_a, 1)
    with django_assert_max_num_queries(bound):
        small = client.get(reverse(name), params)
    _grow(world, campaign, cadre_a, 12)
    with django_assert_max_num_queries(bound):
        large = client.get(reverse(name), params)
    assert small.status_code == large.status_code == 200
    if name != "campaigns:home_quick":  # the buttons do not grow with the data; every other panel shows more rows
        assert len(large.content) > len(small.content)


def test_home_page_itself_is_bounded(login, cadre_a, world, campaign, django_assert_max_num_queries):
    client = login(cadre_a)
    _grow(world, campaign, cadre_a, 1)
    with django_assert_max_num_queries(12):
        client.get(reverse("home"))
    _grow(world, campaign, cadre_a, 12)
    user_with_role(Role.CADRE, area=world.village_a, username="second_cadre")
    with django_assert_max_num_queries(12):
        assert client.get(reverse("home")).status_code == 200


def test_inspector_home_has_no_todo_and_no_cadre_panels(login, inspector, campaign):
    body = login(inspector).get(reverse("home")).content.decode()
    assert reverse("campaigns:home_panel") not in body and reverse("campaigns:home_quick") not in body
    assert reverse("inspections:home_panel") in body  # their own inspections panel stays
