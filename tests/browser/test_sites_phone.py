"""A village cadre on a phone logs in and records a new creation site, in real Chromium."""
import pytest

from sites.models import Site

from .conftest import cjk_font_families

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_cadre_creates_site_on_phone(browser_login, cadre_a, world, tmp_path):
    page = browser_login("cadre_a")
    assert page.viewport_size["width"] == 375
    page.get_by_role("link", name="新增创建单位").click()
    # Only this cadre's village is offered, and it is preselected.
    assert page.locator("select[name=village] option:checked").inner_text().endswith("甲村")
    page.select_option("select[name=kind]", "enterprise")
    assert page.locator("input[name=households]").is_hidden()  # fields of other kinds hide
    page.fill("input[name=name]", "甲村手机新增企业")
    page.fill("input[name=employees]", "120")
    page.fill("input[name=contact_phone]", "13912345678")
    page.get_by_role("button", name="保存").click()
    page.wait_for_selector("text=已保存创建单位")
    assert page.locator("h1").inner_text() == "甲村手机新增企业"
    site = Site.objects.get(name="甲村手机新增企业")
    assert site.village == world.village_a and site.employees == 120
    # No horizontal scrolling at phone width.
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.screenshot(path=str(tmp_path / "site-created.png"), full_page=True)


def test_chinese_text_renders_with_a_cjk_font(browser_login, cadre_a):
    families = cjk_font_families()
    assert "CJK" in families or "WenQuanYi" in families, "未安装中文字体(fonts-noto-cjk),中文会显示为方框"
    page = browser_login("cadre_a")
    # Glyph widths: with a CJK font each Han character is about one em wide; a missing font
    # falls back to tofu boxes of another width or to zero-width glyphs.
    width = page.evaluate(
        """() => { const c = document.createElement('canvas').getContext('2d');
                   c.font = '20px "Noto Sans CJK SC", sans-serif';
                   return c.measureText('无诈创建').width; }"""
    )
    assert 70 <= width <= 90, width
