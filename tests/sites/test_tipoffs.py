"""Public tip-offs (N5.3): submission with and without contact, rate limit, receipt status page, routing to
the town's staff only, masked and access-logged contact, XSS rendered inert everywhere a tip shows."""
import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from sites.models import AccessLog, TipNote, TipOff
from sites.roles import Role
from sites.services_tipoffs import tipoff_assign, tipoff_close, tipoff_note, tipoff_submit
from sites.views_tipoffs import SUBMIT_LIMIT
from tests.campaigns.factories import image_bytes
from tests.factories import user_with_role

from .factories import IncidentFactory, PremisesFactory

XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()


def _post(client, world, **extra):
    data = {"kind": "den", "what": "三楼深夜很多人打电话,窗户贴满报纸", "village": world.village_a.pk,
            "site": world.site_a.pk, "address": "3号楼301", "happened_on": "2022-01-05", **extra}  # fmt: skip
    return client.post("/sites/tip/", data)


def test_anonymous_tip_without_login_N5_3(client, world):
    assert client.get("/sites/tip/").status_code == 200
    response = _post(client, world)
    assert response.status_code == 200
    tip = TipOff.objects.get()
    assert tip.receipt_code in response.content.decode()
    assert tip.is_anonymous and tip.village == world.village_a and tip.status == TipOff.Status.NEW


def test_tip_with_contact_is_stored_encrypted_and_shown_masked_N5_3(client, world, town_staff):
    _post(client, world, contact_name="王小明", contact_phone="13800001234")
    tip = TipOff.objects.get()
    assert tip.contact_phone == "13800001234"
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("SELECT contact_phone, contact_name FROM sites_tipoff")
        raw = cur.fetchone()
    assert "13800001234" not in raw[0] and "王小明" not in raw[1]
    staff = Client()
    staff.force_login(town_staff)
    body = staff.get(f"/sites/tipoffs/{tip.pk}/").content.decode()
    assert "138****1234" in body and "13800001234" not in body and "王小明" not in body and "王**" in body


def test_full_contact_needs_permission_and_reason_and_is_logged_N5_3(client, world, town_staff):
    _post(client, world, contact_phone="13800001234")
    tip = TipOff.objects.get()
    staff = Client()
    staff.force_login(town_staff)
    assert staff.get(f"/sites/tipoffs/{tip.pk}/contact/").status_code == 403
    from django.contrib.auth.models import Permission

    town_staff.user_permissions.add(Permission.objects.get(codename="view_full_pii"))
    staff.force_login(town_staff)
    assert "13800001234" not in staff.post(f"/sites/tipoffs/{tip.pk}/contact/", {"reason": "x"}).content.decode()
    body = staff.post(f"/sites/tipoffs/{tip.pk}/contact/", {"reason": "核实线索需回访"}).content.decode()
    assert "13800001234" in body
    log = AccessLog.objects.get()
    assert log.tipoff == tip and log.person is None and log.user == town_staff and log.reason == "核实线索需回访"
    assert "举报线索" in staff.get("/sites/access-log/").content.decode()


def test_invalid_phone_and_fake_photo_are_refused_N5_3(client, world):
    assert _post(client, world, contact_phone="12345").status_code == 400
    photo = SimpleUploadedFile("a.jpg", b"GIF89a not really", content_type="image/jpeg")
    assert _post(client, world, photos=photo).status_code == 400
    assert not TipOff.objects.exists()
    good = SimpleUploadedFile("a.jpg", image_bytes(), content_type="image/jpeg")
    assert _post(client, world, photos=good).status_code == 200
    assert TipOff.objects.get().photos.count() == 1


def test_site_must_be_in_the_village_N5_3(client, world):
    assert _post(client, world, site=world.site_c.pk).status_code == 400
    assert not TipOff.objects.exists()


def test_rate_limit_per_client_N5_3(client, world):
    for _ in range(SUBMIT_LIMIT):
        assert _post(client, world).status_code == 200
    response = _post(client, world)
    assert response.status_code == 429 and "过于频繁" in response.content.decode()
    assert TipOff.objects.count() == SUBMIT_LIMIT


def test_csrf_is_enforced_N5_3(world):
    strict = Client(enforce_csrf_checks=True)
    assert strict.post("/sites/tip/", {"kind": "den", "what": "x", "village": world.village_a.pk}).status_code == 403


def test_receipt_status_page_shows_no_internal_notes_N5_3(client, world, town_staff):
    _post(client, world)
    tip = TipOff.objects.get()
    tipoff_assign(actor=town_staff, tip=tip, assignee=town_staff)
    tipoff_note(actor=town_staff, tip=tip, text="内部:房东是张某某,已约派出所")
    tipoff_close(actor=town_staff, tip=tip, outcome="referred", note="内部:移交东桥派出所")
    body = client.post("/sites/tip/status/", {"code": tip.receipt_code.lower()}).content.decode()
    assert "已办结" in body and "已移交公安机关" in body
    for internal in ("内部", "张某某", "town_staff", "派出所", "3号楼301"):
        assert internal not in body, internal
    assert "没有找到" in client.post("/sites/tip/status/", {"code": "ZZZZZZZZZZ"}).content.decode()


def test_tip_routes_to_its_town_staff_only_N5_3(client, world, town_staff, other_town_staff, cadre_a, inspector,
                                                school_liaison):  # fmt: skip
    tip = tipoff_submit(kind="device", what="出租屋里有多卡宝", village=world.village_c)
    staff_y = Client()
    staff_y.force_login(other_town_staff)
    assert "出租屋里有多卡宝" in staff_y.get("/sites/tipoffs/").content.decode()
    assert staff_y.get(f"/sites/tipoffs/{tip.pk}/").status_code == 200
    for user in (town_staff, cadre_a, inspector, school_liaison):
        c = Client()
        c.force_login(user)
        assert c.get(f"/sites/tipoffs/{tip.pk}/").status_code == 404, user
        listing = c.get("/sites/tipoffs/")
        assert listing.status_code == 404 or "多卡宝" not in listing.content.decode(), user


def test_staff_assign_follow_link_and_close_N5_3(client, world, town_staff):
    tip = tipoff_submit(kind="den", what="可疑", village=world.village_a)
    premises = PremisesFactory(village=world.village_a)
    incident = IncidentFactory(site=world.site_a)
    client.force_login(town_staff)
    url = f"/sites/tipoffs/{tip.pk}/act/"
    client.post(url, {"action": "assign", "assignee": town_staff.pk})
    client.post(url, {"action": "note", "text": "已上门核实"})
    client.post(url, {"action": "link", "premises": premises.pk, "incident": incident.pk})
    client.post(url, {"action": "close", "outcome": "confirmed", "note": "查获窝点一处"})
    tip.refresh_from_db()
    assert tip.assignee == town_staff and tip.premises == premises and tip.incident == incident
    assert tip.status == TipOff.Status.CLOSED and tip.outcome == "confirmed" and tip.closed_at
    assert TipNote.objects.filter(tip=tip).count() == 3


def test_assignee_must_be_staff_of_the_town_N5_3(world, town_staff, other_town_staff):
    tip = tipoff_submit(kind="den", what="可疑", village=world.village_a)
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        tipoff_assign(actor=town_staff, tip=tip, assignee=other_town_staff)


def test_xss_payload_is_inert_on_every_page_showing_a_tip_N5_3(client, world, town_staff):
    response = _post(client, world, what=XSS, address=XSS, contact_name="<b>x</b>")
    pages = [response]
    tip = TipOff.objects.get()
    tipoff_note(actor=town_staff, tip=tip, text=XSS)
    tipoff_close(actor=town_staff, tip=tip, outcome="confirmed", note=XSS)
    pages.append(client.post("/sites/tip/status/", {"code": tip.receipt_code}))
    staff = Client()
    staff.force_login(town_staff)
    pages += [staff.get("/sites/tipoffs/"), staff.get(f"/sites/tipoffs/{tip.pk}/")]
    for page in pages:
        body = page.content.decode()
        assert "<script>alert" not in body and "<img src=x" not in body and "<b>x</b>" not in body
    detail = pages[-1].content.decode()
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in detail


@pytest.mark.parametrize("n", [3, 15])
def test_tip_list_queries_are_bounded_N5_3(client, world, town_staff, django_assert_max_num_queries, n):
    for i in range(n):
        tip = tipoff_submit(kind="den", what=f"线索{i}", village=world.village_a, site=world.site_a)
        tipoff_assign(actor=town_staff, tip=tip, assignee=town_staff)
    client.force_login(town_staff)
    with django_assert_max_num_queries(12):
        assert client.get("/sites/tipoffs/").status_code == 200
    with django_assert_max_num_queries(20):
        assert client.get(f"/sites/tipoffs/{tip.pk}/").status_code == 200
