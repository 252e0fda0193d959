"""Each new ledger's dry run costs the same number of queries for 3 rows as for 30 (look-ups per chunk,
none per row), so a village's whole file checks fast."""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from campaigns.models import Campaign
from sites.imports import registry
from tests.campaigns.factories import CampaignFactory

from .factories import PremisesFactory, valid_id
from .ledger_kit import dry_run, fill_template


def rows_for(key, world, n):
    village = world.village_a.name
    if key == "keypersons":
        return [{"所属村/社区": village, "姓名": f"人{i}", "公民身份号码": valid_id(i), "户籍地址": "甲村1号",
                 "人员类别": "涉诈前科"} for i in range(n)]  # fmt: skip
    if key == "premises":
        return [{"所属村/社区": village, "名称": f"楼{i}", "场所类型": "出租房屋", "地址": f"甲村{i}号", "房间/单元": "101、102"}
                for i in range(n)]  # fmt: skip
    if key == "sweeps":
        return [{"所属村/社区": village, "日期": "2022-01-10", "参加人员": f"队{i}", "覆盖场所": "楼A"} for i in range(n)]
    if key == "incidents":
        return [{"所属村/社区": village, "创建单位": world.site_a.name, "类别": "电诈窝点", "发生日期": "2022-01-15",
                 "警情/案件编号": f"J{i}", "诈骗类型": "刷单返利", "简要案情": "窝点。"} for i in range(n)]  # fmt: skip
    return [{"所属村/社区": village, "开展日期": "2021-12-05", "宣传渠道": "宣传栏/展板", "台账编号": f"A{i}",
             "数量(份/块/幅)": 1} for i in range(n)]  # fmt: skip


@pytest.mark.parametrize("key", ["keypersons", "premises", "sweeps", "incidents", "activities"])
def test_dry_run_queries_do_not_grow_with_rows(world, cadre_a, town_staff, key):
    CampaignFactory(scope=world.county, status=Campaign.Status.RUNNING)
    PremisesFactory(village=world.village_a, name="楼A")
    actor = town_staff if key == "incidents" else cadre_a
    ledger = registry.get(key)
    counts = []
    for n in (3, 30):
        data = fill_template(ledger, rows_for(key, world, n))
        with CaptureQueriesContext(connection) as queries:
            result = dry_run(ledger, data, actor)
        assert result.errors == [] and result.counts["create"] == n
        counts.append(len(queries))
    assert counts[1] <= counts[0] <= 12, counts  # the first run also fills the per-request scope cache
