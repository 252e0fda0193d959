"""A resident reports a suspected den from a phone without logging in, then checks the status (N5.3)."""
import pytest

from sites.models import TipOff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_resident_reports_a_den_on_a_phone_N5_3(phone_page, live_server, world):
    page = phone_page
    page.goto(f"{live_server.url}/sites/tip/")
    page.get_by_label("疑似诈骗窝点").check()
    page.fill("textarea[name=what]", "出租屋里深夜有很多人打电话")
    page.select_option("select[name=village]", label="甲镇 · 甲村")
    page.fill("input[name=address]", "5号楼")
    page.get_by_role("button", name="提交举报").click()
    page.wait_for_selector("text=举报已提交")
    code = page.locator(".receipt-code").inner_text().strip()
    tip = TipOff.objects.get()
    assert code == tip.receipt_code and tip.is_anonymous
    assert page.evaluate("document.documentElement.scrollWidth") <= 375  # no sideways scrolling
    page.goto(f"{live_server.url}/sites/tip/status/")
    page.fill("input[name=code]", code)
    page.get_by_role("button", name="查询").click()
    page.wait_for_selector("text=已受理")
