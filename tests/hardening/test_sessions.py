"""Sessions (MLPS 2.0 会话管理): idle and absolute timeouts, sessions ended on deactivation,
password change and by staff; a table finds a user's sessions without scanning them all."""
import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from sites.models import AuthEvent, UserSession
from tests.factories import UserFactory
from wuzha.lib import sessions as session_timeouts

PASSWORD = "Test-password-123"


@pytest.fixture
def clock(monkeypatch):
    """A clock the session middleware reads; tests move it forward."""
    state = {"t": 1_700_000_000.0}
    monkeypatch.setattr(session_timeouts, "now", lambda: state["t"])

    def advance(seconds):
        state["t"] += seconds

    return advance


def logged_in_client(username="zhou", ip="10.1.1.1"):
    client = Client(REMOTE_ADDR=ip)
    response = client.post(reverse("login"), {"username": username, "password": PASSWORD})
    assert response.status_code == 302
    return client


def test_idle_timeout_30_minutes(db, clock):
    UserFactory(username="zhou")
    client = logged_in_client()
    clock(29 * 60)
    assert client.get(reverse("home")).status_code == 200  # activity resets the idle clock
    clock(29 * 60)
    assert client.get(reverse("home")).status_code == 200
    clock(30 * 60 + 1)
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    assert "_auth_user_id" not in client.session
    assert AuthEvent.objects.filter(kind=AuthEvent.Kind.TIMEOUT, username="zhou").exists()
    assert "自动退出" in client.get(response.url).content.decode()


def test_absolute_lifetime_8_hours(db, clock):
    UserFactory(username="zhou")
    client = logged_in_client()
    for _ in range(16):  # busy all day: a request every 29 minutes (7 h 44 min)
        clock(29 * 60)
        assert client.get(reverse("home")).status_code == 200
    clock(20 * 60)  # 8 h 04 min after login
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    assert AuthEvent.objects.filter(kind=AuthEvent.Kind.TIMEOUT, detail__contains="8 小时").exists()


def test_login_records_a_session_row_logout_removes_it(db):
    user = UserFactory(username="zhou")
    client = logged_in_client()
    row = UserSession.objects.get(user=user)
    assert row.session_key == client.session.session_key and row.ip == "10.1.1.1"
    client.post(reverse("logout"))
    assert not UserSession.objects.filter(user=user).exists()
    assert AuthEvent.objects.filter(kind=AuthEvent.Kind.LOGOUT, user=user).exists()


def test_deactivation_ends_every_session(db):
    user = UserFactory(username="zhou")
    phone, laptop = logged_in_client(ip="10.1.1.1"), logged_in_client(ip="10.1.1.2")
    other = UserFactory(username="wu")
    bystander = logged_in_client("wu")
    user.is_active = False
    user.save()
    for client in (phone, laptop):
        assert client.get(reverse("home")).status_code == 302
    assert not UserSession.objects.filter(user=user).exists()
    assert Session.objects.count() == 1  # only wu's
    assert bystander.get(reverse("home")).status_code == 200 and UserSession.objects.filter(user=other).exists()
    assert AuthEvent.objects.filter(kind=AuthEvent.Kind.DEACTIVATED, user=user).exists()


def test_password_change_ends_other_sessions_keeps_this_one(db):
    user = UserFactory(username="zhou")
    phone, laptop = logged_in_client(ip="10.1.1.1"), logged_in_client(ip="10.1.1.2")
    response = laptop.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": "Another-Long-Pass-2026", "new_password2": "Another-Long-Pass-2026"},
    )
    assert response.status_code == 302
    assert laptop.get(reverse("home")).status_code == 200
    assert phone.get(reverse("home")).status_code == 302
    assert list(UserSession.objects.filter(user=user).values_list("session_key", flat=True)) == [
        laptop.session.session_key
    ]
    assert AuthEvent.objects.filter(kind=AuthEvent.Kind.PASSWORD_CHANGED, user=user).exists()


def test_staff_end_a_users_sessions(db):
    user = UserFactory(username="zhou")
    admin = UserFactory(username="auditor", is_superuser=True, is_staff=True)
    phone = logged_in_client()
    staff = Client()
    staff.force_login(admin)
    assert "zhou" in staff.get(reverse("audit:security")).content.decode()
    staff.post(reverse("audit:security"), {"action": "end_sessions", "user": user.pk})
    assert phone.get(reverse("home")).status_code == 302
    event = AuthEvent.objects.get(kind=AuthEvent.Kind.SESSIONS_ENDED)
    assert event.user == user and event.actor == admin and "1 个会话" in event.detail
    assert staff.get(reverse("home")).status_code == 200  # the staff's own session is untouched


def test_admin_action_ends_sessions(db):
    user = UserFactory(username="zhou")
    admin = UserFactory(username="auditor", is_superuser=True, is_staff=True)
    phone = logged_in_client()
    staff = Client()
    staff.force_login(admin)
    response = staff.post(
        reverse("admin:auth_user_changelist"), {"action": "end_sessions", "_selected_action": [user.pk]}
    )
    assert response.status_code == 302
    assert phone.get(reverse("home")).status_code == 302
