"""A village cadre's home on a phone (375 px), in real Chromium: what to do next, the bell, a reminder opened."""
import datetime as dt

import pytest

from sites.models import Reminder, Site
from tests.campaigns.factories import CampaignFactory, EnrolmentFactory
from tests.factories import SiteFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_cadre_home_on_phone_todo_and_bell_N3_5(browser_login, cadre_a, world, tmp_path):
    today = dt.date.today()
    campaign = CampaignFactory(scope=world.town_x, name="甲镇无诈创建", starts_on=today - dt.timedelta(days=40),
                               ends_on=today + dt.timedelta(days=120), assessment_on=today + dt.timedelta(days=120))  # fmt: skip
    factory = SiteFactory(village=world.village_a, name="甲村电子厂", kind=Site.Kind.ENTERPRISE, employees=60)
    EnrolmentFactory(campaign=campaign, site=factory)
    from campaigns.tasks import obligation_reminders

    obligation_reminders.apply(kwargs={"today": today.isoformat()})
    reminder = Reminder.objects.get(user=cadre_a, kind=Reminder.Kind.ENTERPRISE_VISIT)
    Reminder.objects.create(user=cadre_a, kind=Reminder.Kind.KEYPERSON, key="manual", title="测试的第二条提醒")
    page = browser_login("cadre_a")
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.reload()
    # The to-do (htmx) says what to do next and links the form; quick entry and recent entries are there too.
    todo = page.get_by_test_id("home-todo")
    todo.wait_for()
    assert "安办走访" in todo.inner_text() and "甲村电子厂" in todo.inner_text()
    page.get_by_test_id("home-quick").wait_for()
    page.get_by_test_id("home-recent").wait_for()
    page.get_by_test_id("home-followups").wait_for()
    page.get_by_test_id("home-rectifications").wait_for()
    assert page.get_by_test_id("reminder-count").inner_text() == "2"
    bell = page.get_by_test_id("reminder-bell")
    assert bell.is_visible()  # outside the collapsed menu: reachable with one tap on a phone
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.screenshot(path=str(tmp_path / "cadre-home.png"), full_page=True)
    bell.click()
    page.wait_for_url("**/sites/reminders/")
    items = page.get_by_test_id("reminder-list")
    assert "甲村电子厂" in items.inner_text() and "测试的第二条提醒" in items.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.get_by_test_id("reminder-open").filter(has_text="甲村电子厂").click()  # opens the form that settles it
    page.wait_for_url("**/campaigns/visits/new/**")
    assert page.locator("select[name=site] option:checked").inner_text().startswith("甲村电子厂")
    assert page.get_by_test_id("reminder-count").inner_text() == "1"
    reminder.refresh_from_db()
    assert reminder.read_at is not None
    page.get_by_test_id("reminder-bell").click()
    page.get_by_role("button", name="清除:测试的第二条提醒").click()
    page.wait_for_selector("text=已清除这条提醒")
    assert page.get_by_test_id("reminder-count").count() == 0
    assert not errors, errors
