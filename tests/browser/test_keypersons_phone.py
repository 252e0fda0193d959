"""A village cadre on a phone keeps a key person's file and records a sweep unit by unit, in real Chromium."""
import datetime as dt

import pytest

from sites.models import KeyPerson, Measure, UnitVisit
from tests.sites.factories import PremisesFactory, UnitFactory, valid_id

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_cadre_files_a_key_person_and_logs_a_visit_on_phone_N4_2(browser_login, cadre_a, world):
    page = browser_login("cadre_a")
    page.goto(page.base_url + "/sites/keypersons/new/")
    number = valid_id(77)
    page.fill("input[name=name]", "手机建档人")
    page.fill("input[name=id_number]", number)
    page.select_option("select[name=gender]", "male")
    page.fill("input[name=phone]", "13912345670")
    page.fill("input[name=household_address]", "甲村 12 号")
    page.select_option("select[name=category]", "cards")
    page.get_by_role("button", name="保存").click()
    page.wait_for_selector("text=已保存")
    body = page.content()
    assert number not in body and number[6:14] not in body and number[:3] + "*" * 11 + number[-4:] in body
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.get_by_role("link", name="记录措施").first.click()
    page.fill("textarea[name=content]", "上门走访,讲解不得出租出借电话卡。")
    page.get_by_role("button", name="保存").click()
    page.wait_for_selector("text=已记录措施")
    person = KeyPerson.objects.get(name="手机建档人")
    assert Measure.objects.get(person=person).done_on == dt.date.today()
    assert person.next_followup_on == dt.date.today() + dt.timedelta(days=30)
    assert page.evaluate("document.documentElement.scrollWidth") <= 375


def test_cadre_sweeps_unit_by_unit_on_phone_N5_3(browser_login, cadre_a, world):
    premises = PremisesFactory(village=world.village_a, name="手机扫楼楼")
    units = [UnitFactory(premises=premises, label=label) for label in ("101", "102", "201")]
    page = browser_login("cadre_a")
    page.goto(page.base_url + "/sites/sweeps/new/")
    page.fill("input[name=team]", "网格员陈、民警林")
    page.check(f"input[name=premises][value='{premises.pk}']")
    page.get_by_role("button", name="下一步:逐户登记").click()
    page.wait_for_selector("text=逐户登记")
    page.select_option(f"select[name=u{units[0].pk}]", "visited")
    page.fill(f"input[name=seen{units[0].pk}]", "3")
    page.select_option(f"select[name=u{units[1].pk}]", "nobody")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.get_by_role("button", name="保存").click()
    page.wait_for_selector("text=本次共登记 2 户")
    assert {v.unit.label: v.status for v in UnitVisit.objects.select_related("unit")} == {"101": "visited", "102": "nobody"}
    assert "33%" in page.content()  # 1 of 3 units covered
