"""Demo key persons, persons abroad, premises, sweeps, rectifications and incidents; idempotent.

All people, ID numbers (valid check digits, area 350521) and phones are synthetic and flagged `is_demo`.
Incidents fall inside the 2021-11-17 … 2022-03-31 campaign period, so a few sites break 三无.
Runs after sites.demo.seed() (it needs the tree, the sites and the demo users).
"""
import datetime as dt
import random

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db import transaction
from django.utils import timezone

from .demo import DONGQIAO_VILLAGES, GIVEN, LUOYANG_VILLAGES, SURNAMES
from .idcard import make_id_number, random_mobile
from .models import (
    AbroadCase, Area, Finding, Incident, KeyPerson, Measure, PersuasionAttempt, Premises, Rectification, Relative,
    Site, Sweep, Unit,
)  # fmt: skip
from .services_areas import incident_annul, incident_save, premises_save, sweep_record
from .services_keypersons import abroad_case_save, attempt_record, keyperson_save, measure_record, relative_save

CATEGORIES = ["record"] * 3 + ["abroad"] * 2 + ["cards"] * 3 + ["brushing"] * 2 + ["other"]
COUNTRIES = ["缅甸", "柬埔寨", "老挝", "菲律宾", "阿联酋"]
RELATIONS = ["父亲", "母亲", "配偶", "兄弟", "姐妹"]


def _name(rng):
    return rng.choice(SURNAMES) + "".join(rng.sample(GIVEN, 2))


def _user(username):
    return get_user_model().objects.filter(username=username).first()


def _key_persons(rng, villages, today):
    cadres = {"东桥村": _user("cadre_dongqiao"), "南湖村": _user("cadre_nanhu")}
    staff = _user("dq_staff")
    seq = 0
    for vname in DONGQIAO_VILLAGES + LUOYANG_VILLAGES:
        village = villages[vname]
        for _ in range(rng.randrange(3, 8)):
            seq += 1
            female = rng.random() < 0.3
            birth = dt.date(1965, 1, 1) + dt.timedelta(days=rng.randrange(0, 13000))
            number = make_id_number("350521", birth, seq, female)
            category = rng.choice(CATEGORIES)
            phone = random_mobile(rng)
            abroad = category == "abroad" and rng.random() < 0.7
            person = keyperson_save(actor=None, person=KeyPerson(
                village=village, name=_name(rng), gender="female" if female else "male", id_number=number,
                phone="" if abroad else phone, household_address=f"惠安县{village.parent.name}{village.name}{rng.randrange(1, 400)}号",
                category=category, risk_level=rng.choice(["high", "medium", "medium", "low"]),
                status="abroad" if abroad else rng.choice(["controlled"] * 5 + ["transformed", "detained"]),
                cadre=cadres.get(vname) or staff, police_officer=f"{rng.choice(SURNAMES)}警官(演示)", is_demo=True,
            ))  # fmt: skip
            relatives = [
                relative_save(actor=None, relative=Relative(person=person, name=_name(rng), relation=rng.choice(RELATIONS),
                                                            phone=random_mobile(rng)))  # fmt: skip
                for _ in range(rng.randrange(1, 3))
            ]
            done = today - dt.timedelta(days=rng.randrange(20, 120))
            for _ in range(rng.randrange(1, 4)):
                measure_record(actor=None, measure=Measure(
                    person=person, kind=rng.choice(Measure.Kind.values), done_on=done, done_by=person.cadre or staff,
                    content=rng.choice(["上门走访,了解近况,讲解反诈政策。", "约谈教育,签订承诺书。", "协调就业帮扶。",
                                        "电话联系,提醒不得出租出借银行卡和电话卡。"]),
                    next_due_on=done + dt.timedelta(days=rng.choice([15, 30, 60, 90])),
                ))  # fmt: skip
                done += dt.timedelta(days=rng.randrange(10, 40))
                if done > today:
                    break
            if abroad:
                _abroad(rng, person, relatives)
    if staff and not staff.user_permissions.filter(codename="view_full_pii").exists():
        staff.user_permissions.add(Permission.objects.get(codename="view_full_pii"))


def _abroad(rng, person, relatives):
    case = abroad_case_save(actor=None, case=AbroadCase(
        person=person, country=rng.choice(COUNTRIES), since=dt.date(2020, 1, 1) + dt.timedelta(days=rng.randrange(0, 600)),
    ))  # fmt: skip
    day = dt.date(2021, 11, 20) + dt.timedelta(days=rng.randrange(0, 20))
    path = ["family", "direct", "committed", rng.choice(["returned", "refuses", "lost", "committed"])]
    for stage in path[: rng.randrange(1, 5)]:
        via = "relative" if stage == "family" else "direct"
        attempt_record(actor=None, attempt=PersuasionAttempt(
            case=case, done_on=day, via=via, relative=relatives[0] if via == "relative" else None,
            channel="visit" if via == "relative" else rng.choice(["phone", "wechat", "video"]),
            outcome={"family": "向家属讲解政策,家属同意转达。", "direct": "与本人视频通话,宣讲法律后果。",
                     "committed": "本人承诺近期回国投案。", "returned": "本人已回国,到派出所说明情况。",
                     "refuses": "本人拒绝回国。", "lost": "联系不上本人,家属亦失联。"}[stage],
            stage_after=stage, done_by=person.cadre,
        ))  # fmt: skip
        day += dt.timedelta(days=rng.randrange(7, 30))


def _premises(rng, villages, today):
    creator = _user("cadre_dongqiao") or _user("dq_staff")
    kinds = ["rental", "rental", "rental", "hotel", "apartment", "office", "netcafe"]
    for vname in DONGQIAO_VILLAGES[:10] + LUOYANG_VILLAGES[:2]:
        village = villages[vname]
        site = Site.objects.filter(village=village).order_by("pk").first()
        created = []
        for i in range(rng.randrange(2, 5)):
            kind = rng.choice(kinds)
            name = f"{vname[:-1]}{Premises.Kind(kind).label.split('/')[0]}{i + 1}号楼(演示)"
            floors, per = rng.randrange(2, 6), rng.randrange(2, 5)
            labels = [f"{f}{n:02d}" for f in range(1, floors + 1) for n in range(1, per + 1)]
            created.append(premises_save(actor=None, units=labels, premises=Premises(
                village=village, site=site, kind=kind, name=name, address=f"惠安县东桥镇{vname}{rng.randrange(1, 300)}号",
                manager_name=_name(rng), manager_phone=random_mobile(rng), actual_population=len(labels) * rng.randrange(1, 4),
                risk_flags=rng.sample(Premises.RiskFlag.values, rng.randrange(0, 2)), is_demo=True,
            )))  # fmt: skip
        if not created or creator is None:
            continue
        for round_no, day in enumerate((dt.date(2021, 12, 10), dt.date(2022, 2, 20))):
            units = list(Unit.objects.filter(premises__in=created))
            visits = {u.pk: (rng.choice(["visited"] * 6 + ["nobody", "nobody", "refused", "vacant"]),
                             rng.randrange(0, 4), rng.randrange(0, 3)) for u in units if rng.random() < 0.8}  # fmt: skip
            sweep = sweep_record(actor=None, premises=created, visits=visits, sweep=Sweep(
                village=village, done_on=day, team=f"网格员{_name(rng)}、民警{_name(rng)}、志愿者{rng.randrange(2, 6)}人",
                created_by=creator, is_demo=True,
            ))  # fmt: skip
            if round_no == 0 and rng.random() < 0.4:
                Finding.objects.create(sweep=sweep, premises=created[0], kind=rng.choice(["group_rent", "device", "person"]),
                                       description="发现疑似群租及多张手机卡,已登记。", follow_up="移交派出所核查。")  # fmt: skip
    for i, vname in enumerate(DONGQIAO_VILLAGES[:4]):
        village = villages[vname]
        target = f"{vname}重点出租屋整治(演示)"
        if not Rectification.objects.filter(village=village, target=target).exists():
            closed = dt.date(2022, 1, 20) if i % 2 else None
            Rectification.objects.create(
                village=village, source=rng.choice(Rectification.Source.values), clue_ref=f"LXB-2021-{i + 11:03d}",
                target=target, actions="联合派出所、出租屋管理员开展清查,督促登记租客信息。", opened_on=dt.date(2021, 12, 1),
                due_on=dt.date(2022, 1, 31), closed_on=closed, result="已完成整改" if closed else "", is_demo=True,
            )  # fmt: skip


INCIDENTS = [
    # village, site kind, kind, date, fraud type, amount
    ("东桥村", "community", "victim", dt.date(2021, 12, 8), "brushing", "12800"),
    ("珩海村", "enterprise", "victim", dt.date(2022, 1, 17), "investment", "56000"),
    ("南湖村", "village", "suspect", dt.date(2022, 2, 3), "brushing", None),
    ("燎原村", "enterprise", "den", dt.date(2022, 3, 2), "other", None),
    ("西湖村", "community", "victim", dt.date(2022, 1, 9), "service", "3200"),
    ("溪东村(演示)", "village", "victim", dt.date(2022, 2, 14), "romance", "88000"),
]


def _incidents():
    staff = _user("dq_staff")
    if staff is None or Incident.objects.filter(is_demo=True).exists():
        return
    for vname, kind, ikind, day, fraud, amount in INCIDENTS:
        site = Site.objects.filter(village__name=vname, kind=kind).order_by("pk").first()
        if site is None:
            continue
        incident_save(actor=None, incident=Incident(
            site=site, kind=ikind, occurred_on=day, fraud_type=fraud,
            amount_lost=amount, police_case_no=f"惠公(东)立字〔{day:%Y}〕{day:%m%d}号(演示)",
            summary="演示案情:受害人轻信网络刷单返利,多次转账后无法提现。" if ikind == "victim" else "演示:公安机关通报。",
            status="investigating", entered_by=staff, is_demo=True,
        ))  # fmt: skip
    wrong = incident_save(actor=None, incident=Incident(
        site=Site.objects.filter(village__name="东桥村").order_by("pk").first(), kind="victim", occurred_on=dt.date(2022, 1, 5),
        fraud_type="loan", amount_lost="500", summary="演示:登记错误的记录。", entered_by=staff, is_demo=True,
    ))  # fmt: skip
    incident_annul(actor=staff, incident=wrong, reason="重复登记(演示)")


@transaction.atomic
def seed() -> None:
    rng = random.Random(20211117 + 4)
    villages = {a.name: a for a in Area.objects.villages()}
    today = timezone.localdate()
    # Each family is seeded whole or not at all (one transaction), so a second run changes nothing.
    if not KeyPerson.objects.filter(is_demo=True).exists():
        _key_persons(rng, villages, today)
    if not Premises.objects.filter(is_demo=True).exists():
        _premises(random.Random(20211117 + 5), villages, today)
    _incidents()
