"""Second factor: TOTP after the password, required for staff when configured, codes used once."""
import importlib
import os
from types import SimpleNamespace
from unittest import mock

import pyotp
import pytest
from cryptography.fernet import Fernet
from django.apps import apps as django_apps
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django.urls import reverse

from sites.models import AuthEvent, TotpDevice
from sites.roles import Role
from tests.factories import UserFactory, user_with_role
from wuzha.lib import crypto

PASSWORD = "Test-password-123"


def setup_secret(client):
    return crypto.decrypt(client.session["_wuzha_2fa_secret"])


def password_step(client, username):
    return client.post(reverse("login"), {"username": username, "password": PASSWORD})


def test_enrolled_user_needs_the_code(client, db):
    user = UserFactory(username="he")
    device = TotpDevice.objects.create(user=user, secret=pyotp.random_base32())
    client.get(reverse("login"))
    session = client.session
    session["visitor"] = 1
    session.save()
    keys = [client.cookies["sessionid"].value]
    response = password_step(client, "he")
    assert response.status_code == 302 and response.url == reverse("totp_verify")
    keys.append(client.cookies["sessionid"].value)
    assert "_auth_user_id" not in client.session  # not logged in after the password alone
    assert client.get(reverse("home")).status_code == 302
    assert "验证并登录" in client.get(reverse("totp_verify")).content.decode()
    bad = client.post(reverse("totp_verify"), {"code": "000000" if pyotp.TOTP(device.secret).now() != "000000" else "111111"})
    assert bad.status_code == 200 and "动态口令不正确" in bad.content.decode()
    code = pyotp.TOTP(device.secret).now()
    assert client.post(reverse("totp_verify"), {"code": code}).status_code == 302
    keys.append(client.cookies["sessionid"].value)
    assert len(set(keys)) == 3  # a new session key after the password and again at the login itself
    assert client.get(reverse("home")).status_code == 200
    assert AuthEvent.objects.filter(kind=AuthEvent.Kind.LOGIN, user=user).exists()
    # The same code cannot be replayed for another login.
    other = client.__class__()
    password_step(other, "he")
    assert other.post(reverse("totp_verify"), {"code": code}).status_code == 200
    assert "_auth_user_id" not in other.session


def test_five_wrong_codes_drop_the_pending_login(client, db):
    user = UserFactory(username="he")
    TotpDevice.objects.create(user=user, secret=pyotp.random_base32(), last_step=10**12)  # no code can match
    password_step(client, "he")
    for _ in range(4):
        assert client.post(reverse("totp_verify"), {"code": "123456"}).status_code == 200
    response = client.post(reverse("totp_verify"), {"code": "123456"})
    assert response.status_code == 302 and response.url == reverse("login")
    assert client.get(reverse("totp_verify")).status_code == 302
    assert AuthEvent.objects.filter(kind=AuthEvent.Kind.FAILURE, user=user).count() == 5


def test_users_without_authenticator_log_in_with_password_when_not_required(client, db):
    UserFactory(username="he")
    assert password_step(client, "he").url == reverse("home")


@override_settings(WUZHA_REQUIRE_2FA_FOR_STAFF=True)
@pytest.mark.parametrize("make", [
    lambda world: user_with_role(Role.STAFF, area=world.town_x, username="staffer"),
    lambda world: UserFactory(username="staffer", is_staff=True),
], ids=["town_staff_role", "is_staff"])  # fmt: skip
def test_staff_must_enrol_when_required(client, world, make):
    user = make(world)
    response = password_step(client, "staffer")
    assert response.url == reverse("totp_setup") and "_auth_user_id" not in client.session
    page = client.get(reverse("totp_setup")).content.decode()
    assert "须使用动态口令" in page and 'src="data:image/svg+xml;base64,' in page
    secret = setup_secret(client)
    assert client.post(reverse("totp_setup"), {"code": pyotp.TOTP(secret).now()}).status_code == 302
    assert TotpDevice.objects.get(user=user).secret == secret
    assert client.get(reverse("home")).status_code == 200
    assert AuthEvent.objects.filter(kind=AuthEvent.Kind.TOTP_ENROLLED, user=user).exists()


@override_settings(WUZHA_REQUIRE_2FA_FOR_STAFF=True)
def test_cadres_are_not_forced(client, world):
    user_with_role(Role.CADRE, area=world.village_a, username="cadre")
    assert password_step(client, "cadre").url == reverse("home")


def test_logged_in_user_may_enrol(client, db):
    user = UserFactory(username="he")
    client.force_login(user)
    assert "绑定动态口令" in client.get(reverse("password_change")).content.decode()
    client.get(reverse("totp_setup"))
    secret = setup_secret(client)
    assert client.post(reverse("totp_setup"), {"code": "000000" if pyotp.TOTP(secret).now() != "000000" else "1"}).status_code == 200
    client.post(reverse("totp_setup"), {"code": pyotp.TOTP(secret).now()})
    assert TotpDevice.objects.filter(user=user).exists()


# --- Secrets at rest: Fernet tokens under WUZHA_PII_KEYS, like ID numbers (tests/sites/test_crypto.py) ---

def raw_secret(pk):
    with connection.cursor() as cursor:
        cursor.execute("SELECT secret FROM sites_totpdevice WHERE id = %s", [pk])
        return cursor.fetchone()[0]


def write_raw_secret(pk, value):
    with connection.cursor() as cursor:
        cursor.execute("UPDATE sites_totpdevice SET secret = %s WHERE id = %s", [value, pk])


def test_totp_secret_is_encrypted_at_rest(client, db):
    user = UserFactory(username="he")
    client.force_login(user)
    client.get(reverse("totp_setup"))
    secret = setup_secret(client)
    assert secret not in client.session["_wuzha_2fa_secret"]  # sessions are stored in the database too
    client.post(reverse("totp_setup"), {"code": pyotp.TOTP(secret).now()})
    device = TotpDevice.objects.get(user=user)
    raw = raw_secret(device.pk)
    assert secret not in raw and raw.startswith(crypto.TOKEN_PREFIX)
    assert crypto.decrypt(raw) == secret and device.secret == secret
    # Login with the encrypted secret still works (decrypted on read).
    client.logout()
    password_step(client, "he")
    device.refresh_from_db()
    code = pyotp.TOTP(secret).at((device.last_step + 1) * 30)  # the next time step: the current one is used
    with mock.patch("sites.totp.time.time", return_value=(device.last_step + 1) * 30 + 1):
        assert client.post(reverse("totp_verify"), {"code": code}).status_code == 302
    assert client.get(reverse("home")).status_code == 200


def test_migration_encrypts_existing_plain_secrets_and_reverses(client, db):
    migration = importlib.import_module("sites.migrations.0010_totp_secret_encrypted")
    editor = SimpleNamespace(connection=connection)
    user = UserFactory(username="he")
    secret = pyotp.random_base32()
    device = TotpDevice.objects.create(user=user, secret=secret)
    write_raw_secret(device.pk, secret)  # a row as stored before the migration: plain text
    migration.encrypt_secrets(django_apps, editor)
    raw = raw_secret(device.pk)
    assert secret not in raw and crypto.decrypt(raw) == secret
    migration.encrypt_secrets(django_apps, editor)  # re-running leaves tokens alone
    assert raw_secret(device.pk) == raw
    assert TotpDevice.objects.get(pk=device.pk).secret == secret
    password_step(client, "he")  # the converted device still verifies codes
    assert client.post(reverse("totp_verify"), {"code": pyotp.TOTP(secret).now()}).status_code == 302
    migration.decrypt_secrets(django_apps, editor)
    assert raw_secret(device.pk) == secret


def test_rotate_pii_keys_re_encrypts_totp_secrets(db, settings):
    device = TotpDevice.objects.create(user=UserFactory(), secret=pyotp.random_base32())
    before = raw_secret(device.pk)
    new_key = Fernet.generate_key().decode()
    settings.WUZHA_PII_KEYS = [new_key, *settings.WUZHA_PII_KEYS]
    call_command("rotate_pii_keys", stdout=open(os.devnull, "w"))
    after = raw_secret(device.pk)
    assert after != before
    settings.WUZHA_PII_KEYS = [new_key]  # the old key can go
    assert TotpDevice.objects.get(pk=device.pk).secret == device.secret


def test_admin_login_cannot_skip_the_second_factor(client, db):
    admin = UserFactory(username="root", is_staff=True, is_superuser=True)
    device = TotpDevice.objects.create(user=admin, secret=pyotp.random_base32())
    page = client.get("/admin/login/?next=/admin/sites/")
    assert page.status_code == 302 and page.url == reverse("login") + "?next=/admin/sites/"
    # Posting the password straight to the admin's login page logs nobody in.
    response = client.post("/admin/login/?next=/admin/", {"username": "root", "password": PASSWORD})
    assert response.status_code == 302 and "_auth_user_id" not in client.session
    assert client.get(reverse("admin:index")).status_code == 302
    # The admin's own redirect for anonymous users leads to the portal login, then the code, then the admin.
    to_login = client.get(reverse("admin:index"))
    followed = client.get(to_login.url)
    assert followed.status_code == 302 and followed.url.startswith(reverse("login"))
    step = client.post(followed.url, {"username": "root", "password": PASSWORD})
    assert step.url == reverse("totp_verify") and "_auth_user_id" not in client.session
    done = client.post(reverse("totp_verify"), {"code": pyotp.TOTP(device.secret).now()})
    assert done.status_code == 302 and done.url == reverse("admin:index")
    assert client.get(reverse("admin:index")).status_code == 200
