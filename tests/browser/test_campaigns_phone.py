"""A village cadre on a phone records a door-to-door activity with a photo, in real Chromium."""
import pytest

from campaigns.models import Activity
from tests.campaigns.factories import CampaignFactory, image_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_cadre_records_activity_with_photo_on_phone_N3_3(browser_login, cadre_a, world, tmp_path):
    CampaignFactory(scope=world.town_x, name="甲镇无诈创建")
    photo = tmp_path / "scene.jpg"
    photo.write_bytes(image_bytes(size=(640, 480), pattern=4, exif_date="2021:12:03 10:00:00"))
    page = browser_login("cadre_a")
    page.get_by_role("link", name="登记宣传活动").click()
    # Own village preselected, the date filled in; only the channel's own fields show.
    assert page.locator("select[name=village] option:checked").inner_text().endswith("甲村")
    assert page.locator("input[name=date]").input_value()
    page.select_option("select[name=channel]", "door")
    assert page.locator("input[name=households_visited]").is_visible()
    assert page.locator(".channel-field:has(input[name=households_visited]) .asteriskField").count() == 1
    assert page.locator("input[name=copies]").is_hidden()
    assert page.locator("textarea[name=post_links]").is_hidden()
    page.fill("input[name=date]", "2021-12-03")
    page.select_option("select[name=site]", label="甲村幸福小区")
    page.fill("input[name=households_visited]", "36")
    page.fill("input[name=app_installs]", "12")
    page.fill("input[name=grid_workers]", "2")
    page.set_input_files("input[name=photos]", str(photo))
    page.select_option("select[name=channel]", "wechat")  # switching shows the new-media fields instead
    assert page.locator("textarea[name=post_links]").is_visible()
    assert page.locator("input[name=households_visited]").is_hidden()
    page.select_option("select[name=channel]", "door")
    page.fill("input[name=households_visited]", "36")
    page.get_by_role("button", name="保存").click()
    page.wait_for_selector("text=已保存宣传活动")
    a = Activity.objects.get()
    assert (a.village, a.site, a.households_visited, a.app_installs, a.grid_workers) == (
        world.village_a, world.site_a, 36, 12, 2
    )
    photo_row = a.photos.get()
    assert photo_row.taken_at is not None and photo_row.thumbnail
    assert page.locator("img.img-thumbnail").count() == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.screenshot(path=str(tmp_path / "activity-recorded.png"), full_page=True)
