"""Demo data of issue 10: bulletins with acknowledgements, tip-offs, and official install figures for the
Dongqiao campaign. Idempotent: running it twice changes nothing. All people and phones are synthetic."""
import datetime as dt
import random

from django.contrib.auth import get_user_model
from django.utils import timezone

from sites.models import Area, Site, TipOff
from sites.services_tipoffs import tipoff_assign, tipoff_close, tipoff_note, tipoff_submit

from . import demo
from .bulletin_services import bulletin_publish, receipt_acknowledge
from .models import Bulletin, BulletinReceipt, OfficialInstallFigure

BULLETINS = [
    ("新员工入职季警惕“刷单返利”", Bulletin.FraudType.BILLING, ["enterprise"], 20,
     "某鞋厂新入职员工被拉进“兼职群”,先做小额任务获返利,随后被诱导大额垫付,被骗 3.6 万元。",
     "凡是要求先垫付的刷单、点赞、做任务都是诈骗;不加陌生群,不下载陌生 APP;拿不准拨打 96110。"),
    ("冒充“网课老师”让家长扫码缴费", Bulletin.FraudType.IMPERSONATE_CS, ["campus"], None,
     "骗子混入班级群冒充老师,发布收取资料费二维码,多名家长扫码付款。",
     "缴费请当面或电话向班主任核实;学校不会在群里发收款码;发现后立即截图并报警。"),
    ("出租出借银行卡、手机卡是违法行为", Bulletin.FraudType.TWO_CARDS, [], None,
     "有村民以每张 300 元出租银行卡,被诈骗团伙用于转移赃款,已被依法惩戒,五年内限制开卡。",
     "不出租、不出借、不出售“两卡”;发现有人收购,请匿名举报。"),
]  # fmt: skip

TIPS = [
    ("den", "隔壁出租屋白天拉窗帘,晚上很多年轻人进出,听到在打电话念稿子。", "3号楼2单元附近", "陈先生", "13900001111"),
    ("device", "村口小店里有一台插满手机卡的机器,一直在闪灯。", "村口便利店", "", ""),
    ("two_cards", "微信群里有人高价收银行卡和手机卡,说是“做流水”。", "", "", ""),
    ("attempt", "接到自称快递客服的电话说要理赔,让我下载会议软件共享屏幕,我挂了。", "", "林女士", "13700002222"),
]  # fmt: skip


def _bulletins(staff, rng) -> None:
    if Bulletin.objects.filter(is_demo=True).exists():
        return
    town = Area.objects.get(code="350521106000")
    for i, (title, kind, kinds, hires, what, guard) in enumerate(BULLETINS):
        b = bulletin_publish(actor=staff, is_demo=True, bulletin=Bulletin(
            area=town, title=title, fraud_type=kind, site_kinds=kinds, min_new_hires=hires, what_happened=what,
            how_to_guard=guard, due_days=7, published_at=timezone.now() - dt.timedelta(days=20 - 6 * i),
        ))  # fmt: skip
        for receipt in b.receipts.select_related("village", "site"):
            if rng.random() < 0.6:
                receipt_acknowledge(actor=None, receipt=receipt, channel=rng.choice(BulletinReceipt.Channel.values),
                                    people_reached=rng.randint(20, 300), note="演示数据")  # fmt: skip


def _tips(staff) -> None:
    if TipOff.objects.filter(is_demo=True).exists():
        return
    villages = list(Area.objects.villages().filter(code__startswith="350521106").order_by("code")[:4])
    for (kind, what, address, name, phone), village in zip(TIPS, villages, strict=False):
        tip = tipoff_submit(kind=kind, what=what, village=village, address=address, contact_name=name,
                            contact_phone=phone, is_demo=True)  # fmt: skip
        if kind in ("den", "two_cards"):
            tipoff_assign(actor=staff, tip=tip, assignee=staff)
            tipoff_note(actor=staff, tip=tip, text="已联系网格员核实。")
        if kind == "two_cards":
            tipoff_close(actor=staff, tip=tip, outcome=TipOff.Outcome.REFERRED, note="已移交派出所处理。")


def _installs(campaign) -> None:
    if OfficialInstallFigure.objects.filter(campaign=campaign, is_demo=True).exists():
        return
    rng = random.Random(10)
    sites = Site.objects.filter(village__code__startswith="350521106", enrolments__campaign=campaign)[:12]
    for site in sites:
        OfficialInstallFigure.objects.create(
            campaign=campaign, village_id=site.village_id, site=site, as_of=dt.date(2022, 1, 31),
            installs=rng.randint(20, 400), source="演示数据", is_demo=True,
        )  # fmt: skip


def seed() -> None:
    staff = get_user_model().objects.filter(username="dq_staff").first()
    if staff is None:
        return
    rng = random.Random(2022)
    _bulletins(staff, rng)
    _tips(staff)
    campaign = demo.campaign()
    if campaign:
        _installs(campaign)
