"""The March 2022 assessment as a town runs it, in real Chromium, from the demo data, clicking only what a person sees.

Town staff (desktop) compile 东桥镇 as of 2022年3月31日, open 东桥村, confirm one title and decline another, publish;
the 东桥村 cadre (phone) finds the result and files an appeal; staff resolve it and freeze; the Excel and PDF
reports are downloaded and read back. After the login page no URL is typed and no form is posted by hand.
"""
import io
import subprocess

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from inspections.models import Appeal, AssessmentEvent, AssessmentRun, TitleDecision

from .conftest import PHONE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DEMO_PASSWORD = "Wuzha-demo-2022"
DESKTOP = {"width": 1280, "height": 900}
TITLED, REFUSED = "镇府新村小区", "东桥街安居小区"  # both in 东桥村: see inspections/demo.py SHOWCASE


def person(browser, live_server, username, viewport):
    """A person on their own device: a fresh browser context, logged in through the login page."""
    context = browser.new_context(viewport=viewport, locale="zh-CN", timezone_id="Asia/Shanghai",
                                  is_mobile=viewport is PHONE, accept_downloads=True)  # fmt: skip
    page = context.new_page()
    page.set_default_timeout(30000)
    page.on("dialog", lambda dialog: dialog.accept())  # "确定定稿吗?" and the like: the person says yes
    page.goto(live_server.url + "/accounts/login/")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(DEMO_PASSWORD)
    page.locator("button[type=submit]").click()
    page.wait_for_url(live_server.url + "/")
    return page


def open_menu(page, menu: str, item: str):
    toggler = page.locator("button.navbar-toggler")
    if toggler.is_visible():
        toggler.click()
    page.get_by_role("button", name=menu).click()
    page.locator("#mainnav").get_by_role("link", name=item, exact=True).click()


def site_item(page, name: str):
    return page.locator(".list-group-item").filter(has=page.get_by_text(name, exact=True))


def download(page, link_name: str) -> bytes:
    with page.expect_download() as info:
        page.get_by_role("link", name=link_name).first.click(timeout=120000)  # with a worker the PDF follows the run
    with open(info.value.path(), "rb") as f:
        return f.read()


@pytest.fixture
def pages():
    """Every page the journey opened; on a failure each one's screenshot is kept in /tmp/journey-*.png."""
    opened = []
    yield opened
    for n, page in enumerate(opened):
        try:
            page.screenshot(path=f"/tmp/journey-{n}.png", full_page=True)
        except Exception:  # noqa: BLE001 - a closed page has nothing to show
            pass


def test_journey_assessment_compile_title_publish_appeal_freeze_N6_4(browser, live_server, tmp_path, pages):
    call_command("seed_demo", stdout=io.StringIO())

    # Town staff compile the town as of 2022-03-31.
    staff = person(browser, live_server, "dq_staff", DESKTOP)
    pages.append(staff)
    open_menu(staff, "督查考核", "平安考核")
    staff.get_by_label("创建活动").select_option(label="“无诈小区”“无诈校园”“无诈企业”创建活动")
    staff.get_by_label("考核范围").select_option(label="东桥镇")
    staff.get_by_label("截至日期").fill("2022-03-31")
    staff.get_by_role("button", name="开始计算").click(timeout=240000)  # in-process tasks: the compile runs in the request
    staff.get_by_role("link", name="刷新查看结果").click(timeout=240000)
    ranking = staff.locator("table")
    assert "东桥村" in ranking.inner_text()
    assert "计入期间:2021年11月17日至2022年3月31日" in staff.get_by_test_id("window").inner_text()

    # 东桥村: one site proposed, one refused for a reason a person can read.
    ranking.get_by_role("link", name="东桥村", exact=True).click()
    proposed = site_item(staff, TITLED)
    assert "拟命名" in proposed.inner_text()
    refused = site_item(staff, REFUSED)
    assert "“三无”不成立" in refused.inner_text() and "拟命名" not in refused.inner_text()
    assert "“三无”认定依据:2021年12月8日" in refused.inner_text()  # the case that decided it
    proposed.get_by_role("button", name="确认命名").click()
    staff.get_by_text(f"已记录对“{TITLED}”的命名决定。").wait_for()
    site_item(staff, REFUSED).get_by_role("button", name="不予命名").click()
    staff.get_by_text(f"已记录对“{REFUSED}”的命名决定。").wait_for()
    assert "已命名" in site_item(staff, TITLED).inner_text()

    # Back to the run, publish.
    staff.get_by_role("link", name="次计算").click()
    staff.get_by_role("button", name="公布结果").click()
    staff.get_by_text("已公布,各村可在复核期限内申请复核。").wait_for()
    staff.screenshot(path=str(tmp_path / "run-published.png"), full_page=True)

    # The 东桥村 cadre, on a phone, finds the published result and asks for a review.
    cadre = person(browser, live_server, "cadre_dongqiao", PHONE)
    pages.append(cadre)
    open_menu(cadre, "督查考核", "考核结果")
    cadre.get_by_role("link").filter(has_text="东桥村").first.click()
    assert "已命名" in site_item(cadre, TITLED).inner_text()  # the title staff confirmed
    assert "“三无”认定依据" in site_item(cadre, REFUSED).inner_text()
    cadre.get_by_label("复核理由").fill("东桥街安居小区的案件发生在小区外,请复核。")
    cadre.get_by_role("button", name="申请复核").click()
    cadre.get_by_text("复核申请已提交。").wait_for()
    assert cadre.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    cadre.screenshot(path=str(tmp_path / "cadre-appeal.png"), full_page=True)

    # Staff resolve the appeal and freeze.
    open_menu(staff, "督查考核", "平安考核")
    staff.locator(".list-group-item").filter(has_text="已公布").first.click()
    staff.get_by_role("link").filter(has_text="东桥村 · 待处理").click()
    staff.get_by_label("处理结果").select_option(label="维持原结果")
    staff.get_by_label("处理意见").fill("经核实,案件受害人居住在该小区,维持原结果。")
    staff.get_by_role("button", name="保存处理意见").click()
    staff.get_by_text("已处理复核申请。").wait_for()
    staff.get_by_role("link", name="次计算").click()
    staff.get_by_role("button", name="定稿").click()
    staff.get_by_text("考核结果已定稿。").wait_for()
    history = staff.locator("ol.list-group-numbered").inner_text()
    for action in ("发起计算", "确认命名", "不予命名", "公布结果", "申请复核", "处理复核", "定稿"):
        assert action in history, (action, history)

    # The reports, downloaded as a person would, say what was decided.
    workbook = load_workbook(io.BytesIO(download(staff, "下载 Excel 报告")), read_only=True)
    cells = {str(v) for ws in workbook.worksheets for row in ws.iter_rows(values_only=True) for v in row if v is not None}
    assert TITLED in cells and REFUSED in cells and any("东桥镇" in c for c in cells)
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(download(staff, "下载 PDF"))
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "2022年3月31日" in text and TITLED in text and "东桥村" in text

    # What the pages did is what the database holds.
    run = AssessmentRun.objects.get()
    assert run.published_at and run.frozen_at and run.summary["proposed_titles"] >= 2
    assert set(TitleDecision.objects.values_list("site__name", "granted")) == {(TITLED, True), (REFUSED, False)}
    assert Appeal.objects.get().status == Appeal.Status.UPHELD
    assert AssessmentEvent.objects.filter(run=run).count() == 7
