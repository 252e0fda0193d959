"""Real Chromium through Playwright against the live test server, at a phone-sized viewport.

Outside CI a machine without Debian's chromium skips these tests with a reason; under CI=true a
missing browser fails the run instead.
"""
import os
import shutil
import subprocess

import pytest
from django.core.servers.basehttp import WSGIServer
from django.db import connection
from django.test.testcases import LiveServerThread

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop


class SerialLiveServer(WSGIServer):
    """One request at a time. On in-memory SQLite every request thread of Django's threaded live server
    shares the test's single connection, and pages that load several htmx panels at once (the home page,
    the dashboard) made those threads hang on it. The server thread already uses that connection."""

    def __init__(self, *args, connections_override=None, **kwargs):
        super().__init__(*args, **kwargs)


if connection.vendor == "sqlite":
    LiveServerThread.server_class = SerialLiveServer

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
]  # fmt: skip
PHONE = {"width": 375, "height": 812}


def _unavailable(reason):
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(f"浏览器测试在 CI 中不得跳过:{reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        _unavailable("未安装 Debian chromium(apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def phone_page(browser, live_server):
    context = browser.new_context(viewport=PHONE, locale="zh-CN", timezone_id="Asia/Shanghai", is_mobile=True)
    page = context.new_page()
    page.set_default_timeout(15000)
    page.base_url = live_server.url
    yield page
    context.close()


@pytest.fixture
def browser_login(phone_page):
    def _login(username, password="Test-password-123"):
        phone_page.goto(phone_page.base_url + "/accounts/login/")
        phone_page.fill("input[name=username]", username)
        phone_page.fill("input[name=password]", password)
        phone_page.click("button[type=submit]")
        phone_page.wait_for_url(phone_page.base_url + "/")
        return phone_page

    return _login


def cjk_font_families() -> str:
    """Font families fontconfig would use for Simplified Chinese ('' when none is installed)."""
    try:
        out = subprocess.run(["fc-list", ":lang=zh-cn", "family"], capture_output=True, text=True, check=False)
    except FileNotFoundError:
        return ""
    return out.stdout
