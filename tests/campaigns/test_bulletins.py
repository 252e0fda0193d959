"""Fraud-method bulletins (N3.4, N3.5): targeting, acknowledgement, overdue and reminders, public page."""
import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from campaigns.bulletin_services import bulletin_publish, bulletin_remind_overdue, receipt_acknowledge
from campaigns.bulletins import SiteFacts, TargetRule, is_overdue, target_site_ids
from campaigns.models import Bulletin, BulletinReceipt
from sites.models import Site
from sites.roles import Role
from tests.factories import SiteFactory, user_with_role

from .factories import image_bytes

pytestmark = pytest.mark.usefixtures("in_process_tasks")  # rows are uncommitted: no worker sees them

SITES = [
    SiteFacts(1, "enterprise", "350521101201", new_hires_this_year=120),
    SiteFacts(2, "enterprise", "350521101201", new_hires_this_year=10),
    SiteFacts(3, "enterprise", "350521101202", new_hires_this_year=None),
    SiteFacts(4, "campus", "350521101202"),
    SiteFacts(5, "community", "350521102201"),
    SiteFacts(6, "enterprise", "350521102201", new_hires_this_year=300),
    SiteFacts(7, "enterprise", "350521101201", new_hires_this_year=500, is_active=False),
]


def test_targeting_by_scope_N3_4():
    assert target_site_ids(TargetRule("350521101"), SITES) == [1, 2, 3, 4]
    assert target_site_ids(TargetRule("350521"), SITES) == [1, 2, 3, 4, 5, 6]
    assert target_site_ids(TargetRule("350521101202"), SITES) == [3, 4]


def test_targeting_by_kind_N3_4():
    assert target_site_ids(TargetRule("350521", frozenset({"campus"})), SITES) == [4]
    assert target_site_ids(TargetRule("350521", frozenset({"campus", "community"})), SITES) == [4, 5]


def test_targeting_enterprises_with_many_new_hires_N3_5():
    rule = TargetRule("350521", frozenset({"enterprise"}), min_new_hires=100)
    assert target_site_ids(rule, SITES) == [1, 6]  # unknown figure (3) and inactive (7) are not targeted
    rule = TargetRule("350521101", frozenset({"enterprise", "campus"}), min_new_hires=100)
    assert target_site_ids(rule, SITES) == [1, 4]  # the floor applies to enterprises only
    assert target_site_ids(TargetRule("350521", frozenset({"enterprise"}), min_new_hires=10), SITES) == [1, 2, 6]


def test_overdue_logic_N3_4():
    published = dt.date(2022, 1, 3)
    assert not is_overdue(published, 7, None, dt.date(2022, 1, 10))  # the due day itself is still in time
    assert is_overdue(published, 7, None, dt.date(2022, 1, 11))
    assert not is_overdue(published, 7, dt.date(2022, 1, 20), dt.date(2022, 1, 30))  # late but done


@pytest.fixture
def enterprises(world):
    big = SiteFactory(village=world.village_a, name="甲村大厂", kind=Site.Kind.ENTERPRISE, new_hires_this_year=150)
    small = SiteFactory(village=world.village_a, name="甲村小厂", kind=Site.Kind.ENTERPRISE, new_hires_this_year=5)
    other = SiteFactory(village=world.village_c, name="外镇大厂", kind=Site.Kind.ENTERPRISE, new_hires_this_year=900)
    return big, small, other


def _bulletin(area, **kw):
    return Bulletin(area=area, title="刷单返利新变种", fraud_type="billing", what_happened="某厂新员工被拉进刷单群。",
                    how_to_guard="凡是刷单都是诈骗。", **kw)  # fmt: skip


def test_publish_creates_receipts_for_targeted_sites_and_villages_N3_5(world, town_staff, enterprises):
    big, small, other = enterprises
    b = bulletin_publish(actor=town_staff, bulletin=_bulletin(world.town_x, site_kinds=["enterprise"], min_new_hires=100))
    receipts = list(b.receipts.all())
    assert {r.site_id for r in receipts if r.site_id} == {big.pk}
    assert {r.village_id for r in receipts if not r.site_id} == {world.village_a.pk, world.village_b.pk}


def test_publish_outside_own_town_is_refused_N3_4(world, town_staff):
    with pytest.raises(ValidationError):
        bulletin_publish(actor=town_staff, bulletin=_bulletin(world.town_y))


def test_publish_refuses_fake_attachment_and_image_N3_4(world, town_staff):
    b = _bulletin(world.town_x, attachment=SimpleUploadedFile("a.pdf", b"MZ not a pdf"))
    with pytest.raises(ValidationError):
        bulletin_publish(actor=town_staff, bulletin=b)
    with pytest.raises(ValidationError):
        bulletin_publish(actor=town_staff, bulletin=_bulletin(world.town_x),
                         images=[SimpleUploadedFile("x.jpg", b"<script>alert(1)</script>")])  # fmt: skip
    assert not Bulletin.objects.exists()


def test_liaison_and_cadre_see_and_acknowledge_N3_4(world, town_staff, school_liaison, cadre_a, client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    b = bulletin_publish(actor=town_staff, bulletin=_bulletin(world.town_x, site_kinds=["campus"]))
    receipt = b.receipts.get(site=world.school_a)
    client.force_login(school_liaison)
    panel = client.get("/campaigns/bulletins/home-panel/").content.decode()
    assert "刷单返利新变种" in panel and "确认传达" in panel
    photo = SimpleUploadedFile("e.jpg", image_bytes(), content_type="image/jpeg")
    response = client.post(f"/campaigns/bulletins/receipts/{receipt.pk}/",
                           {"channel": "meeting", "people_reached": "320", "evidence": photo})  # fmt: skip
    assert response.status_code == 302
    receipt.refresh_from_db()
    assert receipt.acknowledged_at and receipt.acknowledged_by == school_liaison and receipt.people_reached == 320
    assert receipt.evidence
    assert "都已确认" in client.get("/campaigns/bulletins/home-panel/").content.decode()
    # The village's own receipt belongs to the cadre, not the liaison.
    village_receipt = b.receipts.get(village=world.village_a, site=None)
    assert client.get(f"/campaigns/bulletins/receipts/{village_receipt.pk}/").status_code == 404
    client.force_login(cadre_a)
    assert client.get(f"/campaigns/bulletins/receipts/{village_receipt.pk}/").status_code == 200


def test_staff_see_who_has_and_has_not_acknowledged_N3_4(world, town_staff, cadre_a, client):
    b = bulletin_publish(actor=town_staff, bulletin=_bulletin(world.town_x, site_kinds=["campus"], due_days=3))
    Bulletin.objects.filter(pk=b.pk).update(published_at=timezone.now() - dt.timedelta(days=10))
    receipt_acknowledge(actor=cadre_a, receipt=b.receipts.get(village=world.village_a, site=None),
                        channel="group", people_reached=40)  # fmt: skip
    client.force_login(town_staff)
    body = client.get(f"/campaigns/bulletins/{b.pk}/").content.decode()
    assert "已确认 1/3" in body and "逾期 2" in body and "甲村小学" in body and "逾期未确认" in body
    assert "累计传达 40 人" in body


def test_reminder_mails_and_flags_overdue_once_N3_4(world, town_staff, school_liaison, cadre_b, client):
    school_liaison.email = "school@example.cn"
    school_liaison.save()
    cadre_b.email = ""
    cadre_b.save()
    b = bulletin_publish(actor=town_staff, bulletin=_bulletin(world.town_x, site_kinds=["campus"], due_days=2))
    assert bulletin_remind_overdue() == 0  # nothing overdue yet
    later = timezone.localdate() + dt.timedelta(days=3)
    assert bulletin_remind_overdue(today=later) == 3  # school + two villages
    assert [m.to for m in mail.outbox] == [["school@example.cn"]]
    assert "刷单返利新变种" in mail.outbox[0].subject
    assert bulletin_remind_overdue(today=later) == 0 and len(mail.outbox) == 1  # idempotent
    assert BulletinReceipt.objects.filter(bulletin=b, reminded_at__isnull=False).count() == 3
    client.force_login(cadre_b)
    assert "已催办" in client.get("/campaigns/bulletins/home-panel/").content.decode()


def test_remind_button_queues_the_task_N3_4(world, town_staff, school_liaison, client, django_capture_on_commit_callbacks):
    school_liaison.email = "s@example.cn"
    school_liaison.save()
    b = bulletin_publish(actor=town_staff, bulletin=_bulletin(world.town_x, site_kinds=["campus"], due_days=1))
    Bulletin.objects.filter(pk=b.pk).update(published_at=timezone.now() - dt.timedelta(days=5))
    client.force_login(town_staff)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(f"/campaigns/bulletins/{b.pk}/remind/").status_code == 302
    assert len(mail.outbox) == 1


def test_public_page_shows_no_internal_field_N3_4(world, town_staff, cadre_a, client):
    b = bulletin_publish(actor=town_staff, bulletin=_bulletin(world.town_x, site_kinds=["campus"]))
    receipt_acknowledge(actor=cadre_a, receipt=b.receipts.get(village=world.village_a, site=None),
                        channel="group", people_reached=40, note="内部备注勿外传")  # fmt: skip
    body = client.get(f"/campaigns/b/{b.public_token}/").content.decode()
    assert "刷单返利新变种" in body and "凡是刷单都是诈骗" in body and 'name="viewport"' in body
    for internal in ("内部备注勿外传", "甲村小学", "甲镇", "town_staff", "确认", "/campaigns/bulletins/"):
        assert internal not in body, internal
    assert "不存在" in client.get("/campaigns/b/00000000-0000-0000-0000-000000000001/").content.decode()


def test_poster_has_qr_to_public_page_N3_4(world, town_staff, client):
    b = bulletin_publish(actor=town_staff, bulletin=_bulletin(world.town_x))
    client.force_login(town_staff)
    poster = client.get(f"/campaigns/bulletins/{b.pk}/poster/").content.decode()
    assert f"/campaigns/bulletins/{b.pk}/qr.svg" in poster and "/sites/tip/" in poster
    qr = client.get(f"/campaigns/bulletins/{b.pk}/qr.svg")
    assert qr["Content-Type"] == "image/svg+xml" and b"<svg" in qr.content


def test_create_page_publishes_N3_4(world, town_staff, client):
    client.force_login(town_staff)
    assert client.get("/campaigns/bulletins/new/").status_code == 200
    data = {"area": world.town_x.pk, "title": "冒充公检法", "fraud_type": "officials", "what_happened": "经过",
            "how_to_guard": "提示", "site_kinds": ["campus"], "to_village_cadres": "on", "due_days": "7"}  # fmt: skip
    response = client.post("/campaigns/bulletins/new/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Bulletin.objects.get().receipts.count() == 3


@pytest.mark.parametrize("n", [2, 12])
def test_bulletin_pages_have_bounded_queries_N3_4(world, town_staff, cadre_a, client, django_assert_max_num_queries, n):
    for i in range(n):
        SiteFactory(village=world.village_a, name=f"学校{i}", kind=Site.Kind.CAMPUS, school_level="primary")
    for i in range(n):
        b = bulletin_publish(actor=town_staff, bulletin=_bulletin(world.town_x, site_kinds=["campus"]))
    client.force_login(town_staff)
    with django_assert_max_num_queries(14):
        assert client.get("/campaigns/bulletins/").status_code == 200
    with django_assert_max_num_queries(16):
        assert client.get(f"/campaigns/bulletins/{b.pk}/").status_code == 200
    client.force_login(cadre_a)
    with django_assert_max_num_queries(12):
        assert client.get("/campaigns/bulletins/home-panel/").status_code == 200


def test_inspector_has_no_bulletin_pages_N3_4(world, inspector, client):
    client.force_login(inspector)
    assert client.get("/campaigns/bulletins/").status_code == 404
    assert client.get("/campaigns/bulletins/home-panel/").status_code == 404


def test_home_page_loads_the_bulletin_panel_for_cadres_and_liaisons_N3_4(world, cadre_a, school_liaison, inspector, client):
    for user in (cadre_a, school_liaison):
        client.force_login(user)
        assert "/campaigns/bulletins/home-panel/" in client.get("/").content.decode()
    client.force_login(inspector)
    assert "/campaigns/bulletins/home-panel/" not in client.get("/").content.decode()
