"""Demo tree, sites and users for Hui'an county. Every record is flagged `is_demo`; people are synthetic.

Village names of Dongqiao are the real ones (../shared/docs/dongqiao.md); town and village codes
below the county's 350521 are made up and said to be so on every page (the demo banner).
"""
import random

from django.contrib.auth import get_user_model
from django.db import transaction

from .models import Area, Site
from .roles import Role
from .services import membership_grant

DEMO_PASSWORD = "Wuzha-demo-2022"

COUNTY = ("350521000000", "惠安县")
DONGQIAO = ("350521106000", "东桥镇")
DONGQIAO_VILLAGES = [
    "东桥村", "南湖村", "珩山村", "西坑村", "大吴村", "珩海村", "燎原村", "厝斗村", "坑尾村", "西湖村",
    "香山村", "竿岭村", "梅庄村", "屿头山村", "埔殊村", "散湖村", "后建村", "东湖村", "莲塘村",
]  # fmt: skip
LUOYANG = ("350521102000", "螺阳镇")
LUOYANG_VILLAGES = ["锦水社区(演示)", "溪东村(演示)", "上坂村(演示)", "下坂村(演示)"]

COMMUNITIES = [
    ("东桥村", "东桥街安居小区"), ("东桥村", "镇府新村小区"), ("南湖村", "南湖花园小区"), ("珩海村", "石化园区员工公寓"),
    ("西湖村", "西湖新苑小区"), ("埔殊村", "埔殊商住小区"), ("莲塘村", "莲塘和顺小区"), ("大吴村", "大吴侨乡小区"),
    ("锦水社区(演示)", "锦水名苑"), ("溪东村(演示)", "溪东花园"),
]  # fmt: skip
CAMPUSES = [
    ("埔殊村", "福建惠安开成职业中专学校", Site.SchoolLevel.VOCATIONAL),
    ("西湖村", "西湖实验小学", Site.SchoolLevel.PRIMARY),
    ("东桥村", "东桥镇第一初级中学(演示名)", Site.SchoolLevel.JUNIOR),
    ("珩山村", "东桥镇第二初级中学(演示名)", Site.SchoolLevel.JUNIOR),
    ("梅庄村", "东桥镇第三初级中学(演示名)", Site.SchoolLevel.JUNIOR),
    ("南湖村", "南湖中心小学(演示名)", Site.SchoolLevel.PRIMARY),
    ("香山村", "香山小学(演示名)", Site.SchoolLevel.PRIMARY),
    ("锦水社区(演示)", "螺阳实验小学(演示名)", Site.SchoolLevel.PRIMARY),
]
ENTERPRISE_WORDS = ["石化", "新材料", "化工", "物流", "港务", "能源", "塑胶", "机械", "建材", "电气", "环保", "包装"]

SURNAMES = "陈林黄张李王吴刘蔡杨许郑谢郭洪曾庄苏"
GIVEN = "建国志明丽华秀英文彬海燕晓东俊杰雅琴金水美玲国强艺璇婷婷振宇"


def _person(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.sample(GIVEN, 2))


def _phone(rng: random.Random) -> str:
    return "1" + rng.choice("3589") + "".join(str(rng.randrange(10)) for _ in range(9))


def _tree() -> dict[str, Area]:
    county, _ = Area.objects.get_or_create(
        code=COUNTY[0], defaults={"name": COUNTY[1], "level": Area.Level.COUNTY, "is_demo": True}
    )
    villages = {}
    for (town_code, town_name), names in ((DONGQIAO, DONGQIAO_VILLAGES), (LUOYANG, LUOYANG_VILLAGES)):
        town, _ = Area.objects.get_or_create(
            code=town_code,
            defaults={"name": town_name, "level": Area.Level.TOWN, "parent": county, "is_demo": True},
        )
        for i, name in enumerate(names, start=1):
            villages[name], _ = Area.objects.get_or_create(
                code=f"{town_code[:9]}{200 + i:03d}",
                defaults={"name": name, "level": Area.Level.VILLAGE, "parent": town, "is_demo": True},
            )
    return {"county": county, "dongqiao": Area.objects.get(code=DONGQIAO[0]), **villages}


def _site(rng, village: Area, kind: str, name: str, **sizes) -> Site:
    site, created = Site.objects.get_or_create(
        village=village,
        name=name,
        defaults={
            "kind": kind,
            "address": f"惠安县{village.parent.name}{village.name}{rng.randrange(1, 300)}号",
            "contact_name": _person(rng),
            "contact_phone": _phone(rng),
            "is_demo": True,
            **sizes,
        },
    )
    if created:
        site.full_clean()
    return site


def _sites(rng: random.Random, areas: dict[str, Area]) -> None:
    for name in DONGQIAO_VILLAGES + LUOYANG_VILLAGES:
        households = rng.randrange(600, 1800)
        residents = households * rng.randrange(3, 5)
        _site(rng, areas[name], Site.Kind.VILLAGE, f"{name}(整村创建)", households=households, residents=residents,
              residents_16_60=residents * 62 // 100)  # the 东桥镇 campaign's install base  # fmt: skip
    for village, name in COMMUNITIES:
        households = rng.randrange(120, 900)
        _site(rng, areas[village], Site.Kind.COMMUNITY, name, households=households, residents=households * 3,
              residents_16_60=households * 3 * 65 // 100)  # fmt: skip
    for village, name, level in CAMPUSES:
        students = rng.randrange(300, 2500)
        _site(rng, areas[village], Site.Kind.CAMPUS, name, school_level=level, students=students,
              teachers=students // 14)  # fmt: skip
    zone = ["珩海村", "珩山村", "西坑村", "燎原村", "坑尾村", "屿头山村", "散湖村", "后建村", "东湖村", "厝斗村"]
    for i in range(40):
        village = zone[i % len(zone)] if i < 34 else LUOYANG_VILLAGES[i % 4]
        word = ENTERPRISE_WORDS[i % len(ENTERPRISE_WORDS)]
        employees = rng.randrange(30, 1200)
        _site(rng, areas[village], Site.Kind.ENTERPRISE, f"惠安{village[:2]}{word}有限公司{i + 1:02d}(演示)",
              employees=employees, new_hires_this_year=employees * rng.randrange(5, 40) // 100)  # fmt: skip


DEMO_USERS = [
    # username, full name, role, area name or site name
    ("county_staff", "县综治办·演示", Role.STAFF, "county"),
    ("dq_staff", "东桥镇综治办·演示", Role.STAFF, "dongqiao"),
    ("dq_inspector", "东桥镇督查员·演示", Role.INSPECTOR, "dongqiao"),
    ("cadre_dongqiao", "东桥村干部·演示", Role.CADRE, "东桥村"),
    ("cadre_nanhu", "南湖村干部·演示", Role.CADRE, "南湖村"),
    ("school_xihu", "西湖实验小学联络员·演示", Role.LIAISON, "site:西湖实验小学"),
    ("enterprise_liaison", "企业联络员·演示", Role.LIAISON, "site:惠安珩海石化有限公司01(演示)"),
    ("ly_staff", "螺阳镇综治办·演示", Role.STAFF, "luoyang"),
]


def _users(areas: dict[str, Area]) -> list[tuple[str, str, str]]:
    User = get_user_model()
    areas = {**areas, "luoyang": Area.objects.get(code=LUOYANG[0])}
    logins = []
    for username, full_name, role, target in DEMO_USERS:
        user, created = User.objects.get_or_create(username=username, defaults={"first_name": full_name})
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        if target.startswith("site:"):
            membership_grant(user=user, role=role, site=Site.objects.get(name=target[5:]))
        else:
            membership_grant(user=user, role=role, area=areas[target])
        logins.append((username, Role(role).label, full_name))
    admin, created = User.objects.get_or_create(
        username="admin", defaults={"first_name": "系统管理员·演示", "is_staff": True, "is_superuser": True}
    )
    if created:
        admin.set_password(DEMO_PASSWORD)
        admin.save()
    logins.append(("admin", "系统管理员", "可进入管理后台"))
    return logins


@transaction.atomic
def seed() -> list[tuple[str, str, str]]:
    """Build the demo tree, sites and users; idempotent. Returns the demo logins."""
    rng = random.Random(20211117)
    areas = _tree()
    _sites(rng, areas)
    return _users(areas)
