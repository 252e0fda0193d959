"""The progress dashboard in a real browser at phone (375 px) and desktop (1280 px) widths: every chart draws a
canvas, no console error (CSP violations included), and the page shows the builder's numbers."""
import datetime as dt

import pytest
from django.urls import reverse

from inspections.dashboard.builder import Node, build
from sites.models import Area
from tests.inspections.assessment_helpers import AS_OF
from tests.inspections.test_dashboard import filled

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = "/tmp/wuzha-dashboard"


def test_dashboard_charts_draw_on_phone_and_desktop_N6_4(phone_page, browser_login, town_staff, world):
    campaign = filled(world)
    town = Area.objects.select_related("parent").get(pk=world.town_x.pk)
    expected = build(campaign, Node("town", town), AS_OF)
    errors = []
    phone_page.on("console", lambda m: errors.append(f"{m.text} {m.location.get('url', '')}")
                  if m.type == "error" and not m.location.get("url", "").endswith("/favicon.ico") else None)  # fmt: skip
    phone_page.on("pageerror", lambda e: errors.append(str(e)))
    phone_page.add_init_script(
        "document.addEventListener('securitypolicyviolation',"
        " e => console.error('Content Security Policy violation: ' + e.violatedDirective + ' ' + e.blockedURI));"
    )
    page = browser_login("town_staff")
    page.wait_for_selector("[data-testid=home-dashboard]")  # the home page loads the town's summary
    url = f"{page.base_url}{reverse('dashboard:area', args=[town.code])}?campaign={campaign.pk}&as_of={AS_OF.isoformat()}"
    for width, height in ((375, 812), (1280, 900)):
        page.set_viewport_size({"width": width, "height": height})
        page.goto(url)
        page.wait_for_load_state("networkidle")
        charts = page.locator("[data-chart]")
        assert charts.count() == 4  # monthly, kinds, obligations, villages
        for i in range(charts.count()):
            chart = charts.nth(i)
            chart.scroll_into_view_if_needed()
            assert chart.locator("canvas").count() >= 1, chart.get_attribute("data-chart")
            box = chart.locator("canvas").first.bounding_box()
            assert box and box["width"] > 200 and box["height"] > 150
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        s = expected["summary"]
        assert page.locator("[data-testid=dash-expected]").inner_text() == str(s["expected"])
        assert page.locator("[data-testid=dash-missing]").inner_text() == str(s["missing"])
        assert page.locator("[data-testid=dash-sites]").inner_text() == str(s["sites"])
        assert page.locator("[data-testid=dash-completion]").inner_text() == f"{s['completion']}%"
        rows = page.locator("[data-testid=dash-children] tbody tr")
        assert rows.count() == len(expected["children"])
        assert rows.first.locator("td").nth(1).inner_text() == expected["children"][0]["name"]
        # the data-table fallback under a chart holds the same figures
        page.locator("[data-testid=table-obligations]").locator("xpath=ancestor::details").locator("summary").click()
        missing_cell = page.locator("[data-testid=table-obligations] tbody tr").nth(2).locator("td").nth(1)
        assert missing_cell.inner_text() == str(s["missing"])
        page.screenshot(path=f"{SHOTS}-{width}.png", full_page=True)
    # drill down by a click: town → village
    page.locator("[data-testid=dash-children] tbody tr a").first.click()
    page.wait_for_selector("[data-testid=dash-crumbs]")
    assert page.locator("[data-testid=dash-crumbs] li").count() == 2
    assert errors == [], "\n".join(errors)
    assert dt.date.fromisoformat(page.input_value("#dash-as-of")) == AS_OF
