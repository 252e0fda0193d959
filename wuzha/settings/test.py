"""Tests: plain static storage, a fast hasher, temporary media; database and broker from the environment."""
import os
import tempfile

os.environ.setdefault("SECRET_KEY", "test-only-key")
os.environ.setdefault("WUZHA_PII_KEYS", "EsAiGx_GWRzCOkvtz1zzLI6M-h0z6t11HYqN9WoORls=")
os.environ.setdefault("WUZHA_PII_HASH_KEY", "test-only-pii-hash-key")

from .base import *  # noqa: E402,F401,F403
from .base import STORAGES

STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# A temporary folder; the services run gives the worker and the suite one folder (WUZHA_TEST_MEDIA_ROOT), as a
# production worker and web server share one media storage (the worker writes the PDF the page then serves).
MEDIA_ROOT = os.environ.get("WUZHA_TEST_MEDIA_ROOT") or tempfile.mkdtemp(prefix="wuzha-test-media-")
# The suite logs seeded demo users in; tests of the refusal switch this off with override_settings.
WUZHA_ALLOW_DEMO_LOGINS = True
