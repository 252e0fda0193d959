"""Key-person files (N4.2), persons abroad (N4.3), the audited full view, exports and the access log."""
import datetime as dt

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.urls import reverse

from sites.models import AbroadCase, AccessLog, KeyPerson, Measure
from sites.services_keypersons import CONFLICT, keyperson_save
from wuzha.lib.crypto import keyed_hash

from .factories import AbroadCaseFactory, KeyPersonFactory, RelativeFactory, valid_id


def grant_full_view(user):
    user.user_permissions.add(Permission.objects.get(codename="view_full_pii"))
    return type(user).objects.get(pk=user.pk)  # drop the permission cache


def person_form(world, **extra):
    data = {"village": world.village_a.pk, "name": "陈某某", "id_number": valid_id(21), "gender": "male",
            "phone": "13912340000", "household_address": "甲村 8 号", "category": "record", "risk_level": "high",
            "status": "controlled"}  # fmt: skip
    return {**data, **extra}


def test_cadre_creates_a_file_from_the_form_N4_2(login, cadre_a, world):
    response = login(cadre_a).post(reverse("sites:keyperson_create"), person_form(world))
    person = KeyPerson.objects.get(name="陈某某")
    assert response.status_code == 302 and response.url == person.get_absolute_url()
    assert person.id_number == valid_id(21) and person.version == 1


def test_bad_id_and_wrong_gender_are_explained_N4_2(login, cadre_a, world):
    client = login(cadre_a)
    body = client.post(reverse("sites:keyperson_create"), person_form(world, id_number="110105491231002")).content.decode()
    assert "15 位的旧版身份证号码" in body
    body = client.post(reverse("sites:keyperson_create"), person_form(world, gender="female")).content.decode()
    assert "性别与公民身份号码第 17 位不符" in body
    body = client.post(reverse("sites:keyperson_create"), person_form(world, phone="1391234")).content.decode()
    assert "11 位大陆手机号码" in body
    assert not KeyPerson.objects.exists()


def test_same_id_twice_in_one_village_is_refused(login, cadre_a, world):
    KeyPersonFactory(village=world.village_a, id_number=valid_id(21))
    body = login(cadre_a).post(reverse("sites:keyperson_create"), person_form(world)).content.decode()
    assert "请勿重复建档" in body


def test_edit_form_never_contains_the_full_id_or_phone(login, cadre_a, world):
    person = KeyPersonFactory(village=world.village_a, phone="13955556666")
    body = login(cadre_a).get(reverse("sites:keyperson_update", args=[person.pk])).content.decode()
    assert person.id_number not in body and "13955556666" not in body and person.masked_id in body


def test_blank_pii_on_edit_keeps_the_stored_values(login, cadre_a, world):
    person = KeyPersonFactory(village=world.village_a, phone="13955556666", name="旧名")
    data = person_form(world, id_number="", phone="", name="新名", version=person.version)
    assert login(cadre_a).post(reverse("sites:keyperson_update", args=[person.pk]), data).status_code == 302
    person.refresh_from_db()
    assert person.name == "新名" and person.phone == "13955556666" and person.version == 2


def test_second_concurrent_save_is_refused_with_a_clear_message(login, cadre_a, world):
    person = KeyPersonFactory(village=world.village_a)
    first = KeyPerson.objects.get(pk=person.pk)
    second = KeyPerson.objects.get(pk=person.pk)
    first.notes = "甲的修改"
    keyperson_save(actor=cadre_a, person=first, expected_version=1)
    second.notes = "乙的修改"
    with pytest.raises(ValidationError) as exc:
        keyperson_save(actor=cadre_a, person=second, expected_version=1)
    assert CONFLICT in exc.value.messages
    person.refresh_from_db()
    assert person.notes == "甲的修改"
    # Through the form: the stale version in the hidden field is refused, the page explains it.
    body = login(cadre_a).post(
        reverse("sites:keyperson_update", args=[person.pk]), person_form(world, id_number="", version=1, notes="丙")
    ).content.decode()
    assert "已被他人修改" in body


def test_files_are_closed_or_annulled_never_deleted(login, cadre_a, world):
    person = KeyPersonFactory(village=world.village_a)
    client = login(cadre_a)
    assert client.post(reverse("sites:keyperson_close", args=[person.pk]), {"reason": " "}).status_code == 200
    person.refresh_from_db()
    assert person.status == KeyPerson.Status.CONTROLLED  # a blank reason closes nothing
    client.post(reverse("sites:keyperson_close", args=[person.pk]), {"reason": "户籍迁出,不再居住"})
    person.refresh_from_db()
    assert person.status == KeyPerson.Status.CLOSED and person.close_reason == "户籍迁出,不再居住"
    client.post(reverse("sites:keyperson_annul", args=[person.pk]), {"reason": "重复录入"})
    person.refresh_from_db()
    assert person.annulled_at and person.annul_reason == "重复录入"
    assert person.name not in client.get(reverse("sites:keyperson_list")).content.decode()
    with pytest.raises(ValidationError):
        person.delete()
    assert KeyPerson.objects.filter(pk=person.pk).exists()


def test_only_a_superuser_deletes_a_file(world, django_user_model):
    person = KeyPersonFactory(village=world.village_a)
    admin = django_user_model.objects.create_superuser("root", password="Test-password-123")
    person.delete(superuser=admin)
    assert not KeyPerson.objects.filter(pk=person.pk).exists()


def test_measure_sets_next_follow_up_and_overdue_panel_lists_it_N4_2(login, cadre_a, world):
    person = KeyPersonFactory(village=world.village_a, cadre=cadre_a, name="逾期者")
    KeyPersonFactory(village=world.village_a, cadre=cadre_a, name="按期者")
    client = login(cadre_a)
    past = dt.date.today() - dt.timedelta(days=40)
    client.post(reverse("sites:measure_create", args=[person.pk]),
                {"kind": "visit", "done_on": past, "content": "走访", "next_due_on": past + dt.timedelta(days=30)})  # fmt: skip
    person.refresh_from_db()
    assert person.next_followup_on == past + dt.timedelta(days=30) and Measure.objects.count() == 1
    body = client.get(reverse("sites:keyperson_home_panel")).content.decode()
    assert "逾期者" in body and "按期者" not in body and "1 人已逾期" in body
    body = client.get(reverse("sites:keyperson_list"), {"overdue": "true", "mine": "true"}).content.decode()
    assert "逾期者" in body and "按期者" not in body
    assert "sites:keyperson_home_panel" not in body
    assert reverse("sites:keyperson_home_panel") in client.get(reverse("home")).content.decode()


def test_abroad_pipeline_records_attempts_and_the_return_N4_3(login, cadre_a, world):
    person = KeyPersonFactory(village=world.village_a, category="abroad", status="abroad")
    relative = RelativeFactory(person=person)
    client = login(cadre_a)
    client.post(reverse("sites:abroad_edit", args=[person.pk]), {"country": "柬埔寨", "since": "2021-05-01", "stage": "identified"})
    case = AbroadCase.objects.get(person=person)
    url = reverse("sites:attempt_create", args=[case.pk])
    body = client.post(url, {"done_on": "2022-01-05", "via": "relative", "channel": "visit", "outcome": "母亲转达",
                             "stage_after": "family"}).content.decode()  # fmt: skip
    assert "请选择是哪位亲属" in body
    client.post(url, {"done_on": "2022-01-05", "via": "relative", "relative": relative.pk, "channel": "visit",
                      "outcome": "母亲答应转达政策", "stage_after": "family"})  # fmt: skip
    client.post(url, {"done_on": "2022-02-10", "via": "direct", "channel": "video", "outcome": "本人已回国",
                      "stage_after": "returned"})  # fmt: skip
    case.refresh_from_db()
    person.refresh_from_db()
    assert case.stage == "returned" and case.returned_on == dt.date(2022, 2, 10) and case.attempts.count() == 2
    assert person.status == KeyPerson.Status.RETURNED
    body = client.get(reverse("sites:abroad_list")).content.decode()
    assert "柬埔寨" in body and "已回国" in body


def test_full_view_needs_the_permission_and_a_reason_and_is_logged(login, cadre_a, world):
    person = KeyPersonFactory(village=world.village_a, phone="13966667777")
    url = reverse("sites:keyperson_full", args=[person.pk])
    assert login(cadre_a).get(url).status_code == 403  # no role has the right by default
    cadre = grant_full_view(cadre_a)
    client = login(cadre)
    body = client.get(url).content.decode()
    assert person.id_number not in body and AccessLog.objects.count() == 0
    body = client.post(url, {"reason": "看"}).content.decode()
    assert person.id_number not in body and "至少 4 个字" in body and AccessLog.objects.count() == 0
    response = client.post(url, {"reason": "上门走访需核对身份"}, REMOTE_ADDR="10.1.2.3")
    body = response.content.decode()
    assert person.id_number in body and "13966667777" in body and "no-store" in response["Cache-Control"]
    log = AccessLog.objects.get()
    assert (log.user, log.person, log.action, log.reason, log.ip) == (
        cadre, person, "full_view", "上门走访需核对身份", "10.1.2.3"
    )


def test_masked_pages_write_no_log(login, cadre_a, world):
    person = KeyPersonFactory(village=world.village_a)
    client = login(grant_full_view(cadre_a))
    for url in (reverse("sites:keyperson_list"), person.get_absolute_url(),
                reverse("sites:keyperson_update", args=[person.pk]), reverse("sites:keyperson_full", args=[person.pk])):  # fmt: skip
        assert client.get(url).status_code == 200
    assert AccessLog.objects.count() == 0


def test_export_is_masked_and_logs_every_exported_file(login, town_staff, world):
    people = [KeyPersonFactory(village=world.village_a), KeyPersonFactory(village=world.village_b)]
    KeyPersonFactory(village=world.village_c)  # other town: not exported
    client = login(town_staff)
    assert client.post(reverse("sites:keyperson_export"), {"reason": ""}).status_code == 200
    assert AccessLog.objects.count() == 0
    response = client.post(reverse("sites:keyperson_export"), {"reason": "季度报送镇综治办"})
    text = response.content.decode("utf-8-sig")
    assert response["Content-Type"].startswith("text/csv") and "公民身份号码(脱敏)" in text
    for p in people:
        assert p.masked_id in text and p.id_number not in text and p.id_number[6:14] not in text and p.phone not in text
    assert AccessLog.objects.filter(action="export").count() == 2
    assert set(AccessLog.objects.values_list("person", flat=True)) == {p.pk for p in people}


def test_access_log_refuses_update_and_delete(world, cadre_a):
    person = KeyPersonFactory(village=world.village_a)
    log = AccessLog.objects.create(user=cadre_a, person=person, action="full_view", reason="核对", village_code="1")
    log.reason = "改掉"
    with pytest.raises(PermissionDenied):
        log.save()
    with pytest.raises(PermissionDenied):
        log.delete()
    with pytest.raises(PermissionDenied):
        AccessLog.objects.filter(pk=log.pk).update(reason="改掉")
    with pytest.raises(PermissionDenied):
        AccessLog.objects.all().delete()
    if connection.vendor == "postgresql":  # the database refuses too, whatever the application does
        with pytest.raises(Exception, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("UPDATE sites_accesslog SET reason = 'x' WHERE id = %s", [log.pk])
    assert AccessLog.objects.get(pk=log.pk).reason == "核对"


def test_access_log_admin_is_read_only(admin_client, world, cadre_a):
    person = KeyPersonFactory(village=world.village_a)
    log = AccessLog.objects.create(user=cadre_a, person=person, action="export", reason="报送", village_code="1")
    assert admin_client.get(reverse("admin:sites_accesslog_changelist")).status_code == 200
    admin_client.post(reverse("admin:sites_accesslog_change", args=[log.pk]), {"reason": "改"})
    admin_client.post(reverse("admin:sites_accesslog_delete", args=[log.pk]), {"post": "yes"})
    assert AccessLog.objects.get(pk=log.pk).reason == "报送"


def test_town_staff_read_the_access_log_of_their_town_only(login, town_staff, other_town_staff, cadre_a, world):
    mine = KeyPersonFactory(village=world.village_a, name="本镇人员")
    theirs = KeyPersonFactory(village=world.village_c, name="外镇人员")
    for p in (mine, theirs):
        AccessLog.objects.create(user=cadre_a, person=p, action="full_view", reason="核对", village_code=p.village.code)
    body = login(town_staff).get(reverse("sites:accesslog_list")).content.decode()
    assert "本镇人员" in body and "外镇人员" not in body
    assert login(cadre_a).get(reverse("sites:accesslog_list")).status_code == 404


def test_exact_lookup_by_full_id_goes_by_post_and_hash(login, cadre_a, world):
    person = KeyPersonFactory(village=world.village_a, name="被查者")
    KeyPersonFactory(village=world.village_a, name="旁人")
    client = login(cadre_a)
    response = client.post(reverse("sites:keyperson_lookup"), {"number": person.id_number})
    assert response.status_code == 302 and person.id_number not in response.url
    assert keyed_hash(person.id_number) in response.url
    body = client.get(response.url).content.decode()
    assert "被查者" in body and "旁人" not in body
    response = client.get(reverse("sites:keyperson_list"), {"q": person.id_number}, follow=True)
    body = response.content.decode()
    assert "被查者" in body and "旁人" not in body and person.id_number not in body
    assert person.id_number not in response.redirect_chain[-1][0]


KEYPERSON_URLS = ["keyperson_detail", "keyperson_update", "keyperson_full", "keyperson_close", "keyperson_annul",
                  "relative_create", "measure_create", "abroad_edit"]  # fmt: skip


@pytest.mark.parametrize("persona", ["inspector", "school_liaison"])
def test_inspectors_and_liaisons_never_reach_key_persons_N4_2(request, world, login, persona):
    client = login(request.getfixturevalue(persona))
    person = KeyPersonFactory(village=world.village_a)
    case = AbroadCaseFactory(person=person)
    for name in KEYPERSON_URLS:
        assert client.get(reverse(f"sites:{name}", args=[person.pk])).status_code == 404, name
    assert client.get(reverse("sites:attempt_create", args=[case.pk])).status_code == 404
    for name in ("keyperson_list", "keyperson_export", "abroad_list", "accesslog_list", "keyperson_home_panel"):
        assert client.get(reverse(f"sites:{name}")).status_code == 404, name
    assert client.post(reverse("sites:keyperson_lookup"), {"number": person.id_number}).status_code == 404
    assert "重点人员" not in client.get(reverse("home")).content.decode()


@pytest.mark.parametrize("rows", [5, 60])
def test_keyperson_list_query_count_is_bounded(login, town_staff, world, django_assert_max_num_queries, rows):
    KeyPersonFactory.create_batch(rows, village=world.village_a, cadre=town_staff)
    client = login(town_staff)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("sites:keyperson_list"), {"page": 2 if rows > 25 else 1}).status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(reverse("sites:abroad_list")).status_code == 200
    with django_assert_max_num_queries(10):
        assert client.get(reverse("sites:keyperson_home_panel")).status_code == 200


def test_error_reports_hide_the_id_and_phone_fields(rf, cadre_a):
    from django.views.debug import SafeExceptionReporterFilter

    from sites.views_keypersons import KeyPersonCreateView

    request = rf.post("/", {"id_number": "11010519491231002X", "phone": "13912345678", "name": "某"})
    request.user = cadre_a
    try:
        KeyPersonCreateView.as_view()(request)
    except Exception:  # noqa: BLE001 — only the decorator's mark on the request matters here
        pass
    cleaned = SafeExceptionReporterFilter().get_post_parameters(request)
    assert cleaned["id_number"] != "11010519491231002X" and cleaned["phone"] != "13912345678"
    assert cleaned["name"] == "某"


def test_access_log_takes_the_client_ip_from_the_configured_proxy_header(login, cadre_a, world, settings):
    settings.WUZHA_CLIENT_IP_HEADER = "HTTP_X_REAL_IP"
    person = KeyPersonFactory(village=world.village_a)
    client = login(grant_full_view(cadre_a))
    client.post(reverse("sites:keyperson_full", args=[person.pk]), {"reason": "核对身份信息"},
                HTTP_X_REAL_IP="203.0.113.9", REMOTE_ADDR="127.0.0.1")  # fmt: skip
    assert AccessLog.objects.get().ip == "203.0.113.9"


def test_relative_is_corrected_without_showing_the_phone(login, cadre_a, world):
    relative = RelativeFactory(person=KeyPersonFactory(village=world.village_a), phone="13711112222")
    client = login(cadre_a)
    url = reverse("sites:relative_update", args=[relative.pk])
    body = client.get(url).content.decode()
    assert "13711112222" not in body and "137****2222" in body
    client.post(url, {"name": "改名", "relation": "配偶", "phone": ""})
    relative.refresh_from_db()
    assert (relative.name, relative.relation, relative.phone) == ("改名", "配偶", "13711112222")
