"""The key-person ledger (N4.2): upsert by the ID's keyed hash, masked reports, masked and logged exports."""
import json

from django.contrib.auth.models import Permission
from django.urls import reverse

from sites.imports import registry
from sites.models import AccessLog, KeyPerson
from wuzha.lib.crypto import keyed_hash

from .factories import KeyPersonFactory, valid_id
from .ledger_kit import dry_run, export_xlsx, fill_template, import_file, read_export, rejected

LEDGER = registry.get("keypersons")


def row(village, n, **over):
    base = {"所属村/社区": village.name, "姓名": f"人员{n}", "公民身份号码": valid_id(n), "手机号码": f"1390000{n:04d}",
            "户籍地址": f"{village.name}{n}号", "人员类别": "涉诈前科", "风险等级": "高"}  # fmt: skip
    return {**base, **over}


def grant_full_pii(user):
    user.user_permissions.add(Permission.objects.get(codename="view_full_pii"))


def test_template_round_trip_upserts_by_keyed_hash_N4_2(world, cadre_a):
    data = fill_template(LEDGER, [row(world.village_a, 1), row(world.village_a, 2, 性别="男")])
    assert import_file(LEDGER, data, cadre_a).counts["create"] == 2
    person = KeyPerson.objects.get(id_number_hash=keyed_hash(valid_id(1)))
    assert person.id_number == valid_id(1) and person.phone == "13900000001" and person.risk_level == "high"
    assert person.gender == "male" and person.village == world.village_a  # gender read from the ID number
    again = fill_template(LEDGER, [row(world.village_a, 1, 姓名="人员一", 风险等级="")])
    assert import_file(LEDGER, again, cadre_a).counts == {"create": 0, "update": 1, "unchanged": 0}
    person.refresh_from_db()
    assert person.name == "人员一" and person.risk_level == "high" and person.version == 2
    assert KeyPerson.objects.count() == 2


def test_full_export_imports_back_unchanged_N4_2(world, cadre_a):
    grant_full_pii(cadre_a)
    KeyPersonFactory(village=world.village_a, notes="多次涉诈", status=KeyPerson.Status.TRANSFORMED)
    KeyPersonFactory(village=world.village_a, phone="")
    KeyPersonFactory(village=world.village_b)
    data = export_xlsx(LEDGER, cadre_a, reason="核对台账", full=True)
    result = dry_run(LEDGER, data, cadre_a)
    assert result.errors == [] and result.counts == {"create": 0, "update": 0, "unchanged": 2}
    assert AccessLog.objects.filter(user=cadre_a, action="export", reason__startswith="【完整导出】").count() == 2


def test_error_in_the_last_row_writes_nothing_and_report_is_masked_N4_2(world, cadre_a):
    bad_id = valid_id(9)[:-1] + ("0" if valid_id(9)[-1] != "0" else "1")  # wrong check digit
    rows = [row(world.village_a, n) for n in range(1, 5)] + [row(world.village_a, 9, 公民身份号码=bad_id, 手机号码="1390000123")]
    rows.append(row(world.village_a, 1))  # the same ID twice in one file
    result = rejected(LEDGER, fill_template(LEDGER, rows), cadre_a)
    assert KeyPerson.objects.count() == 0
    fields = {(e["row"], e["field"]) for e in result.errors}
    assert {(6, "公民身份号码"), (6, "手机号码")} <= fields and any(e["row"] == 7 for e in result.errors)
    stored = json.dumps(result.as_report(), ensure_ascii=False)
    for secret in (bad_id, valid_id(1), "1390000123"):
        assert secret not in stored  # the stored report never holds a full ID number or phone
    assert bad_id[:3] + "*" in stored


def test_cadre_cannot_import_into_another_village_N4_2(world, cadre_a):
    data = fill_template(LEDGER, [row(world.village_a, 1), row(world.village_b, 2)])
    result = rejected(LEDGER, data, cadre_a)
    assert [(e["row"], e["field"]) for e in result.errors] == [(3, "所属村/社区")]
    assert KeyPerson.objects.count() == 0


def test_dry_run_finds_the_same_person_in_another_village_by_keyed_hash_N4_2(world, cadre_a):
    KeyPersonFactory(village=world.village_b, id_number=valid_id(5))
    result = dry_run(LEDGER, fill_template(LEDGER, [row(world.village_a, 5)]), cadre_a)
    assert result.errors == [] and result.counts["create"] == 1
    (line,) = result.preview
    assert "已在甲镇" in line["label"] and world.village_b.name in line["label"] and valid_id(5) not in line["label"]


def test_export_is_masked_logged_and_full_only_with_permission_and_reason_N4_2(login, world, cadre_a):
    person = KeyPersonFactory(village=world.village_a)
    KeyPersonFactory(village=world.village_b)
    client = login(cadre_a)
    url = reverse("sites:ledger_export", args=["keypersons"]) + "?fmt=xlsx"
    form = client.get(url)
    assert form.status_code == 200 and "导出用途" in form.content.decode() and "完整" not in form.content.decode()
    assert AccessLog.objects.count() == 0
    assert "导出用途" in client.post(url, {"reason": ""}).content.decode()  # no reason → the form again
    masked = client.post(url, {"reason": "上报镇综治办", "full": "on"})  # "full" ignored without the permission
    rows = read_export(b"".join(masked.streaming_content) if masked.streaming else masked.content)
    assert len(rows) == 2 and person.id_number not in str(rows) and person.phone not in str(rows)
    assert rows[1][4] == person.masked_id
    log = AccessLog.objects.get()
    assert (log.user, log.person, log.action, log.reason) == (cadre_a, person, "export", "上报镇综治办")
    grant_full_pii(cadre_a)
    assert "导出完整身份证号" in client.get(url).content.decode()
    full = client.post(url, {"reason": "公安核查需要", "full": "on"})
    rows = read_export(b"".join(full.streaming_content))
    assert rows[1][4] == person.id_number
    assert AccessLog.objects.filter(reason="【完整导出】公安核查需要", person=person).count() == 1


def test_uploaded_job_report_and_page_never_show_full_ids_or_phones_N4_2(login, world, cadre_a,
                                                                          django_capture_on_commit_callbacks, monkeypatch):  # fmt: skip
    from django.core.files.uploadedfile import SimpleUploadedFile

    from sites.models import ImportJob
    from wuzha.celery import app

    monkeypatch.setitem(app.conf, "task_always_eager", True)
    rows = [row(world.village_a, 1, 手机号码="1390000"), row(world.village_a, 1)]  # bad phone; the same ID twice
    client = login(cadre_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("sites:import_upload", args=["keypersons"]),
                               {"file": SimpleUploadedFile("重点人员.xlsx", fill_template(LEDGER, rows))})  # fmt: skip
    job = ImportJob.objects.get(pk=response.url.rstrip("/").split("/")[-1])
    assert job.status == ImportJob.Status.INVALID and job.error_count == 2
    assert bytes(job.content) == b""  # an invalid file is never kept
    page = client.get(job.get_absolute_url()).content.decode()
    stored = json.dumps(job.report, ensure_ascii=False)
    assert "与第 2 行重复" in page and "手机" in page
    for text in (stored, page):
        assert valid_id(1) not in text and "1390000" not in text
    assert "139**00" in stored and valid_id(1)[:3] + "*" * 13 + valid_id(1)[-2:] in stored


def test_export_follows_the_lists_hash_lookup_and_mine_filters_N4_2(world, cadre_a):
    mine = KeyPersonFactory(village=world.village_a, cadre=cadre_a)
    other = KeyPersonFactory(village=world.village_a)
    by_hash = read_export(export_xlsx(LEDGER, cadre_a, {"h": keyed_hash(other.id_number)}, reason="核对一人"))
    assert [r[2] for r in by_hash[1:]] == [other.name]
    assert [r[2] for r in read_export(export_xlsx(LEDGER, cadre_a, {"mine": "true"}, reason="我负责的"))[1:]] == [mine.name]
