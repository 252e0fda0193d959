"""Reminders (issue 8): fired by the beat jobs on hand-made calendars, delivered to the right people only,
idempotent, read and cleared by their owner, counted by the bell; sealed plans never remind the inspected."""
import datetime as dt
from decimal import Decimal

import pytest
from django.conf import settings
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from campaigns.models import Activity
from campaigns.tasks import obligation_reminders
from inspections.models import Inspection, InspectionPlan, Rectification
from inspections.tasks import rectification_reminders
from sites.models import KeyPerson, Reminder, Site
from sites.reminders import Due, reminders_sync, unread_count
from sites.roles import Role
from sites.tasks import keyperson_reminders_task
from tests.campaigns.factories import ActivityFactory, CampaignFactory, EnrolmentFactory, EnterpriseVisitFactory
from tests.factories import SiteFactory, user_with_role
from tests.inspections.factories import inspection_in, plan_in
from tests.sites.factories import AbroadCaseFactory, KeyPersonFactory

pytestmark = pytest.mark.usefixtures("in_process_tasks")


def live(user):
    return Reminder.objects.filter(user=user).live()


@pytest.fixture
def enterprise(world):
    return SiteFactory(village=world.village_a, name="甲村电子厂", kind=Site.Kind.ENTERPRISE, employees=80)


@pytest.fixture
def enterprise_liaison(enterprise):
    return user_with_role(Role.LIAISON, site=enterprise, username="enterprise_liaison")


@pytest.fixture
def campaign(world, enterprise):
    campaign = CampaignFactory(scope=world.town_x, name="甲镇无诈创建")
    for site in (enterprise, world.school_a, world.site_a, world.site_b):
        EnrolmentFactory(campaign=campaign, site=site)
    return campaign


def run(task, day: str):
    return task.apply(kwargs={"today": day}).get()


def test_enterprise_visit_due_this_month_reaches_the_village_cadres_and_its_liaison_only_N3_5(
    campaign, enterprise, enterprise_liaison, cadre_a, cadre_b, town_staff, school_liaison
):
    run(obligation_reminders, "2021-12-10")
    for user in (cadre_a, enterprise_liaison):
        (r,) = live(user).filter(kind=Reminder.Kind.ENTERPRISE_VISIT)
        assert "甲村电子厂" in r.title and "2021年12月安办走访" in r.title and r.due_on == dt.date(2021, 12, 31)
        assert r.url.startswith(reverse("campaigns:visit_create")) and f"site={enterprise.pk}" in r.url
    for user in (cadre_b, town_staff, school_liaison):
        assert not Reminder.objects.filter(user=user).exists()
    # November (its due date passed) is the to-do's business, not a "due this month" reminder.
    assert not Reminder.objects.filter(key__contains="2021-11-17").exists()
    # The visit is recorded: the next run resolves the reminder; January brings a new one.
    EnterpriseVisitFactory(campaign=campaign, site=enterprise, visited_on=dt.date(2021, 12, 12))
    run(obligation_reminders, "2021-12-13")
    assert not live(cadre_a).exists() and Reminder.objects.filter(user=cadre_a).count() == 1
    run(obligation_reminders, "2022-01-03")
    assert [r.title for r in live(cadre_a).filter(kind=Reminder.Kind.ENTERPRISE_VISIT)] == ["甲村电子厂:2022年1月安办走访尚未登记"]


def test_school_semester_event_reminds_within_30_days_of_the_semester_end_N3_4(
    campaign, world, cadre_a, cadre_b, school_liaison, enterprise_liaison
):
    run(obligation_reminders, "2021-12-10")  # autumn term (clipped) ends 31 January: 52 days left
    assert not Reminder.objects.filter(kind=Reminder.Kind.SCHOOL_EVENT).exists()
    run(obligation_reminders, "2022-01-05")
    assert set(Reminder.objects.filter(kind=Reminder.Kind.SCHOOL_EVENT).values_list("user__username", flat=True)) == {
        "cadre_a", "school_liaison"
    }
    r = live(school_liaison).get()
    assert "甲村小学" in r.title and "秋季学期集中宣传活动" in r.title and "channel=event" in r.url
    assert not Reminder.objects.filter(user__in=[cadre_b, enterprise_liaison], kind=Reminder.Kind.SCHOOL_EVENT).exists()
    ActivityFactory(campaign=campaign, site=world.school_a, date=dt.date(2022, 1, 6), channel=Activity.Channel.EVENT,
                    people_reached=300)  # fmt: skip
    run(obligation_reminders, "2022-01-07")
    assert not live(school_liaison).filter(kind=Reminder.Kind.SCHOOL_EVENT).exists()


def test_closed_campaign_or_a_day_outside_it_reminds_nobody(campaign, enterprise_liaison):
    run(obligation_reminders, "2022-04-05")
    assert not Reminder.objects.exists()
    campaign.status = campaign.Status.CLOSED
    campaign.save()
    run(obligation_reminders, "2021-12-10")
    assert not Reminder.objects.exists()


def test_rerunning_a_job_creates_no_duplicates(campaign, cadre_a, enterprise_liaison):
    run(obligation_reminders, "2021-12-10")
    first = sorted(Reminder.objects.values_list("pk", "user_id", "key"))
    assert first
    for day in ("2021-12-10", "2021-12-11", "2021-12-20"):
        run(obligation_reminders, day)
    assert sorted(Reminder.objects.values_list("pk", "user_id", "key")) == first
    # The service itself: the same wanted list twice changes nothing the second time.
    wanted = [Due(cadre_a.pk, "test:1", "测试提醒")]
    assert reminders_sync(Reminder.Kind.KEYPERSON, wanted)["created"] == 1
    assert reminders_sync(Reminder.Kind.KEYPERSON, wanted) == {"created": 0, "reopened": 0, "resolved": 0, "mailed": 0}


def test_a_cleared_reminder_stays_cleared_when_the_job_runs_again(campaign, cadre_a, login):
    run(obligation_reminders, "2021-12-10")
    r = live(cadre_a).get()
    assert login(cadre_a).post(reverse("sites:reminder_clear", args=[r.pk])).status_code == 302
    run(obligation_reminders, "2021-12-11")
    assert not live(cadre_a).exists() and Reminder.objects.filter(user=cadre_a).count() == 1


def test_read_open_and_clear_are_the_owners_only(login, cadre_a, cadre_b, world):
    mine = Reminder.objects.create(user=cadre_a, kind="keyperson", key="a", title="甲的提醒", url="/sites/keypersons/")
    other = Reminder.objects.create(user=cadre_b, kind="keyperson", key="b", title="乙村专属提醒", url="/")
    evil = Reminder.objects.create(user=cadre_a, kind="keyperson", key="c", title="外链", url="https://evil.example/")
    client = login(cadre_a)
    body = client.get(reverse("sites:reminder_list")).content.decode()
    assert "甲的提醒" in body and "乙村专属提醒" not in body
    response = client.get(reverse("sites:reminder_open", args=[mine.pk]))  # a GET changes nothing
    assert response.status_code == 302 and response.url == reverse("sites:reminder_list")
    mine.refresh_from_db()
    assert mine.read_at is None
    response = client.post(reverse("sites:reminder_open", args=[mine.pk]))
    assert response.status_code == 302 and response.url == "/sites/keypersons/"
    mine.refresh_from_db()
    assert mine.read_at is not None
    assert client.post(reverse("sites:reminder_open", args=[evil.pk])).url == reverse("sites:reminder_list")
    for name in ("sites:reminder_open", "sites:reminder_clear"):
        assert client.get(reverse(name, args=[other.pk])).status_code == 404
    for name in ("sites:reminder_open", "sites:reminder_clear"):
        assert client.post(reverse(name, args=[other.pk])).status_code == 404
    other.refresh_from_db()
    assert other.cleared_at is None and other.read_at is None
    client.post(reverse("sites:reminder_clear_read"))  # clears the read one (mine and evil, both opened)
    assert not live(cadre_a).exists()
    body = client.get(reverse("sites:reminder_list")).content.decode()
    assert "目前没有提醒" in body


def test_read_all_then_the_bell_shows_nothing(login, cadre_a):
    for n in range(3):
        Reminder.objects.create(user=cadre_a, kind="keyperson", key=f"k{n}", title=f"提醒{n}")
    client = login(cadre_a)
    assert 'data-testid="reminder-count">3<' in client.get(reverse("home")).content.decode()
    client.post(reverse("sites:reminder_read_all"))
    assert unread_count(cadre_a) == 0 and live(cadre_a).count() == 3
    assert 'data-testid="reminder-count"' not in client.get(reverse("home")).content.decode()


def test_bell_counts_unread_live_reminders_in_one_query(login, cadre_a, cadre_b, client):
    Reminder.objects.create(user=cadre_a, kind="keyperson", key="1", title="一")
    Reminder.objects.create(user=cadre_a, kind="keyperson", key="2", title="二", read_at="2022-01-01T00:00Z")
    Reminder.objects.create(user=cadre_a, kind="keyperson", key="3", title="三", resolved_at="2022-01-01T00:00Z")
    Reminder.objects.create(user=cadre_b, kind="keyperson", key="4", title="四")
    with CaptureQueriesContext(connection) as anonymous:
        assert client.get(reverse("login")).status_code == 200
    assert not [q for q in anonymous.captured_queries if "sites_reminder" in q["sql"]]
    login(cadre_a)
    with CaptureQueriesContext(connection) as queries:
        body = client.get(reverse("sites:site_list")).content.decode()
    assert len([q for q in queries.captured_queries if "sites_reminder" in q["sql"]]) == 1
    assert 'data-testid="reminder-count">1<' in body and 'href="/sites/reminders/"' in body
    for n in range(120):
        Reminder.objects.create(user=cadre_a, kind="keyperson", key=f"many{n}", title="多")
    assert ">99+<" in client.get(reverse("sites:site_list")).content.decode()


def _published_rectification(site, *, deadline, plan_status=InspectionPlan.Status.PUBLISHED, name="暗访计划"):
    plan = plan_in(site.village.parent, name=name)
    plan.status = plan_status
    plan.save()
    status = Inspection.Status.PUBLISHED if plan_status == InspectionPlan.Status.PUBLISHED else Inspection.Status.APPROVED
    inspection = inspection_in(site.village, site=site, plan=plan, status=status)
    return Rectification.objects.create(inspection=inspection, site=site, finding="宣传栏缺失", deadline=deadline,
                                        points_deducted=Decimal("5"))  # fmt: skip


def test_rectification_deadline_reaches_the_site_liaison_and_village_cadres_N6_4(world, cadre_a, cadre_b, school_liaison,
                                                                                 town_staff):  # fmt: skip
    rect = _published_rectification(world.school_a, deadline=dt.date(2022, 3, 10))
    run(rectification_reminders, "2022-02-20")  # 18 days left: not yet
    assert not Reminder.objects.exists()
    run(rectification_reminders, "2022-03-05")
    assert set(Reminder.objects.values_list("user__username", flat=True)) == {"cadre_a", "school_liaison"}
    assert live(school_liaison).get().url == reverse("inspections:rectification_detail", args=[rect.pk])
    run(rectification_reminders, "2022-03-11")  # past the deadline: the "due" one resolves, an "overdue" one comes
    (r,) = live(cadre_a)
    assert "已逾期" in r.title and r.key == f"rect:{rect.pk}:overdue"
    Rectification.objects.filter(pk=rect.pk).update(status=Rectification.Status.RESPONDED)
    run(rectification_reminders, "2022-03-12")
    assert not Reminder.objects.live().exists()
    # Staff return the answer (open again): the same reminder comes back, unread, not a second row.
    Reminder.objects.filter(user=cadre_a).update(read_at="2022-03-12T08:00Z")
    Rectification.objects.filter(pk=rect.pk).update(status=Rectification.Status.OPEN)
    run(rectification_reminders, "2022-03-13")
    assert live(cadre_a).get().pk == r.pk and unread_count(cadre_a) == 1


def test_sealed_plan_never_produces_a_reminder_to_the_inspected_N6_4(world, cadre_a, school_liaison, town_staff,
                                                                     login):  # fmt: skip
    sealed = _published_rectification(world.school_a, deadline=dt.date(2022, 3, 10),
                                      plan_status=InspectionPlan.Status.ACTIVE, name="密封暗访计划")  # fmt: skip
    for day in ("2022-03-05", "2022-03-20"):
        run(rectification_reminders, day)
    assert not Reminder.objects.exists()
    for user in (cadre_a, school_liaison):
        client = login(user)
        for url in (reverse("sites:reminder_list"), reverse("inspections:rectification_home_panel"), reverse("home")):
            body = client.get(url).content.decode()
            assert "密封暗访计划" not in body and "宣传栏缺失" not in body, url
    # Publication lifts the seal: from then on the inspected are reminded (and the reminder names no plan).
    InspectionPlan.objects.filter(pk=sealed.inspection.plan_id).update(status=InspectionPlan.Status.PUBLISHED)
    Inspection.objects.filter(pk=sealed.inspection_id).update(status=Inspection.Status.PUBLISHED)
    run(rectification_reminders, "2022-03-05")
    assert {r.user_id for r in Reminder.objects.all()} == {cadre_a.pk, school_liaison.pk}
    assert all("密封暗访计划" not in r.title for r in Reminder.objects.all())


def test_key_person_follow_up_goes_to_the_responsible_cadre_else_the_village_cadres_N4_2(world, cadre_a, cadre_b):
    other_cadre = user_with_role(Role.CADRE, area=world.village_a, username="cadre_a2")
    mine = KeyPersonFactory(village=world.village_a, cadre=cadre_a, name="张跟进")
    nobody = KeyPersonFactory(village=world.village_a, name="李无责任人")
    later = KeyPersonFactory(village=world.village_a, cadre=cadre_a, name="王以后")
    KeyPerson.objects.filter(pk=mine.pk).update(next_followup_on=dt.date(2022, 1, 9))
    KeyPerson.objects.filter(pk=nobody.pk).update(next_followup_on=dt.date(2022, 1, 5))
    KeyPerson.objects.filter(pk=later.pk).update(next_followup_on=dt.date(2022, 2, 1))
    run(keyperson_reminders_task, "2022-01-07")
    assert [r.title for r in live(cadre_a).order_by("title")] == ["重点人员“张跟进”跟进即将到期", "重点人员“李无责任人”跟进已逾期"]
    assert [r.title for r in live(other_cadre)] == ["重点人员“李无责任人”跟进已逾期"]
    assert not Reminder.objects.filter(user=cadre_b).exists()
    assert live(cadre_a).get(title__contains="张跟进").url == reverse("sites:measure_create", args=[mine.pk])
    run(keyperson_reminders_task, "2022-01-07")
    assert Reminder.objects.count() == 3


def test_person_abroad_without_contact_for_30_days_reminds_the_cadre_N4_3(world, cadre_a, cadre_b):
    person = KeyPersonFactory(village=world.village_a, cadre=cadre_a, name="赵境外", category="abroad", status="abroad")
    case = AbroadCaseFactory(person=person)
    run(keyperson_reminders_task, "2022-01-07")
    (r,) = live(cadre_a).filter(kind=Reminder.Kind.ABROAD)
    assert "赵境外" in r.title and r.url == reverse("sites:attempt_create", args=[case.pk])
    assert not Reminder.objects.filter(user=cadre_b).exists()


def test_mail_goes_out_once_where_configured(campaign, cadre_a, enterprise_liaison, settings):
    cadre_a.email = "cadre_a@example.cn"
    cadre_a.save()
    settings.WUZHA_REMINDER_EMAIL = False
    run(obligation_reminders, "2021-12-10")
    assert mail.outbox == []
    settings.WUZHA_REMINDER_EMAIL = True
    run(obligation_reminders, "2021-12-11")
    run(obligation_reminders, "2021-12-12")
    assert [m.to for m in mail.outbox] == [["cadre_a@example.cn"]]  # the liaison has no address
    assert "甲村电子厂" in mail.outbox[0].body and "提醒" in mail.outbox[0].subject


def test_a_failed_mail_is_tried_again_at_the_next_run(campaign, cadre_a, settings, monkeypatch):
    import sites.reminders

    cadre_a.email = "cadre_a@example.cn"
    cadre_a.save()
    settings.WUZHA_REMINDER_EMAIL = True

    def refuse(*args, **kwargs):
        raise ConnectionRefusedError("SMTP down")

    original = sites.reminders.send_mail
    monkeypatch.setattr(sites.reminders, "send_mail", refuse)
    run(obligation_reminders, "2021-12-10")
    assert mail.outbox == [] and Reminder.objects.filter(emailed_at__isnull=True).exists()
    monkeypatch.setattr(sites.reminders, "send_mail", original)
    run(obligation_reminders, "2021-12-11")
    assert len(mail.outbox) == 1 and not live(cadre_a).filter(emailed_at__isnull=True).exists()


def test_reminder_jobs_are_on_the_beat_schedule():
    from wuzha.celery import app

    app.loader.import_default_modules()
    names = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    for task in ("sites.tasks.keyperson_reminders_task", "campaigns.tasks.obligation_reminders",
                 "inspections.tasks.rectification_reminders"):  # fmt: skip
        assert task in names and task in app.tasks


def test_reminders_run_command_runs_every_job_for_a_given_day(campaign, cadre_a):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("reminders_run", "--date", "2021-12-10", stdout=out)
    call_command("reminders_run", "--date", "2021-12-10", stdout=out)
    assert "campaigns.tasks.obligation_reminders" in out.getvalue()
    assert live(cadre_a).filter(kind=Reminder.Kind.ENTERPRISE_VISIT).count() == 1


def test_admin_lists_reminders_read_only(client, cadre_a, admin_user):
    r = Reminder.objects.create(user=cadre_a, kind="keyperson", key="x", title="后台可见的提醒")
    client.force_login(admin_user)
    assert "后台可见的提醒" in client.get(reverse("admin:sites_reminder_changelist")).content.decode()
    assert client.get(reverse("admin:sites_reminder_add")).status_code == 403
    assert client.post(reverse("admin:sites_reminder_change", args=[r.pk]), {"title": "改"}).status_code == 403


def test_reminder_list_is_bounded(login, cadre_a, django_assert_max_num_queries):
    client = login(cadre_a)
    Reminder.objects.create(user=cadre_a, kind="keyperson", key="first", title="第一条")
    with django_assert_max_num_queries(9):
        small = client.get(reverse("sites:reminder_list"))
    Reminder.objects.bulk_create([Reminder(user=cadre_a, kind="rectification", key=f"r{n}", title=f"提醒{n}",
                                           due_on=dt.date(2022, 3, 1)) for n in range(60)])  # fmt: skip
    with django_assert_max_num_queries(9):
        large = client.get(reverse("sites:reminder_list"))
    assert "第一条" in small.content.decode() and "共 61 条" in large.content.decode()
