"""The activities ledger (宣传活动台账, N3.1–N3.4) in Excel: upsert by site + date + channel + 台账编号, closed
campaigns locked, all or nothing, scoped."""
import datetime as dt

import pytest

from campaigns.models import Activity, Campaign
from sites.imports import registry
from tests.sites.ledger_kit import dry_run, export_xlsx, fill_template, import_file, rejected

from .factories import ActivityFactory, CampaignFactory

LEDGER = registry.get("activities")


def row(village, **over):
    base = {"所属村/社区": village.name, "开展日期": "2021.12.5", "宣传渠道": "宣传栏/展板", "台账编号": "A-1",
            "主题/地点": "村口宣传栏", "村干部人数": 2, "数量(份/块/幅)": 3}  # fmt: skip
    return {**base, **over}


def test_template_round_trip_and_client_key_upsert_N3_1(world, cadre_a):
    campaign = CampaignFactory(scope=world.county)
    rows = [row(world.village_a), row(world.village_a, 台账编号="A-2", 创建单位=world.site_a.name),
            row(world.village_a, 台账编号="A-3", 宣传渠道="微信", **{"数量(份/块/幅)": None, "发布条数": 1,
                                                                   "链接": "https://mp.weixin.qq.com/s/abc"})]  # fmt: skip
    assert import_file(LEDGER, fill_template(LEDGER, rows), cadre_a).counts["create"] == 3
    board = Activity.objects.get(client_key="A-1")
    assert (board.campaign, board.village, board.site, board.date) == (campaign, world.village_a, None, dt.date(2021, 12, 5))
    assert board.copies == 3 and board.cadres == 2 and board.created_by == cadre_a
    assert Activity.objects.get(client_key="A-3").post_links == "https://mp.weixin.qq.com/s/abc"
    again = fill_template(LEDGER, [row(world.village_a, **{"数量(份/块/幅)": 5}), rows[1]])
    assert import_file(LEDGER, again, cadre_a).counts == {"create": 0, "update": 1, "unchanged": 1}
    assert Activity.objects.count() == 3 and Activity.objects.get(client_key="A-1").copies == 5


def test_export_imports_back_unchanged_N3_1(world, cadre_a):
    campaign = CampaignFactory(scope=world.county)
    ActivityFactory(campaign=campaign, village=world.village_a, client_key="K1")
    ActivityFactory(campaign=campaign, site=world.school_a, channel=Activity.Channel.LECTURE, households_visited=None,
                    people_reached=300, students_reached=250)  # fmt: skip
    ActivityFactory(campaign=campaign, site=world.site_b)  # village B: not cadre_a's
    result = dry_run(LEDGER, export_xlsx(LEDGER, cadre_a), cadre_a)
    assert result.errors == [] and result.counts == {"create": 0, "update": 0, "unchanged": 2}


def test_error_in_the_last_row_writes_nothing_N3_1(world, cadre_a):
    CampaignFactory(scope=world.county)
    rows = [row(world.village_a, 台账编号=f"A-{i}") for i in range(5)]
    rows.append(row(world.village_a, 台账编号="A-9", 宣传渠道="入户走访(敲门/扫楼)"))  # needs 走访户数
    result = rejected(LEDGER, fill_template(LEDGER, rows), cadre_a)
    assert [(e["row"], e["field"]) for e in result.errors] == [(7, "走访户数")]
    assert Activity.objects.count() == 0


def test_cadre_cannot_import_into_another_village_N3_1(world, cadre_a):
    CampaignFactory(scope=world.county)
    result = rejected(LEDGER, fill_template(LEDGER, [row(world.village_a), row(world.village_b)]), cadre_a)
    assert [(e["row"], e["field"]) for e in result.errors] == [(3, "所属村/社区")]
    assert Activity.objects.count() == 0


def test_closed_campaign_refuses_the_import_naming_the_row_N2(world, cadre_a):
    CampaignFactory(scope=world.county, name="2021年无诈创建", status=Campaign.Status.CLOSED)
    result = rejected(LEDGER, fill_template(LEDGER, [row(world.village_a, 创建活动="2021年无诈创建")]), cadre_a)
    (error,) = result.errors
    assert error["row"] == 2 and error["field"] == "创建活动"
    assert error["fix"].startswith("第 2 行:“2021年无诈创建”该创建活动已结束,记录已锁定")
    assert Activity.objects.count() == 0


def test_a_liaison_imports_only_their_own_sites_activities_N3_4(world, school_liaison):
    CampaignFactory(scope=world.county)
    own = row(world.village_a, 创建单位=world.school_a.name, 宣传渠道="讲座/培训", **{"数量(份/块/幅)": None, "覆盖人数": 120})
    other = {**own, "创建单位": world.site_a.name, "台账编号": "A-2"}  # a site of the same village, not theirs
    whole_village = {**own, "创建单位": "", "台账编号": "A-3"}
    result = rejected(LEDGER, fill_template(LEDGER, [own, other, whole_village]), school_liaison)
    assert [(e["row"], e["field"]) for e in result.errors] == [(3, "创建单位"), (4, "创建单位")]
    assert Activity.objects.count() == 0
    assert import_file(LEDGER, fill_template(LEDGER, [own]), school_liaison).counts["create"] == 1
    assert Activity.objects.get().site == world.school_a


# The plan step checks a row with `_clean` instead of `full_clean`: the engine's typed columns already
# guarantee a date, a listed channel, whole numbers and texts within their length. What is left must
# read exactly as `full_clean` would say it.
CLEAN_CASES = {
    "negative_count": {"cadres": -1},
    "count_too_big_for_the_column": {"police": 40000, "copies": 3_000_000_000},
    "date_outside_campaign": {"date": dt.date(2023, 1, 1)},
    "reach_missing": {"channel": Activity.Channel.DOOR_TO_DOOR, "copies": None},
    "links_missing": {"channel": Activity.Channel.WECHAT, "copies": None, "posts": 1},
    "site_of_other_village": {"site": "other"},
    "fine": {},
}


@pytest.mark.parametrize("case", sorted(CLEAN_CASES))
def test_plan_checks_say_what_full_clean_says_N3_1(world, case):
    from django.core.exceptions import ValidationError
    from django.db import connection

    from campaigns.imports import FIELDS, NOT_FROM_SHEET, _clean

    campaign = CampaignFactory(scope=world.county)
    values = {"campaign": campaign, "village": world.village_a, "date": dt.date(2021, 12, 1),
              "channel": Activity.Channel.BOARD, "copies": 2, **CLEAN_CASES[case]}  # fmt: skip
    if values.get("site") == "other":
        values["site"] = world.site_b
    try:
        Activity(**values).full_clean(exclude=NOT_FROM_SHEET, validate_unique=False, validate_constraints=False)
        expected = []
    except ValidationError as exc:
        expected = [(f if f in FIELDS else None, m) for f, ms in exc.message_dict.items() for m in ms]
    assert sorted(_clean(Activity(**values))) == sorted(expected)
    if case != "count_too_big_for_the_column" or connection.vendor == "postgresql":  # SQLite has no range
        assert bool(expected) == (case != "fine")


def test_template_columns_are_no_more_lenient_than_the_model_N3_1():
    """`_clean` leaves lengths and choices to the columns: they must match the model's."""
    for column in LEDGER.columns:
        try:
            field = Activity._meta.get_field(column.field)
        except Exception:  # noqa: BLE001 - town, village names: looked up, not stored
            continue
        if getattr(field, "max_length", None) and column.kind == "text":
            assert column.max_length and column.max_length <= field.max_length, column.field
        if field.choices:
            assert {v for v, _ in column.choices} <= {v for v, _ in field.choices}, column.field
