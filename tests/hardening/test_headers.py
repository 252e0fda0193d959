"""Security headers and CSP on every HTML page (generated over the URL patterns), no inline script
or style anywhere, no-store for logged-in pages, and `check --deploy` clean with production settings."""
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from tests.scope_registry import OBJECT_IN_VILLAGE
from tests.test_scope_crawl import ROUTES, url_for, view_model

BASE = Path(settings.BASE_DIR)
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*\bnonce=)[^>]*>", re.I)
INLINE_STYLE = re.compile(r"<style\b|\sstyle\s*=", re.I)
INLINE_HANDLER = re.compile(r"\son[a-z]+\s*=|javascript:", re.I)


def assert_secure_headers(response, url, *, logged_in):
    csp = response["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";") if d.strip())
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp, url
    assert directives["frame-ancestors"] == "'none'", url
    assert directives["script-src"] == "'self'" and directives["style-src"] == "'self'", url
    assert directives["object-src"] == "'none'" and directives["default-src"] == "'self'", url
    assert response["X-Content-Type-Options"] == "nosniff", url
    assert response["Referrer-Policy"] == "same-origin", url
    assert response["Cross-Origin-Opener-Policy"] == "same-origin", url
    assert response["X-Frame-Options"] == "DENY", url
    assert re.fullmatch(r"[0-9a-f]{32}", response["X-Request-ID"]), url
    if logged_in:
        assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"], url
    body = response.content.decode()
    assert not INLINE_SCRIPT.search(body), f"{url}: inline <script> without a nonce"
    assert not INLINE_STYLE.search(body), f"{url}: inline style (CSP forbids it)"
    assert not INLINE_HANDLER.search(body), f"{url}: inline event handler"


HTML_ROUTES = [(n, k) for n, p, k in ROUTES if "pk" not in k and not k]


@pytest.mark.parametrize("name", [n for n, _ in HTML_ROUTES] + ["admin:index", "admin:auth_user_changelist"])
def test_every_page_has_security_headers(client, world, name):
    from tests.factories import UserFactory

    client.force_login(UserFactory(username="root", is_superuser=True, is_staff=True))
    url = reverse(name)
    response = client.get(url)
    assert response.status_code in (200, 302, 405), url
    if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
        assert_secure_headers(response, url, logged_in=True)
    else:
        assert "Content-Security-Policy" in response and "no-store" in response["Cache-Control"]


@pytest.mark.parametrize(
    "name,pattern", [(n, p) for n, p, k in ROUTES if "pk" in k], ids=[n for n, _, k in ROUTES if "pk" in k]
)
def test_every_object_page_has_security_headers(client, world, name, pattern):
    from tests.factories import UserFactory

    client.force_login(UserFactory(username="root", is_superuser=True, is_staff=True))
    obj = OBJECT_IN_VILLAGE[view_model(pattern)](world.village_a)
    kinds = {k: type(c).__name__.replace("Converter", "").lower() for k, c in pattern.pattern.converters.items()}
    url = url_for(name, kinds, pk=obj.pk)
    response = client.get(url)
    if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
        assert_secure_headers(response, url, logged_in=True)
    else:
        assert "Content-Security-Policy" in response


def test_login_page_headers_without_login(client, db):
    response = client.get(reverse("login"))
    assert_secure_headers(response, "login", logged_in=False)


def test_request_id_from_proxy_is_kept_when_well_formed(client, db):
    assert client.get(reverse("login"), HTTP_X_REQUEST_ID="proxy-abc-12345")["X-Request-ID"] == "proxy-abc-12345"
    forged = client.get(reverse("login"), HTTP_X_REQUEST_ID="bad id\nwith newline")["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", forged)


def test_never_store_helpers():
    from django.http import HttpResponse
    from django.test import RequestFactory
    from django.views import View

    from wuzha.lib.http import NoStoreMixin, never_store

    assert "no-store" in never_store(lambda request: HttpResponse("x"))(RequestFactory().get("/"))["Cache-Control"]

    class Download(NoStoreMixin, View):
        def get(self, request):
            return HttpResponse("名单")

    assert "no-store" in Download.as_view()(RequestFactory().get("/"))["Cache-Control"]


def template_files():
    dirs = [BASE / "templates", *BASE.glob("*/templates")]
    return sorted(p for d in dirs if d.is_dir() for p in d.rglob("*.html"))


def test_templates_have_no_inline_script_style_or_handlers():
    files = template_files()
    assert len(files) > 10
    for path in files:
        text = path.read_text()
        assert not INLINE_SCRIPT.search(text), f"{path}: inline <script> (use static/js/<app>.js)"
        assert not INLINE_STYLE.search(text), f"{path}: inline style (use static/css)"
        assert not INLINE_HANDLER.search(text), f"{path}: inline event handler"


def test_production_settings_pass_check_deploy():
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},  # set by the browser tests
        "DJANGO_SETTINGS_MODULE": "wuzha.settings.prod",
        "SECRET_KEY": "check-deploy-a-long-random-looking-value-9f8e7d6c5b4a3928170615243",
        "ALLOWED_HOSTS": "wuzha.example.cn",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE, env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    from wuzha.settings import prod

    assert prod.SECURE_HSTS_SECONDS >= 365 * 24 * 3600 and prod.SECURE_HSTS_INCLUDE_SUBDOMAINS
    assert prod.SESSION_COOKIE_SECURE and prod.CSRF_COOKIE_SECURE and prod.SECURE_SSL_REDIRECT
