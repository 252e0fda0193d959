"""A cadre on a phone uploads a messy file, sees every problem at once, fixes it and imports it (N1)."""
import pytest

from sites.models import ImportJob, Site
from tests.sites.import_files import xlsx

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_cadre_imports_sites_on_phone_after_fixing_errors_N1(browser_login, cadre_a, world, tmp_path):
    page = browser_login("cadre_a")
    page.goto(page.base_url + "/sites/data/sites/upload/")
    bad = tmp_path / "台账.xlsx"
    bad.write_bytes(xlsx([["所属村/社区", "名称", "类型", "户数"], ["甲村", "手机导入小区", "别墅", "很多"]],
                         title="甲村创建单位台账"))  # fmt: skip
    page.set_input_files("input[name=file]", str(bad))
    page.get_by_role("button", name="上传并检查").click()
    page.wait_for_selector("text=如何修改")
    assert "请从下拉选项中选择" in page.content() and "请填写整数" in page.content()
    assert page.get_by_role("button", name="确认导入").count() == 0
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.screenshot(path=str(tmp_path / "import-errors.png"), full_page=True)

    good = tmp_path / "台账-改.xlsx"
    good.write_bytes(xlsx([["所属村/社区", "名称", "类型", "户数"], ["甲村", "手机导入小区", "小区", "１２０"]]))
    page.goto(page.base_url + "/sites/data/sites/upload/")
    page.set_input_files("input[name=file]", str(good))
    page.get_by_role("button", name="上传并检查").click()
    page.get_by_role("button", name="确认导入").click()
    page.wait_for_selector("text=已导入")
    assert Site.objects.get(name="手机导入小区").households == 120
    assert ImportJob.objects.filter(status=ImportJob.Status.DONE).count() == 1
