"""The strict CSP breaks nothing a real browser runs: no violation reported on the main pages."""
import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_no_csp_violations_on_main_pages(phone_page, browser_login, town_staff, world):
    violations = []
    phone_page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    phone_page.add_init_script(
        "document.addEventListener('securitypolicyviolation',"
        " e => console.error('Content Security Policy violation: ' + e.violatedDirective + ' ' + e.blockedURI));"
    )
    page = browser_login("town_staff")
    for path in ("/", "/sites/", f"/sites/{world.site_a.pk}/", f"/sites/{world.site_a.pk}/edit/", "/accounts/password/"):
        page.goto(page.base_url + path)
        page.wait_for_load_state("networkidle")
    assert violations == [], "\n".join(violations)
