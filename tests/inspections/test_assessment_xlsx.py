"""The report workbook read back with openpyxl: sheets, headers, key cells, print setup, formula safety."""
import pytest
import io

from openpyxl import load_workbook

from inspections.assessment import services
from tests.factories import SiteFactory

from .assessment_helpers import AS_OF, assessment_world

pytestmark = pytest.mark.usefixtures("in_process_tasks")  # rows are uncommitted: no worker sees them


def test_workbook_reads_back_with_scores_ranks_and_print_setup_N6_4(world, county_staff, django_capture_on_commit_callbacks):
    campaign = assessment_world(world)
    SiteFactory(village=world.village_c, name="=HYPERLINK(\"http://x\")")
    with django_capture_on_commit_callbacks(execute=True):
        run = services.assessment_start(actor=county_staff, campaign=campaign, scope=world.county, as_of=AS_OF)
    run.refresh_from_db()
    wb = load_workbook(io.BytesIO(run.xlsx.read()))
    assert wb.sheetnames == ["报告", "汇总", "镇汇总", "命名单位", "未予命名", "三无认定", "分项得分", "单位明细", "扣分明细",
                             "宣传统计", "重点人员统计", "检查结果", "整改情况", "规则说明"]  # fmt: skip
    ws = wb["汇总"]
    assert [c.value for c in ws[2]][:4] == ["名次", "镇(街道)", "村(社区)", "得分"]
    rows = {r[2]: r for r in ws.iter_rows(min_row=3, max_row=5, values_only=True)}
    assert rows["甲村"][0] == 2 and rows["甲村"][3] == 45.0
    assert rows[world.village_b.name][0] == 1 and rows[world.village_b.name][3] == 70.0
    assert rows[world.village_b.name][9] == 1  # one site where 三无 does not hold
    assert rows["甲村"][10] == 1 and rows[world.village_b.name][10] == 1  # 明察暗访次数
    checks = list(wb["检查结果"].iter_rows(min_row=3, values_only=True))  # in report order: 乙村 (rank 1) first
    assert checks == [(world.village_b.name, world.site_b.name, "暗访", "2022-03-20", 70, "否"),
                      ("甲村", world.site_a.name, "暗访", "2022-03-20", 90, "否")]  # fmt: skip
    assert ws.freeze_panes == "A3" and ws.print_title_rows == "$1:$2"
    assert ws.page_setup.orientation == "landscape" and str(ws.page_setup.paperSize) == "9"  # A4
    assert ws._charts, "the village score chart"
    detail = wb["单位明细"]
    names = [r[1] for r in detail.iter_rows(min_row=3, values_only=True)]
    assert "'=HYPERLINK(\"http://x\")" in names  # formula-safe
    assert all(not (isinstance(v, str) and v.startswith("=")) for r in detail.iter_rows(values_only=True) for v in r)
    prop = list(wb["宣传统计"].iter_rows(min_row=3, values_only=True))
    assert prop == [("甲村", "讲座/宣讲", 1, 80, 12)] or prop[0][2:] == (1, 80, 12)
    notes = " ".join(str(r[1]) for r in wb["规则说明"].iter_rows(min_row=3, values_only=True))
    assert "明察暗访得分×100" in notes and "≥ 85" in notes
    towns = list(wb["镇汇总"].iter_rows(min_row=3, values_only=True))
    assert towns[0][1] == "甲镇" and towns[0][2] == 57.5
