"""Demo standards (one per site kind, out of 100, drawn from the notice's measures N3–N6), plans and results,
and the assessment showcase: the sites that a compile as of 2022年3月31日 proposes for a title, and those it
refuses, each for one reason a user can read (SHOWCASE).

Idempotent: every record is found by a natural key before it is made. The campaign is THE Dongqiao campaign of
`campaigns.demo` (one campaign per 文号); this module owns the plans, inspections and rectifications, and the
official install figures and concentrated events of the showcase sites.
"""

import datetime
import random
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction

from campaigns import demo as campaigns_demo
from campaigns.channels import Channel
from campaigns.models import Activity, Campaign, OfficialInstallFigure
from sites.models import Site

from . import services
from .models import Inspection, InspectionPlan, Rectification, Standard, StandardItem

MT, OS, SV = StandardItem.Method.MATERIAL, StandardItem.Method.ONSITE, StandardItem.Method.SURVEY
PF, RG, DD, VT = "pass_fail", "range", "deduction", "veto"

# (项目, 标准, 分值, 考评方式, 计分方式, 每次扣分, 扣分规则, 可不适用)
COMMON = [
    ("组织领导", "制定创建工作方案,成立工作专班,明确目标和责任分工(N6.1)", 10, MT, PF, 0, "无方案或无专班不得分", False),  # noqa: E501
    ("广泛发动", "举办创建活动启动仪式,动员群众参与(N6.2)", 5, MT, PF, 0, "未举办不得分", False),
    ("群众满意", "随机抽问群众对反诈宣传的知晓和满意情况(N6.2)", 10, SV, RG, 0, "按知晓、满意比例酌情打分", False),
    ("三无底线", "创建期间无电诈被骗案件、无电诈犯罪嫌疑人、无电诈窝点", 0, OS, VT, 0, "任一发生即一票否决", False),
]
RESIDENTIAL = COMMON + [
    (
        "阵地宣传",
        "宣传板栏、广播站、户外广告牌、LED屏张贴标语、播放警示片(N3.1)",
        15,
        OS,
        DD,
        3,
        "每发现一处缺失扣3分,扣完为止",
        False,
    ),
    ("新媒体宣传", "利用微信、微博、抖音等新媒体不间断推送(N3.2)", 10, MT, RG, 0, "按推送频次和覆盖面打分", False),
    ("网格宣传", "网格员、村干部、民警、志愿者入户宣传,发放材料(N3.3)", 15, SV, DD, 5, "每抽到一户不知晓扣5分", False),
    (
        "重点人员",
        "涉诈重点人员一人一档全息档案,落实管控、教育、帮扶(N4.1、N4.2)",
        15,
        MT,
        DD,
        5,
        "每发现一人未建档扣5分",
        True,
    ),
    ("境外滞留人员", "对滞留境外人员开展劝返和政策宣讲(N4.3)", 5, MT, PF, 0, "未开展不得分", True),
    ("楼宇管理", "掌握楼宇实有人口,定期开展“扫楼行动”(N5.1、N5.3)", 15, OS, DD, 5, "每发现一栋未扫楼扣5分", False),
]
CAMPUS = COMMON + [
    ("网站专栏", "学校官网开设防范电信网络诈骗宣传专栏(N3.4)", 15, OS, PF, 0, "未开设不得分", False),
    (
        "校园阵地",
        "校园网站、微信、钉钉、广播、LED屏揭示诈骗手段和防范要点(N3.4)",
        15,
        OS,
        RG,
        0,
        "按阵地覆盖情况打分",
        False,
    ),
    ("新媒体提示", "通过新媒体发布防范提示和身边典型案例(N3.4)", 10, MT, RG, 0, "按发布频次打分", False),
    ("宣传产品", "印发防范宣传产品,覆盖全体师生(N3.4)", 10, SV, DD, 2, "每抽到一名未收到扣2分", False),
    ("师生知晓", "随机抽问学生常见诈骗手法和防范要点(N3.4)", 15, SV, DD, 3, "每抽到一名答不出扣3分", False),
    ("家校联动", "发放致家长一封信,家校共同防范(N3.4)", 10, MT, PF, 0, "未开展不得分", True),
]
ENTERPRISE = COMMON + [
    ("每月走访", "安办每月深入企业开展反诈宣传,有记录(N3.5)", 15, MT, DD, 5, "每缺一个月扣5分", False),
    ("手法推送", "及时推送联席办发布的作案方式和预防措施(N3.5)", 10, MT, RG, 0, "按推送及时性打分", False),
    ("新员工教育", "新招员工岗前开展反诈教育(N3.5)", 15, SV, DD, 3, "每抽到一名未受教育扣3分", True),
    ("财务制度", "完善财务管理制度,负责人和财务人员专题教育(N3.5)", 20, OS, RG, 0, "按制度和教育落实情况打分", False),
    ("风险排查", "落实常态化风险排查措施(N3.5)", 15, MT, PF, 0, "未落实不得分", False),
]
SHEETS = {Site.Kind.VILLAGE: RESIDENTIAL, Site.Kind.COMMUNITY: RESIDENTIAL, Site.Kind.CAMPUS: CAMPUS,
          Site.Kind.ENTERPRISE: ENTERPRISE}  # fmt: skip
POPULATION = {Site.Kind.VILLAGE: "age_16_60", Site.Kind.COMMUNITY: "residents", Site.Kind.CAMPUS: "students",
              Site.Kind.ENTERPRISE: "employees"}  # fmt: skip


def gates_for(kind: str) -> dict:
    return {"all": [
        {"any": [{"fact": "victim_cases", "op": "<=", "value": 0}, {"fact": "victim_cases", "drop_pct_at_least": 50}]},
        {"fact": "suspects", "op": "==", "value": 0},
        {"fact": "dens", "op": "==", "value": 0},
        {"fact": "max_single_loss", "op": "<=", "value": 50000},
        {"fact": "app_install_rate", "population": POPULATION[kind], "op": ">=", "value": 80},
        {"fact": "concentrated_events", "op": ">=", "value": 2},
        {"fact": "open_rectifications", "op": "==", "value": 0},
    ]}  # fmt: skip


def campaign() -> Campaign:
    return campaigns_demo.campaign()


def standards(camp: Campaign) -> None:
    for kind, rows in SHEETS.items():
        if Standard.objects.filter(campaign=camp, site_kind=kind).exists():
            continue
        label = Site.Kind(kind).label
        standard = services.standard_save(actor=None, standard=Standard(
            campaign=camp, site_kind=kind, name=f"东桥镇“无诈{label}”创建评分表", gates=gates_for(kind), is_demo=True,
        ))  # fmt: skip
        items = [StandardItem(section=a, text=b, max_points=Decimal(c), method=d, scoring=e, deduction_per=Decimal(f),
                              rule_text=g, allow_na=h) for a, b, c, d, e, f, g, h in rows]  # fmt: skip
        services.standard_set_items(actor=None, standard=standard, items=items)


def _marks(rng, inspection) -> dict:
    marks = {}
    for item in inspection.standard.items.all():
        if item.scoring in (PF, VT):
            mark = {"passed": item.scoring == VT or rng.random() > 0.2}
        elif item.scoring == RG:
            mark = {"points": Decimal(rng.randrange(int(item.max_points * 6 // 10), int(item.max_points) + 1))}
        else:
            mark = {"occurrences": rng.choice([0, 0, 1, 2])}
        mark["self_points"] = item.max_points
        mark["note"] = "" if rng.random() > 0.4 else f"{item.section}:现场发现不足,已当场指出"
        marks[item.pk] = mark
    return marks


def _perfect(inspection) -> dict:
    """Full marks: every condition met, no deduction (the showcase's titled sites)."""
    marks = {}
    for item in inspection.standard.items.all():
        mark = {PF: {"passed": True}, VT: {"passed": True}, RG: {"points": item.max_points}}.get(item.scoring, {"occurrences": 0})
        marks[item.pk] = {**mark, "self_points": item.max_points, "note": ""}
    return marks


def _poor(inspection) -> dict:
    """Weak marks with a note on each deduction (the showcase's site below the title line)."""
    marks = {}
    for item in inspection.standard.items.all():
        if item.scoring == VT:
            mark = {"passed": True}
        elif item.scoring == PF:
            mark = {"passed": False}
        elif item.scoring == RG:
            mark = {"points": (item.max_points * 5 // 10)}
        else:
            mark = {"occurrences": 2}
        marks[item.pk] = {**mark, "self_points": item.max_points, "note": f"{item.section}:现场抽查不达标(演示)"}
    return marks


# The assessment showcase: (plan, site, marks, day of the visit, what the compile as of 2022-03-31 should say).
JANUARY = "2022年1月村居创建明查"
MARCH = "2022年3月校园企业小区明查"
SHOWCASE = [
    (JANUARY, "东桥村(整村创建)", "random", datetime.date(2022, 1, 12), "有整改未完成"),
    (JANUARY, "南湖村(整村创建)", "perfect", datetime.date(2022, 1, 13), "“三无”不成立:2022年2月3日 电诈犯罪嫌疑人"),
    (JANUARY, "西湖村(整村创建)", "random", datetime.date(2022, 1, 14), "得分低于命名分数线"),
    (JANUARY, "珩海村(整村创建)", "perfect", datetime.date(2022, 1, 17), "拟命名"),
    (MARCH, "西湖实验小学", "perfect", datetime.date(2022, 3, 8), "拟命名"),
    (MARCH, "惠安珩海环保有限公司11(演示)", "perfect", datetime.date(2022, 3, 9), "拟命名"),
    (MARCH, "镇府新村小区", "perfect", datetime.date(2022, 3, 10), "拟命名"),
    (MARCH, "东桥街安居小区", "perfect", datetime.date(2022, 3, 10), "“三无”不成立:2021年12月8日 电诈被骗案件"),
    (MARCH, "南湖中心小学(演示名)", "perfect", datetime.date(2022, 3, 11), "达标条件未满足:反诈APP安装率不足"),
    (MARCH, "南湖花园小区", "poor", datetime.date(2022, 3, 14), "得分低于命名分数线"),
    (MARCH, "惠安燎原物流有限公司04(演示)", "perfect", datetime.date(2022, 3, 15), "“三无”不成立:2022年3月2日 电诈窝点"),
]
PLANS = {
    JANUARY: (datetime.date(2022, 1, 10), datetime.date(2022, 1, 20), datetime.date(2022, 1, 25)),
    MARCH: (datetime.date(2022, 3, 1), datetime.date(2022, 3, 20), datetime.date(2022, 3, 22)),
}
INSTALLED = 0.9  # the titled showcase sites' official install figure, of their population (the gate asks 80 %)


def _published_plans(camp: Campaign, staff, inspector, rng) -> None:
    User = get_user_model()
    cadre = User.objects.get(username="cadre_dongqiao")
    for name, (starts, ends, published) in PLANS.items():
        if InspectionPlan.objects.filter(campaign=camp, name=name).exists():
            continue
        plan = services.plan_create(actor=staff, plan=InspectionPlan(
            campaign=camp, area=camp.scope, name=name, kind=InspectionPlan.Kind.ANNOUNCED,
            starts_on=starts, ends_on=ends, is_demo=True,
        ), crew=[(inspector, None)])  # fmt: skip
        for plan_name, site_name, how, day, _expected in SHOWCASE:
            if plan_name != name:
                continue
            inspection = services.plan_add_site(actor=staff, plan=plan, site=Site.objects.get(name=site_name),
                                                inspector=inspector)  # fmt: skip
            marks = {"perfect": _perfect, "poor": _poor}.get(how, lambda i: _marks(rng, i))(inspection)
            services.inspection_save_marks(actor=inspector, inspection=inspection, marks=marks)
            services.inspection_submit(actor=inspector, inspection=inspection, inspected_on=day)
            services.inspection_approve(actor=staff, inspection=inspection, comment="材料齐全,同意。")
        services.plan_publish(actor=staff, plan=plan, today=published)
        _answer_rectifications(plan, staff, cadre)


def _answer_rectifications(plan, staff, cadre) -> None:
    """东桥村: two tasks answered, one of them verified, the rest still open (they block its title);
    南湖花园小区 answered every task and had each verified: only its score keeps it below the line."""
    tasks = Rectification.objects.filter(inspection__plan=plan).select_related("site").order_by("pk")
    for n, rect in enumerate(t for t in tasks if t.site.name == "东桥村(整村创建)"):
        if n < 2:
            services.rectification_respond(actor=cadre, rectification=rect, response="已按要求整改,补齐台账和宣传栏。")
        if n == 0:
            services.rectification_verify(actor=staff, rectification=rect, accept=True, note="复查合格。",
                                          restore_points=rect.points_deducted / 2)  # fmt: skip
    nanhu = get_user_model().objects.get(username="cadre_nanhu")
    for rect in (t for t in tasks if t.site.name == "南湖花园小区"):
        services.rectification_respond(actor=nanhu, rectification=rect, response="已整改(演示)。")
        services.rectification_verify(actor=staff, rectification=rect, accept=True, note="复查合格。")


def _showcase_records(camp: Campaign) -> None:
    """What the titled showcase sites did besides passing the inspection: two concentrated events each in the period
    and an official install figure of 90 % of their population (南湖中心小学 holds its events, but no installs)."""
    if OfficialInstallFigure.objects.filter(campaign=camp, source="演示数据(考核示例)").exists():
        return
    for _plan, site_name, _how, day, expected in SHOWCASE:
        if expected != "拟命名" and "APP" not in expected:
            continue
        site = Site.objects.get(name=site_name)
        population = max(site.residents or 0, site.students or 0, site.employees or 0)
        installs = int(population * INSTALLED) if expected == "拟命名" else 0
        days = [(datetime.date(2021, 12, 10), Channel.LECTURE), (datetime.date(2022, 2, 25), Channel.EVENT)]
        if site.kind in (Site.Kind.VILLAGE, Site.Kind.COMMUNITY):  # the rolling "door to door in the last 30 days"
            days.append((datetime.date(2022, 3, 18), Channel.DOOR_TO_DOOR))
        for on, channel in days:
            Activity.objects.create(
                campaign=camp, village=site.village, site=site, date=on, channel=channel, title=f"{channel.label}(考核示例)",
                people_reached=max(100, population // 2), households_visited=80 if channel == Channel.DOOR_TO_DOOR else None,
                cadres=2, police=1, grid_workers=2, app_installs=installs // len(days), is_demo=True,
            )  # fmt: skip
        if installs:
            OfficialInstallFigure.objects.create(
                campaign=camp, village_id=site.village_id, site=site, as_of=datetime.date(2022, 3, 25), installs=installs,
                source="演示数据(考核示例)", is_demo=True,
            )  # fmt: skip


def plans(camp: Campaign) -> None:
    User = get_user_model()
    staff, inspector = User.objects.get(username="dq_staff"), User.objects.get(username="dq_inspector")
    rng = random.Random(2022)
    sealed_rng = random.Random(2023)
    if not InspectionPlan.objects.filter(campaign=camp, name="2022年3月小区暗访(密封)").exists():
        plan = services.plan_create(actor=staff, plan=InspectionPlan(
            campaign=camp, area=camp.scope, name="2022年3月小区暗访(密封)", kind=InspectionPlan.Kind.UNANNOUNCED,
            starts_on=datetime.date(2022, 3, 1), ends_on=datetime.date(2022, 3, 20), is_demo=True,
        ), crew=[(inspector, None)])  # fmt: skip
        services.plan_draw(actor=staff, plan=plan, n=3, kind=Site.Kind.COMMUNITY, seed=20220301)
        first = plan.inspections.order_by("pk").first()
        marks = _marks(sealed_rng, first)
        services.inspection_save_marks(actor=inspector, inspection=first, marks=dict(list(marks.items())[:4]))
    # After the draw: the draw keeps an inspector from checking the same site twice in a row.
    _published_plans(camp, staff, inspector, rng)


@transaction.atomic
def seed() -> None:
    camp = campaign()
    standards(camp)
    plans(camp)
    _showcase_records(camp)
    Inspection.objects.filter(plan__campaign=camp).update(is_demo=True)
