"""Logins (MLPS 2.0 身份鉴别): lockout, unlock, password rules, Argon2, demo accounts refused."""
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import password_validation
from django.contrib.auth.hashers import Argon2PasswordHasher, identify_hasher, make_password
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.urls import reverse

from sites.audit import demo_accounts_flag
from sites.models import AuthEvent
from tests.factories import UserFactory

PASSWORD = "Test-password-123"
LOGIN = "login"


def attempt(client, username, password, ip="10.0.0.1"):
    return client.post(reverse(LOGIN), {"username": username, "password": password}, REMOTE_ADDR=ip)


def test_fifth_failure_locks_username_from_that_ip_even_with_right_password(client, db):
    UserFactory(username="zhang")
    UserFactory(username="colleague")
    for _ in range(4):
        response = attempt(client, "zhang", "wrong-password", ip="10.0.1.9")
        assert response.status_code == 200 and "请输入一个正确的" in response.content.decode()
    # The 5th failure locks (django-axes counts it and answers 429 at once).
    assert attempt(client, "zhang", "wrong-password", ip="10.0.1.9").status_code == 429
    # Locked by username and IP together: the right password from that IP is refused, saying for how long.
    response = attempt(client, "zhang", PASSWORD, ip="10.0.1.9")
    body = response.content.decode()
    assert response.status_code == 429 and "锁定 30 分钟" in body and "约 <strong>30 分钟</strong>后自动解除" in body
    assert "_auth_user_id" not in client.session
    lockout = AuthEvent.objects.filter(kind=AuthEvent.Kind.LOCKOUT, username="zhang").order_by("pk").first()
    assert lockout is not None and lockout.ip == "10.0.1.9" and lockout.created_at and not lockout.success
    assert AuthEvent.objects.filter(kind=AuthEvent.Kind.FAILURE, username="zhang", success=False).count() >= 5
    # A colleague behind the same office address is not locked out.
    assert attempt(client, "colleague", PASSWORD, ip="10.0.1.9").status_code == 302


def test_failures_spread_over_addresses_do_not_lock_the_username(client, db):
    UserFactory(username="zhou")
    for i in range(5):
        assert attempt(client, "zhou", "wrong-password", ip=f"10.0.3.{i}").status_code == 200
    assert attempt(client, "zhou", PASSWORD, ip="10.0.3.9").status_code == 302


def test_four_failures_then_right_password_logs_in_and_resets(client, db):
    UserFactory(username="li")
    for _ in range(4):
        attempt(client, "li", "wrong-password")
    assert attempt(client, "li", PASSWORD).status_code == 302
    assert not AccessAttempt.objects.filter(username="li", failures_since_start__gte=1).exists()


def test_five_failures_from_one_ip_lock_no_other_username(client, db):
    UserFactory(username="wang")
    for i in range(5):
        attempt(client, f"guess{i}", "wrong-password", ip="10.9.9.9")
    assert attempt(client, "wang", PASSWORD, ip="10.9.9.9").status_code == 302


def test_ip_locks_every_username_at_its_own_higher_limit(client, db, settings):
    UserFactory(username="wang")
    assert settings.WUZHA_IP_FAILURE_LIMIT > settings.AXES_FAILURE_LIMIT
    for i in range(settings.WUZHA_IP_FAILURE_LIMIT - 1):
        attempt(client, f"guess{i % 10}", "wrong-password", ip="10.9.9.9")
    assert attempt(client, "wang", PASSWORD, ip="10.9.9.9").status_code == 302
    client.logout()
    attempt(client, "guess-last", "wrong-password", ip="10.9.9.9")
    response = attempt(client, "wang", PASSWORD, ip="10.9.9.9")
    assert response.status_code == 429 and "当前网络地址登录失败次数过多" in response.content.decode()
    # Another address is not locked: wang logs in from there.
    assert attempt(client, "wang", PASSWORD, ip="10.9.9.10").status_code == 302


def test_lock_lifts_after_30_minutes(client, db):
    UserFactory(username="chen")
    for _ in range(5):
        attempt(client, "chen", "wrong-password")
    assert attempt(client, "chen", PASSWORD).status_code == 429
    AccessAttempt.objects.update(attempt_time=AccessAttempt.objects.first().attempt_time - timedelta(minutes=29))
    response = attempt(client, "chen", PASSWORD)
    assert response.status_code == 429 and "约 <strong>1 分钟</strong>后自动解除" in response.content.decode()
    AccessAttempt.objects.update(attempt_time=AccessAttempt.objects.first().attempt_time - timedelta(minutes=2))
    assert attempt(client, "chen", PASSWORD).status_code == 302


def test_staff_unlocks_and_it_is_logged(client, db):
    UserFactory(username="zhao")
    admin = UserFactory(username="auditor", is_superuser=True, is_staff=True)
    for _ in range(5):
        attempt(client, "zhao", "wrong-password")
    assert attempt(client, "zhao", PASSWORD).status_code == 429
    staff_client = client.__class__()
    staff_client.force_login(admin)
    page = staff_client.get(reverse("audit:security"))
    assert "zhao" in page.content.decode() and "解除锁定" in page.content.decode()
    staff_client.post(reverse("audit:security"), {"action": "unlock", "username": "zhao"})
    event = AuthEvent.objects.get(kind=AuthEvent.Kind.UNLOCK)
    assert event.username == "zhao" and event.actor == admin
    assert attempt(client, "zhao", PASSWORD).status_code == 302


def test_unlock_needs_the_right(client, town_staff):
    client.force_login(town_staff)
    assert client.post(reverse("audit:security"), {"action": "unlock", "username": "x"}).status_code == 403
    town_staff.user_permissions.add(Permission.objects.get(codename="view_authevent"))
    client.force_login(town_staff)
    assert client.post(reverse("audit:security"), {"action": "unlock", "username": "x"}).status_code == 403
    assert not AuthEvent.objects.filter(kind=AuthEvent.Kind.UNLOCK).exists()


@pytest.mark.parametrize(
    "password,code",
    [("Short-1a-Xy", "password_too_short"), ("password1234", "password_too_common"),
     ("839274619285", "password_entirely_numeric")],
)  # fmt: skip
def test_password_rules(password, code, db):
    with pytest.raises(ValidationError) as excinfo:
        password_validation.validate_password(password, UserFactory(username="pw"))
    assert code in [e.code for e in excinfo.value.error_list]


def test_good_password_passes(db):
    password_validation.validate_password("Dongqiao-Fraud-Free-2022", UserFactory(username="pw2"))


def test_production_hashes_with_argon2():
    from wuzha.settings import base, prod

    assert base.PASSWORD_HASHERS[0] == prod.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    with override_settings(PASSWORD_HASHERS=prod.PASSWORD_HASHERS):
        encoded = make_password("Dongqiao-Fraud-Free-2022")
        assert encoded.startswith("argon2$argon2id$")
        assert isinstance(identify_hasher(encoded), Argon2PasswordHasher)


def test_new_session_key_at_login(client, db):
    UserFactory(username="sun")
    client.get(reverse(LOGIN))
    client.session["visitor"] = 1  # an anonymous session exists before login
    session = client.session
    session["visitor"] = 1
    session.save()
    before = client.cookies["sessionid"].value
    assert attempt(client, "sun", PASSWORD).status_code == 302
    assert client.cookies["sessionid"].value != before
    assert client.session.session_key != before


@override_settings(WUZHA_ALLOW_DEMO_LOGINS=False, DEBUG=False)
def test_demo_accounts_refused_in_production(client, db):
    UserFactory(username="county_staff")
    demo_accounts_flag(["county_staff"])
    response = attempt(client, "county_staff", PASSWORD)
    assert response.status_code == 200 and "已停用演示账号登录" in response.content.decode()
    assert AuthEvent.objects.filter(kind=AuthEvent.Kind.DEMO_REFUSED, username="county_staff").exists()
    # Every other path (the admin login, authenticate() itself) refuses too.
    from django.contrib.auth import authenticate
    from django.test import RequestFactory

    assert authenticate(RequestFactory().post("/"), username="county_staff", password=PASSWORD) is None
    # A personal account still logs in.
    UserFactory(username="real_person")
    assert attempt(client, "real_person", PASSWORD).status_code == 302


@override_settings(WUZHA_ALLOW_DEMO_LOGINS=True, DEBUG=False)
def test_demo_accounts_allowed_when_explicitly_enabled(client, db):
    UserFactory(username="county_staff")
    demo_accounts_flag(["county_staff"])
    assert attempt(client, "county_staff", PASSWORD).status_code == 302


def test_seed_demo_flags_demo_accounts(db):
    from django.core.management import call_command

    from django.contrib.auth import get_user_model

    call_command("seed_demo", stdout=open("/dev/null", "w"))
    demo_users = get_user_model().objects.filter(groups__name="演示账号")
    assert demo_users.filter(username="admin").exists() and demo_users.count() >= 9
