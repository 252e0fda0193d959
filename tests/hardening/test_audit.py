"""Audit trail (MLPS 2.0 安全审计): history of records, login events, append-only tables, the purge
that keeps 180 days, the staff pages, and logs without ID-card or phone numbers."""
import logging
from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from sites.audit_tasks import audit_purge_task
from sites.models import AuthEvent, Site
from tests.factories import SiteFactory, UserFactory
from wuzha.lib.appendonly import AppendOnlyError
from wuzha.lib.logging import MaskPersonalDataFilter, mask_personal

HistoricalSite = Site.history.model


def test_site_create_and_update_leave_history_with_user_and_request_id(login, cadre_a, world):
    client = login(cadre_a)
    response = client.post(
        reverse("sites:site_create"),
        {"village": world.village_a.pk, "kind": "community", "name": "审计小区", "households": 100, "residents": 300},
    )
    site = Site.objects.get(name="审计小区")
    client.post(
        reverse("sites:site_update", args=[site.pk]),
        {"village": world.village_a.pk, "kind": "community", "name": "审计小区(改名)", "households": 120,
         "residents": 300},
    )  # fmt: skip
    created, changed = site.history.order_by("history_date")
    assert created.history_type == "+" and changed.history_type == "~"
    assert created.history_user == changed.history_user == cadre_a
    assert created.request_id == response["X-Request-ID"] and len(changed.request_id) == 32
    delta = changed.diff_against(created)
    assert {c.field: (c.old, c.new) for c in delta.changes} == {
        "name": ("审计小区", "审计小区(改名)"), "households": (100, 120),
    } | {c.field: (c.old, c.new) for c in delta.changes if c.field == "updated_at"}


def test_reason_is_kept(world):
    from sites.models import record_reason
    from sites.services import site_save

    site = world.site_a
    site.households = 999
    record_reason(site, "入户核实后更正户数")
    site_save(actor=None, site=site)
    assert site.history.first().history_change_reason == "入户核实后更正户数"


def test_login_events_recorded(client, db):
    user = UserFactory(username="qian")
    client.post(reverse("login"), {"username": "qian", "password": "wrong"}, REMOTE_ADDR="10.2.3.4")
    client.post(reverse("login"), {"username": "qian", "password": "Test-password-123"}, REMOTE_ADDR="10.2.3.4",
                HTTP_USER_AGENT="Mozilla/5.0 测试")  # fmt: skip
    client.post(reverse("logout"), REMOTE_ADDR="10.2.3.4")
    events = list(AuthEvent.objects.order_by("created_at", "pk"))
    assert [(e.kind, e.success, e.username, e.ip) for e in events] == [
        ("failure", False, "qian", "10.2.3.4"),
        ("login", True, "qian", "10.2.3.4"),
        ("logout", True, "qian", "10.2.3.4"),
    ]
    assert events[1].user == user and events[1].user_agent == "Mozilla/5.0 测试" and events[1].request_id


@pytest.mark.parametrize("make", [
    lambda world: AuthEvent.objects.create(kind="login", username="x"),
    lambda world: HistoricalSite.objects.filter(id=SiteFactory(village=world.village_a).pk).get(),
], ids=["auth_event", "history"])  # fmt: skip
def test_audit_tables_refuse_update_and_delete(world, make):
    row = make(world)
    model = type(row)
    with pytest.raises(AppendOnlyError):
        row.save()
    with pytest.raises(AppendOnlyError):
        row.delete()
    with pytest.raises(AppendOnlyError):
        model.objects.filter(pk=row.pk).update(request_id="forged")
    with pytest.raises(AppendOnlyError):
        model.objects.filter(pk=row.pk).delete()
    with pytest.raises(AppendOnlyError):
        model.objects.all().delete()
    assert model.objects.filter(pk=row.pk).exists()


def test_audit_admin_is_read_only(client, db):
    client.force_login(UserFactory(username="root", is_superuser=True, is_staff=True))
    event = AuthEvent.objects.create(kind="login", username="x")
    assert client.get(reverse("admin:sites_authevent_changelist")).status_code == 200
    assert client.get(reverse("admin:sites_authevent_add")).status_code == 403
    assert client.post(reverse("admin:sites_authevent_delete", args=[event.pk]), {"post": "yes"}).status_code == 403
    assert AuthEvent.objects.filter(pk=event.pk).exists()


def _raw_update(qs, values):
    query = qs.query.chain(__import__("django.db.models.sql", fromlist=["UpdateQuery"]).UpdateQuery)
    query.add_update_values(values)
    return query.get_compiler(qs.db).execute_sql(None)


def make_aged(world, days):
    event = AuthEvent.objects.create(kind="login", username=f"aged{days}")
    _raw_update(AuthEvent.objects.filter(pk=event.pk), {"created_at": timezone.now() - timedelta(days=days)})
    site = SiteFactory(village=world.village_a, name=f"旧单位{days}")
    _raw_update(HistoricalSite.objects.filter(id=site.pk), {"history_date": timezone.now() - timedelta(days=days)})
    return event, site


@pytest.mark.parametrize("run", ["service", "command", "task"])
def test_purge_keeps_179_days_removes_181(world, run):
    young_event, young_site = make_aged(world, 179)
    old_event, old_site = make_aged(world, 181)
    if run == "command":
        call_command("audit_purge", stdout=open("/dev/null", "w"))
    elif run == "task":
        audit_purge_task.apply().get()
    else:
        from sites.audit import audit_purge

        assert audit_purge()["登录审计"] == 1
    assert AuthEvent.objects.filter(pk=young_event.pk).exists()
    assert not AuthEvent.objects.filter(pk=old_event.pk).exists()
    assert HistoricalSite.objects.filter(id=young_site.pk).exists()
    assert not HistoricalSite.objects.filter(id=old_site.pk).exists()
    assert Site.objects.filter(pk=old_site.pk).exists()  # the record itself is never purged


def test_purge_is_scheduled_daily_and_retention_at_least_180_days(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["audit-purge-daily"]
    assert entry["task"] == audit_purge_task.name and entry["schedule"] <= 24 * 3600
    assert settings.WUZHA_AUDIT_RETENTION_DAYS >= 180


@pytest.fixture
def auditor(db):
    user = UserFactory(username="auditor")
    user.user_permissions.add(*Permission.objects.filter(codename__in=["view_authevent", "unlock_user"]))
    return user


def test_audit_pages_need_the_right(client, town_staff):
    client.force_login(town_staff)
    for name in ("audit:auth_events", "audit:history", "audit:security"):
        assert client.get(reverse(name)).status_code == 403


def test_auth_event_list_filters(client, auditor):
    AuthEvent.objects.create(kind="failure", success=False, username="zhang", ip="10.0.0.9")
    AuthEvent.objects.create(kind="login", username="lisi", ip="10.0.0.8")
    client.force_login(auditor)
    body = client.get(reverse("audit:auth_events"), {"success": "0"}).content.decode()
    assert "zhang" in body and "lisi" not in body
    body = client.get(reverse("audit:auth_events"), {"q": "10.0.0.8"}).content.decode()
    assert "lisi" in body and "zhang" not in body
    today = timezone.localdate().isoformat()
    assert "zhang" in client.get(reverse("audit:auth_events"), {"since": today, "kind": "failure"}).content.decode()


def test_history_list_shows_before_and_after(client, auditor, world):
    from sites.services import site_save

    site = world.site_a
    site.name = "甲村幸福小区(更名)"
    site_save(actor=None, site=site)
    client.force_login(auditor)
    body = client.get(reverse("audit:history"), {"model": "sites.historicalsite"}).content.decode()
    assert "甲村幸福小区 → 甲村幸福小区(更名)" in body
    assert client.get(reverse("audit:history"), {"model": "nope"}).status_code == 404
    body = client.get(reverse("audit:history"), {"model": "sites.historicalsite", "history_type": "-"}).content
    assert "更名" not in body.decode()


@pytest.mark.parametrize("name,size", [("audit:auth_events", 5), ("audit:auth_events", 60),
                                       ("audit:history", 5), ("audit:history", 60)])  # fmt: skip
def test_audit_pages_query_bounded(client, auditor, world, django_assert_max_num_queries, name, size):
    for i in range(size):
        AuthEvent.objects.create(kind="login", username=f"u{i}", actor=auditor)
        site = SiteFactory(village=world.village_a, name=f"单位{i}")
        site.households += 1
        site.save()
    client.force_login(auditor)
    client.get(reverse(name))  # warm the session
    with django_assert_max_num_queries(12):
        assert client.get(reverse(name), {"model": "sites.historicalsite"}).status_code == 200


def test_security_page_query_bounded(client, auditor, django_assert_max_num_queries):
    from sites.models import UserSession

    for i in range(30):
        UserSession.objects.create(user=UserFactory(username=f"s{i}"), session_key=f"k{i:038d}")
    client.force_login(auditor)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("audit:security")).status_code == 200


def test_logs_mask_id_cards_and_phones(caplog):
    assert mask_personal("身份证 35052119900101123X 电话 13812345678") == "身份证 350521********123X 电话 138****5678"
    assert mask_personal("订单 123456789012345678901 区划 350521106201") == "订单 123456789012345678901 区划 350521106201"
    logger = logging.getLogger("wuzha.test")
    logger.addFilter(MaskPersonalDataFilter())
    try:
        with caplog.at_level(logging.INFO, logger="wuzha.test"):
            logger.info("导入失败:%s 的手机 %s", "350521199001011234", "15960001234")
    finally:
        logger.filters.clear()
    assert "350521199001011234" not in caplog.text and "15960001234" not in caplog.text
    assert "350521********1234" in caplog.text and "159****1234" in caplog.text


def test_logging_config_masks_root_handler(settings):
    handler = settings.LOGGING["handlers"]["console"]
    assert "mask_personal" in handler["filters"] and "request_id" in handler["filters"]


def test_deleting_a_user_keeps_their_audit_rows(login, cadre_a, world):
    from sites.services import site_save

    AuthEvent.objects.create(kind="login", user=cadre_a, username=cadre_a.username)
    client = login(cadre_a)
    client.post(reverse("sites:site_update", args=[world.site_a.pk]),
                {"village": world.village_a.pk, "kind": "community", "name": "改名小区", "households": 1, "residents": 3})  # fmt: skip
    site_save(actor=None, site=world.site_a)
    cadre_a.delete()
    assert AuthEvent.objects.filter(username="cadre_a", user=None).exists()
    assert world.site_a.history.filter(history_user=None, history_type="~").count() >= 1


def test_account_changes_have_history_without_password_hashes(db):
    user = UserFactory(username="history_user")
    user.is_staff = True
    user.set_password("Another-Long-Pass-2026")
    user.save()
    rows = list(user.history.order_by("history_date"))
    assert [r.history_type for r in rows][-1] == "~" and rows[-1].is_staff and not rows[0].is_staff
    field_names = {f.name for f in type(rows[0])._meta.fields}
    assert "password" not in field_names and "last_login" not in field_names


def test_logins_do_not_add_account_history(client, db):
    user = UserFactory(username="frequent")
    rows = user.history.count()
    for _ in range(3):
        client.post(reverse("login"), {"username": "frequent", "password": "Test-password-123"})
        client.post(reverse("logout"))
    assert user.history.count() == rows
    assert AuthEvent.objects.filter(kind="login", user=user).count() == 3
    user.first_name = "改名"
    user.save()
    assert user.history.count() == rows + 1


def test_odd_client_address_does_not_break_the_record(rf, db):
    from sites.audit import auth_event_record

    request = rf.get("/", REMOTE_ADDR="unknown")
    assert auth_event_record(kind="failure", request=request, username="x", success=False).ip is None
