"""Demo data for the Dongqiao campaign (惠东桥政〔2021〕44号, 2021-11-17 → 2022-03-31); idempotent.

Enrolments of the town's sites, a few hundred propaganda activities spread over the period, school,
enterprise and village duties (with a few deliberate gaps so "what is missing" has something to show),
and some survey answers. All records are flagged `is_demo`; people are synthetic.
"""
import random
from datetime import date, datetime, time, timedelta

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from sites.models import Area, Site
from wuzha.lib.demo_files import demo_pdf

from .channels import CHANNEL_FIELDS, Channel
from .models import Activity, Campaign, EnrolmentChange, Enrolment, EnterpriseVisit, SchoolDuty, SurveyResponse, VillageDuty
from .obligations import months_between, semesters_between

START, END = date(2021, 11, 17), date(2022, 3, 31)
NAME = "“无诈小区”“无诈校园”“无诈企业”创建活动"
DOC_NO = "惠东桥政〔2021〕44号"
# Channels a village cadre uses most, weighted.
CHANNEL_WEIGHTS = [
    (Channel.DOOR_TO_DOOR, 30), (Channel.MATERIALS, 14), (Channel.WECHAT, 10), (Channel.BOARD, 6),
    (Channel.SLOGAN, 6), (Channel.BROADCAST, 6), (Channel.LED, 5), (Channel.FILM, 4), (Channel.EVENT, 5),
    (Channel.DOUYIN, 4), (Channel.BILLBOARD, 2), (Channel.WEIBO, 2), (Channel.LECTURE, 3), (Channel.OTHER, 1),
]  # fmt: skip
TITLES = {
    Channel.DOOR_TO_DOOR: "网格员入户敲门宣传,推广国家反诈中心APP", Channel.MATERIALS: "村口发放《防范电信网络诈骗》宣传折页",
    Channel.WECHAT: "村务微信群推送反诈提示", Channel.BOARD: "村部宣传栏更新反诈专栏", Channel.SLOGAN: "主干道张贴反诈标语",
    Channel.BROADCAST: "村广播站播放反诈提示", Channel.LED: "村部LED屏滚动播放反诈口号", Channel.FILM: "文化广场播放警示教育片",
    Channel.EVENT: "广场集中宣传活动", Channel.DOUYIN: "抖音发布反诈短视频", Channel.BILLBOARD: "户外广告牌投放反诈公益广告",
    Channel.WEIBO: "镇政务微博转发反诈案例", Channel.LECTURE: "反诈知识讲座", Channel.OTHER: "老年协会反诈座谈",
}  # fmt: skip
FIGURES = {
    "copies": (20, 400), "screenings": (1, 20), "people_reached": (30, 600), "households_visited": (10, 80),
    "posts": (1, 3), "views": (100, 5000), "teachers_reached": (20, 80), "students_reached": (200, 1500),
    "parents_reached": (50, 800),
}  # fmt: skip


def _moment(day: date, rng) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(rng.randrange(8, 21), rng.randrange(60))))


def _reach(rng, channel) -> dict:
    required, optional = CHANNEL_FIELDS[channel]
    values = {}
    for field in (*required, *[f for f in optional if rng.random() < 0.5]):
        if field == "post_links":
            continue
        low, high = FIGURES[field]
        values[field] = rng.randint(low, high)
    if "post_links" in required:
        values["post_links"] = "\n".join(
            f"https://mp.weixin.qq.com/s/demo-{rng.randrange(10**8):08d}" for _ in range(values["posts"])
        )
    return values


def _campaign() -> tuple[Campaign, bool]:
    town = Area.objects.get(code="350521106000")
    return Campaign.objects.get_or_create(
        scope=town, document_no=DOC_NO,
        defaults={"name": NAME, "starts_on": START, "ends_on": END, "assessment_on": END,
                  "site_kinds": [k for k in Site.Kind.values], "status": Campaign.Status.RUNNING, "is_demo": True,
                  # APP installs per resident aged 16–60 (schools: students, enterprises: employees)
                  "rules": {"install_base": "residents_16_60"}},
    )  # fmt: skip


def campaign() -> Campaign:
    """THE demo campaign of 东桥镇 under 惠东桥政〔2021〕44号: every demo module (inspections, installs, bulletins)
    takes it from here, so there is one campaign per 文号."""
    return _campaign()[0]


def _enrol(rng, campaign, sites) -> list[Enrolment]:
    statuses = [Enrolment.Status.BUILDING] * 6 + [Enrolment.Status.AWAITING] * 2 + [Enrolment.Status.NAMED] * 2
    enrolments = Enrolment.objects.bulk_create(
        Enrolment(campaign=campaign, site=s, applied_on=START + timedelta(days=rng.randrange(10)),
                  status=rng.choice(statuses), is_demo=True)
        for s in sites
    )  # fmt: skip
    EnrolmentChange.objects.bulk_create(
        EnrolmentChange(enrolment=e, from_status="", to_status=e.status, reason="演示数据:申报并审核") for e in enrolments
    )
    return enrolments


def _activities(rng, campaign, sites) -> None:
    channels, weights = zip(*CHANNEL_WEIGHTS, strict=True)
    rows = []
    days = (END - START).days
    for i in range(320):
        site = rng.choice(sites)
        channel = rng.choices(channels, weights)[0]
        if site.kind == Site.Kind.CAMPUS and rng.random() < 0.5:
            channel = rng.choice([Channel.CAMPUS_WEB, Channel.DINGTALK, Channel.LECTURE])
        on = START + timedelta(days=rng.randrange(days + 1))
        whole_village = site.kind == Site.Kind.VILLAGE and rng.random() < 0.5
        rows.append(Activity(
            campaign=campaign, village=site.village, site=None if whole_village else site, date=on, channel=channel,
            title=TITLES.get(channel, "反诈宣传"), cadres=rng.randrange(0, 4), police=rng.randrange(0, 2),
            grid_workers=rng.randrange(0, 4), volunteers=rng.randrange(0, 6),
            app_installs=rng.randrange(5, 60) if channel in (Channel.DOOR_TO_DOOR, Channel.EVENT) else 0,
            flag_late_entry=i % 37 == 0, is_demo=True, **_reach(rng, channel),
        ))  # fmt: skip
    created = Activity.objects.bulk_create(rows)
    for a in created:  # entered the same day or within three days; a few back-filled weeks later
        a.created_at = _moment(a.date + timedelta(days=20 if a.flag_late_entry else rng.randrange(0, 4)), rng)
    Activity.objects.bulk_update(created, ["created_at"])


def _schools(rng, campaign, schools) -> None:
    for n, school in enumerate(schools):
        SchoolDuty.objects.create(
            campaign=campaign, site=school, column_url=f"https://school{n + 1}.example.cn/fanzha" if n % 4 else "",
            rules_clause=n % 3 != 0, parents_total=(school.students or 0), is_demo=True,
        )  # fmt: skip
        for sem in semesters_between(START, END):
            if n % 5 == 4 and sem.starts.month == 2:
                continue  # one school in five has not held its spring event yet
            on = max(sem.starts, START) + timedelta(days=rng.randrange(10, 40))
            a = Activity.objects.create(
                campaign=campaign, village=school.village, site=school, date=on, channel=Channel.EVENT,
                title="全校反诈防骗集中宣传活动", people_reached=(school.students or 300) + (school.teachers or 20),
                teachers_reached=school.teachers, students_reached=school.students,
                parents_reached=(school.students or 0) // 2, police=1, is_demo=True,
            )  # fmt: skip
            Activity.objects.filter(pk=a.pk).update(created_at=_moment(on, rng))


def _enterprises(rng, campaign, firms) -> None:
    methods = ["刷单返利类诈骗", "冒充客服退款诈骗", "虚假投资理财诈骗", "冒充领导、熟人诈骗", "虚假贷款诈骗"]
    for n, firm in enumerate(firms):
        for month_start, month_end in months_between(START, END):
            if (n + month_start.month) % 7 == 0:
                continue  # a missed month now and then
            on = month_start + timedelta(days=rng.randrange((month_end - month_start).days + 1))
            visit = EnterpriseVisit.objects.create(
                campaign=campaign, site=firm, visited_on=on, visitors="镇安办 " + rng.choice(["陈建国", "林志明", "黄丽华"]),
                methods_pushed="、".join(rng.sample(methods, 2)), new_hires=rng.randrange(0, 40),
                finance_controls=rng.random() < 0.8, owners_educated=rng.random() < 0.7,
                risk_screening=rng.random() < 0.9, is_demo=True,
            )  # fmt: skip
            EnterpriseVisit.objects.filter(pk=visit.pk).update(created_at=_moment(on + timedelta(days=rng.randrange(3)), rng))


def _villages(rng, campaign, villages, hosts) -> None:
    for n, village in enumerate(villages):
        plans = {
            VillageDuty.Kind.PLAN: START + timedelta(days=rng.randrange(3, 12)),
            VillageDuty.Kind.OFFICE: START + timedelta(days=rng.randrange(3, 12)),
            VillageDuty.Kind.LAUNCH: START + timedelta(days=rng.randrange(10, 40)),  # a few late ceremonies
            VillageDuty.Kind.SUMMARY: END + timedelta(days=rng.randrange(3, 20)),
        }
        for kind, on in plans.items():
            if (kind == VillageDuty.Kind.OFFICE and n % 6 == 5) or (kind == VillageDuty.Kind.SUMMARY and n % 4 == 3):
                continue  # deliberate gaps
            duty = VillageDuty(campaign=campaign, village=village, kind=kind, done_on=on, is_demo=True,
                               members="村支书(组长)、村主任、治保主任、网格员 3 名(演示)" if kind == "office" else "")  # fmt: skip
            if kind in (VillageDuty.Kind.PLAN, VillageDuty.Kind.SUMMARY):  # a real PDF, as the document path asks
                pdf = demo_pdf(f"{VillageDuty.Kind(kind).label}(演示文件)")
                duty.document.save(f"{kind}-{village.code}.pdf", ContentFile(pdf), save=False)
            duty.save()
        if n % 3 == 0 and hosts:
            VillageDuty.objects.create(
                campaign=campaign, village=village, kind=VillageDuty.Kind.OBSERVATION,
                done_on=date(2022, 1, 10) + timedelta(days=n), host_site=rng.choice(hosts),
                visitors=f"{village.name}两委及网格员 {rng.randrange(4, 12)} 人", is_demo=True,
            )  # fmt: skip


def _survey(rng, enrolments) -> None:
    """Answers given during the campaign (the assessment counts those on or before its date)."""
    comments = ["宣传很到位", "希望多到小区来讲", "", "", "APP已经装了,很实用", ""]
    created = SurveyResponse.objects.bulk_create(
        SurveyResponse(enrolment=rng.choice(enrolments), satisfaction=rng.choices([5, 4, 3, 2, 1], [45, 35, 12, 5, 3])[0],
                       knows_app=rng.random() < 0.8, knows_hotline=rng.random() < 0.6, comment=rng.choice(comments),
                       is_demo=True)
        for _ in range(90)
    )  # fmt: skip
    days = (END - START).days
    for answer in created:
        answer.answered_at = _moment(START + timedelta(days=rng.randrange(20, days + 1)), rng)
    SurveyResponse.objects.bulk_update(created, ["answered_at"])


@transaction.atomic
def seed() -> Campaign:
    """Build the Dongqiao campaign and its records once; a second run changes nothing."""
    campaign, created = _campaign()
    if not created:
        return campaign
    rng = random.Random(2021_44)
    sites = list(Site.objects.filter(village__code__startswith="350521106", is_active=True).select_related("village"))
    enrolments = _enrol(rng, campaign, sites)
    _activities(rng, campaign, sites)
    _schools(rng, campaign, [s for s in sites if s.kind == Site.Kind.CAMPUS])
    _enterprises(rng, campaign, [s for s in sites if s.kind == Site.Kind.ENTERPRISE])
    villages = list(Area.objects.villages().filter(code__startswith="350521106"))
    _villages(rng, campaign, villages, [s for s in sites if s.kind != Site.Kind.VILLAGE][:5])
    _survey(rng, enrolments)
    return campaign
