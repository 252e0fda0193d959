"""An inspector scores an unannounced inspection on a phone (375 px): autosave survives a reload, then submits."""

import pytest

from inspections.models import Inspection, PlanInspector
from sites.roles import Role
from tests.factories import user_with_role
from tests.inspections.factories import campaign_for, plan_in, standard_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_inspector_scores_on_phone_with_autosave_and_submits_N6_4(browser_login, world):
    inspector = user_with_role(Role.INSPECTOR, area=world.town_x, username="phone_inspector", first_name="手机督查员")
    campaign = campaign_for(world.town_x)
    standard = standard_for(campaign)
    plan = plan_in(world.town_x, campaign=campaign, name="手机暗访计划")
    PlanInspector.objects.create(plan=plan, user=inspector)
    inspection = Inspection.objects.create(plan=plan, site=world.site_a, inspector=inspector, standard=standard)
    items = list(standard.items.order_by("order"))

    page = browser_login("phone_inspector")
    assert page.viewport_size["width"] == 375
    page.get_by_role("link", name="甲村幸福小区").click()  # the home panel lists my assignment
    page.wait_for_selector("#score-form")
    page.click(f"label[for=pass-{items[0].pk}-1]")
    page.fill(f"#points-{items[1].pk}", "24")
    page.fill(f"#note-{items[1].pk}", "宣传栏一处破损")
    page.wait_for_selector("#autosave-status:has-text('已自动保存')")
    assert page.locator("#live-score").inner_text() != "—"
    assert page.evaluate("document.documentElement.scrollWidth") <= 375

    page.reload()  # a bad connection or a reload loses nothing
    assert page.locator(f"#pass-{items[0].pk}-1").is_checked()
    assert page.input_value(f"#points-{items[1].pk}") == "24.00"
    assert page.input_value(f"#note-{items[1].pk}") == "宣传栏一处破损"

    page.fill(f"#occ-{items[2].pk}", "1")
    page.check(f"#na-{items[3].pk}")
    page.click(f"label[for=pass-{items[4].pk}-1]")
    page.on("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="提交").click()
    page.wait_for_selector("text=已提交检查结果")
    inspection.refresh_from_db()
    # 20 + 24 + 25 = 69 of 80 (校园专项 不适用) → 86.25
    assert inspection.status == Inspection.Status.SUBMITTED and str(inspection.score) == "86.25"
    assert page.locator("[data-testid=score]").inner_text() == "86.25"
