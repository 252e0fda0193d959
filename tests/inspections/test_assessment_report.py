"""The report a county office files (issue 16, item 7): the PDF's pages rendered and read back (pdftoppm, pdftotext,
pdffonts), the workbook read back with openpyxl. Data built here with the factories; figures worked out by hand.

World (`assessment_world`, simple rules: score = inspection score, title at ≥ 85): 甲村幸福小区 90 (no incident,
score sheet 组织领导 20/20, 宣传发动 25/30, 重点人员 20/30) → proposed; 乙村's site 70 with a victim case on
2022-01-15 (刷单返利) → refused (三无, score); 甲村小学 and 丙村's two sites (one a whole village) not inspected.
"""
import datetime as dt
import io
import subprocess
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from campaigns.forms import CampaignForm
from inspections.assessment import files, services
from inspections.assessment.compute import SiteInput, site_result
from inspections.assessment.report import KIND_LABELS, build_report, kind_label, sanwu_text
from inspections.models import Inspection, ItemScore
from sites.models import Site
from tests.factories import SiteFactory

from .assessment_helpers import AS_OF, assessment_world
from .factories import standard_for

pytestmark = pytest.mark.usefixtures("in_process_tasks")  # rows are uncommitted: no worker sees them


def report_world(world):
    campaign = assessment_world(world)
    campaign.site_kinds = ["village", "community", "campus"]
    campaign.save()
    SiteFactory(village=world.village_c, name="丙村整村创建", kind=Site.Kind.VILLAGE)
    Inspection.objects.filter(plan__campaign=campaign).update(inspected_on=dt.date(2022, 3, 18))  # the visit
    inspection = Inspection.objects.get(site=world.site_a)
    items = {i.section: i for i in standard_for(campaign, "community").items.all()}
    for section, earned in (("组织领导", "20"), ("宣传发动", "25"), ("重点人员", "20")):
        ItemScore.objects.create(inspection=inspection, item=items[section], earned=Decimal(earned))
    ItemScore.objects.create(inspection=inspection, item=items["校园专项"], not_applicable=True)
    return campaign


def compile_run(campaign, world, actor, capture):
    with capture(execute=True):
        run = services.assessment_start(actor=actor, campaign=campaign, scope=world.county, as_of=AS_OF)
    run.refresh_from_db()
    assert run.status == "done" and run.pdf, run.error
    return run


def pdf_pages(run, tmp_path) -> list[str]:
    """Each page rendered (pdftoppm) and its text (pdftotext), whitespace removed (table cells wrap)."""
    path = tmp_path / "report.pdf"
    path.write_bytes(run.pdf.read())
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    pages = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
    subprocess.run(["pdftoppm", "-r", "30", "-png", str(path), str(tmp_path / "page")], check=True)
    images = sorted(tmp_path.glob("page*.png"))
    assert len(images) == pages >= 1 and all(p.stat().st_size > 1000 for p in images)
    texts = []
    for n in range(1, pages + 1):
        out = subprocess.run(["pdftotext", "-f", str(n), "-l", str(n), str(path), "-"], capture_output=True, text=True,
                             check=True).stdout  # fmt: skip
        texts.append("".join(out.split()))
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    cjk = [line for line in fonts.splitlines() if "NotoSansCJK" in line or "Noto-Sans-CJK" in line]
    assert cjk and all(" yes " in line for line in cjk), fonts  # embedded
    return texts


def test_pdf_pages_carry_heading_summary_lists_sanwu_case_and_subtotals_N6_4(
    world, county_staff, tmp_path, django_capture_on_commit_callbacks
):
    campaign = report_world(world)
    run = compile_run(campaign, world, county_staff, django_capture_on_commit_callbacks)
    pages = pdf_pages(run, tmp_path)
    first, everything = pages[0], "".join(pages)
    assert first.startswith("测试县综治办")  # the default office: the campaign's scope + 综治办
    assert "2022年3月31日" in pages[-1] and pages[-1].endswith("测试县综治办2022年3月31日")  # signed, dated as_of
    b, site_b = world.village_b.name, world.site_b.name
    assert ("截至2022年3月31日,测试县2个镇(街道)共考核村(社区)3个、创建单位5个,计入期内已公布的明察暗访检查2次。"
            "拟命名单位1个(待确认命名);未予命名单位4个,主要原因(一个单位可有多项):得分低于命名分数线4个、"
            f"期内没有已公布的明察暗访检查3个、“三无”不成立1个。得分最高的是{b}(70.00分),最低的是{world.village_c.name}(0.00分)。") in first
    titled = everything.split("二、拟命名单位(待确认命名)")[1].split("三、未予命名单位及原因")[0]
    assert "甲村甲村幸福小区无诈小区90.00" in titled and "无诈校园" not in titled
    assert f"1甲镇{b}70.00" in everything
    assert f"{world.town_y.name}{world.village_c.name}0.00" in everything  # the ranking prints 0.00, not —
    assert f"乙村{site_b}无诈小区70.00“三无”不成立(N1.a);得分70.00低于命名分数线85" in everything.replace(b, "乙村")
    assert "甲村甲村小学无诈校园0.00得分0.00低于命名分数线85;期内没有已公布的明察暗访检查" in everything
    assert f"{site_b}无诈小区不成立决定性案件:2022年1月15日{b}·{site_b}发生电诈被骗案件(刷单返利)" in everything
    assert "甲村幸福小区无诈小区成立无案件" in everything
    assert ("甲村甲村幸福小区无诈小区组织领导20.0020.00甲村甲村幸福小区无诈小区宣传发动25.0030.00"
            "甲村甲村幸福小区无诈小区重点人员20.0030.00") in everything
    assert "校园专项" not in everything  # 不适用: no subtotal
    assert "村(整村)" in everything and "丙村整村创建" in everything
    assert "village" not in everything and "community" not in everything and "campus" not in everything


def test_pdf_says_none_when_nothing_is_titled_and_uses_the_configured_office_and_date_N6_4(
    world, county_staff, tmp_path, django_capture_on_commit_callbacks
):
    campaign = report_world(world)
    campaign.issuing_office, campaign.report_issued_on = "测试县平安办", dt.date(2022, 4, 8)
    campaign.save()
    run = compile_run(campaign, world, county_staff, django_capture_on_commit_callbacks)
    services.title_confirm(actor=county_staff, run=run, site=world.site_a, granted=False, note="材料不全")
    files.write_files(run)  # the files written again after the decision
    pages = pdf_pages(run, tmp_path)
    everything = "".join(pages)
    assert pages[0].startswith("测试县平安办") and pages[-1].endswith("测试县平安办2022年4月8日")
    assert "拟命名单位1个经确认不予命名,命名单位:无;未予命名单位5个" in everything
    assert "二、拟命名单位(待确认命名)无三、未予命名单位及原因" in everything
    assert "甲村甲村幸福小区无诈小区90.00经确认不予命名:材料不全" in everything


def test_workbook_carries_heading_lists_sanwu_subtotals_checks_and_labels_N6_4(world, county_staff,
                                                                              django_capture_on_commit_callbacks):
    campaign = report_world(world)
    run = compile_run(campaign, world, county_staff, django_capture_on_commit_callbacks)
    wb = load_workbook(io.BytesIO(run.xlsx.read()))
    cover = {r[0]: r[1] for r in wb["报告"].iter_rows(values_only=True)}
    assert cover["发文单位"] == "测试县综治办" and cover["成文日期"] == "2022年3月31日"
    assert cover["概述"].startswith("截至2022年3月31日,测试县2个镇(街道)共考核村(社区)3个、创建单位5个")
    assert "拟命名单位1个(待确认命名)" in cover["概述"] and cover["拟命名单位(待确认命名)"] == "甲村·甲村幸福小区"
    assert cover["未予命名原因:“三无”不成立"] == "1 个单位"
    assert list(wb["命名单位"].iter_rows(min_row=3, values_only=True)) == [("甲村", "甲村幸福小区", "无诈小区", 90, None)]
    refused = {r[1]: r for r in wb["未予命名"].iter_rows(min_row=3, values_only=True)}
    assert refused[world.site_b.name][4] == "“三无”不成立(N1.a);得分 70.00 低于命名分数线 85"
    assert refused["丙村整村创建"][2] == "村(整村)"
    sanwu = {r[1]: r for r in wb["三无认定"].iter_rows(min_row=3, values_only=True)}
    assert sanwu["甲村幸福小区"][3:] == ("成立", "无案件")
    assert sanwu[world.site_b.name][3:] == (
        "不成立", f"决定性案件:2022年1月15日 {world.village_b.name}·{world.site_b.name} 发生电诈被骗案件(刷单返利)")
    assert list(wb["分项得分"].iter_rows(min_row=3, values_only=True)) == [
        ("甲村", "甲村幸福小区", "无诈小区", "组织领导", 20, 20), ("甲村", "甲村幸福小区", "无诈小区", "宣传发动", 25, 30),
        ("甲村", "甲村幸福小区", "无诈小区", "重点人员", 20, 30)]  # fmt: skip
    kinds = {r[1]: r[2] for r in wb["单位明细"].iter_rows(min_row=3, values_only=True)}
    assert kinds == {"甲村幸福小区": "无诈小区", "甲村小学": "无诈校园", world.site_b.name: "无诈小区",
                     world.site_c.name: "无诈小区", "丙村整村创建": "村(整村)"}  # fmt: skip
    checks = list(wb["检查结果"].iter_rows(min_row=3, values_only=True))
    assert [c[1] for c in checks] == [world.site_b.name, "甲村幸福小区"] and checks[0][3] == "2022-03-18"
    deductions = list(wb["扣分明细"].iter_rows(min_row=3, values_only=True))
    assert [(d[1], d[2], d[4]) for d in deductions] == [("甲村幸福小区", "宣传发动", 5), ("甲村幸福小区", "重点人员", 10)]


def test_confirmed_titles_replace_the_proposals_N6_4(world, county_staff, django_capture_on_commit_callbacks):
    campaign = report_world(world)
    run = compile_run(campaign, world, county_staff, django_capture_on_commit_callbacks)
    before = build_report(run, files.run_results(run))
    assert not before.confirmed and before.titled_heading == "拟命名单位(待确认命名)"
    services.title_confirm(actor=county_staff, run=run, site=world.site_a, granted=True, note="县综治委审定")
    report = build_report(run, files.run_results(run))
    assert report.confirmed and report.titled_heading == "命名单位(已确认)"
    assert [(t["site"], t["note"]) for t in report.titled] == [("甲村幸福小区", "县综治委审定")]
    assert "经确认命名单位1个;" in report.summary


def test_section_subtotals_follow_the_inspection_score_rule_and_reasons_have_codes_N6_4():
    sheets = ((("组织领导", Decimal("10"), Decimal("20")), ("宣传发动", Decimal("30"), Decimal("30"))),
              (("组织领导", Decimal("20"), Decimal("20")),))  # fmt: skip
    site = SiteInput(site_id=1, name="幸福小区", kind="community", village_code="1", inspection_scores=(Decimal("60"),
                     Decimal("80")), section_points=sheets, sanwu_holds=False, sanwu_broken=("N1.a",),
                     open_rectifications=1)  # fmt: skip
    latest = site_result(site, {})
    assert latest.sections == ({"section": "组织领导", "earned": Decimal("20.00"), "possible": Decimal("20.00")},)
    mean = site_result(site, {"inspection_score": "mean"})
    assert mean.sections == ({"section": "组织领导", "earned": Decimal("15.00"), "possible": Decimal("20.00")},
                             {"section": "宣传发动", "earned": Decimal("30.00"), "possible": Decimal("30.00")})  # fmt: skip
    assert latest.reason_codes == ("sanwu", "score", "rectification") and len(latest.reasons) == 3


def test_every_site_kind_has_a_report_label_and_the_override_is_said_N1_a():
    assert {kind_label(k) for k in Site.Kind.values} == set(KIND_LABELS.values())
    assert all(kind_label(k) != k for k in Site.Kind.values)
    site = {"name": "幸福小区", "sanwu_holds": True, "reasons": [], "sanwu_override": "人工认定“三无”成立:案发地不在本小区",
            "sanwu_cases": [{"code": "N1.a", "kind": "电诈被骗案件", "date": "2022-02-01", "fraud_type": "", "id": 1}]}
    assert sanwu_text(site, "甲村") == "决定性案件:2022年2月1日 甲村·幸福小区 发生电诈被骗案件;人工认定“三无”成立:案发地不在本小区"
    den = {"name": "幸福小区", "sanwu_holds": False, "reasons": ["“三无”不成立(N1.c)"], "sanwu_cases": [
        {"code": "N1.c", "kind": "电诈窝点", "date": "2022-03-02", "fraud_type": "其他", "id": 2}]}
    assert sanwu_text(den, "甲村") == "决定性案件:2022年3月2日 甲村·幸福小区 发现电诈窝点(其他)"


def test_campaign_form_sets_the_report_heading_N6_4(world, county_staff):
    data = {"name": "无诈创建", "document_no": "惠东桥政〔2021〕44号", "scope": world.county.pk, "starts_on": "2021-11-17",
            "ends_on": "2022-03-31", "assessment_on": "2022-03-31", "site_kinds": ["community"],
            "issuing_office": "测试县综治办公室", "report_issued_on": "2022-04-08"}  # fmt: skip
    form = CampaignForm(data=data, user=county_staff)
    assert form.is_valid(), form.errors
    campaign = form.save()
    assert campaign.issuing_office == "测试县综治办公室" and campaign.report_issued_on == dt.date(2022, 4, 8)
    blank = CampaignForm(data={**data, "name": "无诈创建二", "issuing_office": "", "report_issued_on": ""},
                         user=county_staff)  # fmt: skip
    assert blank.is_valid(), blank.errors
    assert blank.save().report_issued_on is None


def test_freezing_writes_the_files_again_with_the_confirmed_titles_N6_4(world, county_staff, tmp_path,
                                                                        django_capture_on_commit_callbacks):
    campaign = report_world(world)
    run = compile_run(campaign, world, county_staff, django_capture_on_commit_callbacks)
    services.assessment_publish(actor=county_staff, run=run)
    services.title_confirm(actor=county_staff, run=run, site=world.site_a, granted=True, note="县综治委审定")
    with django_capture_on_commit_callbacks(execute=True):
        services.assessment_freeze(actor=county_staff, run=run)
    run.refresh_from_db()
    assert run.pdf_status == "ready" and run.pdf_attempts == 1
    cover = {r[0]: r[1] for r in load_workbook(io.BytesIO(run.xlsx.read()))["报告"].iter_rows(values_only=True)}
    assert cover["命名单位(已确认)"] == "甲村·甲村幸福小区" and "经确认命名单位1个;" in cover["概述"]
    everything = "".join(pdf_pages(run, tmp_path))
    assert "二、命名单位(已确认)村(社区)创建单位类型得分说明甲村甲村幸福小区无诈小区90.00县综治委审定" in everything
