"""Nothing personal in plain text at rest (issue 18): every personal field written through every path is
found by no byte search of the database file (SQLite) or a `pg_dump` (PostgreSQL), of `dumpdata`, or of a
backup archive.

Paths: the forms (key person, relative, premises, public tip-off), the imports (key-person and premises
ledgers, confirmed; and a key-person file checked but never confirmed, kept as `ImportJob.content`). The API
writes no personal field (key persons and premises are read-only there): the test checks that it refuses.
The database variant follows the backend the suite runs on (`connection.vendor`): the SQLite file here,
`pg_dump` in CI's PostgreSQL pass.
"""
import base64
import io
import json
import os
import sqlite3
import subprocess
import tarfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from sites.imports import registry
from sites.management.commands.backup_data import script_env
from sites.models import ImportJob, KeyPerson, Premises, Relative, TipOff
from tests.sites.factories import valid_id
from tests.sites.ledger_kit import fill_template
from wuzha.lib.crypto import TOKEN_PREFIX_BYTES

BASE = Path(settings.BASE_DIR)

FORM_ID, IMPORT_ID, PENDING_ID = valid_id(301), valid_id(302), valid_id(303)
PHONES = {n: f"1391111{n:04d}" for n in range(301, 309)}
TIP_NAME = "钱多多"
MARKERS = ("明文检查甲", "明文检查乙", "明文检查楼")  # names (not personal): the search must find these

SECRETS = (FORM_ID, IMPORT_ID, PENDING_ID, TIP_NAME, *PHONES.values())
DATABASE_SINK = "pg_dump" if connection.vendor == "postgresql" else "sqlite_file"


def _csv(rows: list[list[str]]) -> bytes:
    return "\n".join(",".join(row) for row in rows).encode("utf-8-sig")


def write_every_personal_field(client, world, cadre_a):
    """Forms, imports (confirmed and left unconfirmed), the public tip form; returns the unconfirmed job."""
    client.force_login(cadre_a)
    response = client.post(reverse("sites:keyperson_create"), {
        "village": world.village_a.pk, "name": MARKERS[0], "id_number": FORM_ID, "gender": "male",
        "phone": PHONES[301], "phone_alt": PHONES[302], "household_address": "甲村 8 号", "category": "record",
        "risk_level": "high", "status": "controlled"})  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:1000]
    person = KeyPerson.objects.get(name=MARKERS[0])
    response = client.post(reverse("sites:relative_create", args=[person.pk]),
                           {"name": "亲属", "relation": "父亲", "phone": PHONES[303]})  # fmt: skip
    assert response.status_code == 302 and Relative.objects.get(person=person).phone == PHONES[303]
    response = client.post(reverse("sites:premises_create"), {
        "village": world.village_a.pk, "kind": "rental", "name": MARKERS[2], "address": "甲村 9 号",
        "manager_name": "房东", "manager_phone": PHONES[304], "actual_population": 3})  # fmt: skip
    assert response.status_code == 302 and Premises.objects.get(name=MARKERS[2]).manager_phone == PHONES[304]

    # Imports: a key-person and a premises ledger confirmed, a key-person CSV checked and left unconfirmed.
    people = fill_template(registry.get("keypersons"), [{
        "所属村/社区": world.village_a.name, "姓名": MARKERS[1], "公民身份号码": IMPORT_ID, "手机号码": PHONES[306],
        "户籍地址": "甲村 10 号", "人员类别": "涉诈前科", "风险等级": "高"}])  # fmt: skip
    places = fill_template(registry.get("premises"), [{
        "所属村/社区": world.village_a.name, "名称": "明文检查二号楼", "场所类型": "出租房屋", "地址": "甲村 11 号",
        "管理人电话": PHONES[307]}])  # fmt: skip
    for ledger, data in (("keypersons", people), ("premises", places)):
        job = _upload(client, ledger, data, "台账.xlsx")
        assert job.status == ImportJob.Status.VALID, job.report
        assert client.post(reverse("sites:import_job_confirm", args=[job.pk])).status_code == 302
        job.refresh_from_db()
        assert job.status == ImportJob.Status.DONE, (job.status, job.failure)
    assert KeyPerson.objects.get(name=MARKERS[1]).phone == PHONES[306]
    assert Premises.objects.get(name="明文检查二号楼").manager_phone == PHONES[307]
    header = ["所属村/社区", "姓名", "公民身份号码", "手机号码", "户籍地址", "人员类别", "风险等级"]
    pending = _upload(client, "keypersons", _csv([header, [world.village_a.name, "待确认", PENDING_ID, PHONES[308],
                                                            "甲村 12 号", "涉诈前科", "高"]]), "台账.csv")  # fmt: skip
    assert pending.status == ImportJob.Status.VALID and PENDING_ID.encode() in pending.content  # kept, readable

    # The public tip-off form (no login).
    client.logout()
    cache.clear()
    response = client.post(reverse("sites:tipoff_create"), {
        "kind": "den", "what": "三楼深夜很多人打电话", "village": world.village_a.pk, "address": "3号楼301",
        "contact_name": TIP_NAME, "contact_phone": PHONES[305]})  # fmt: skip
    assert response.status_code == 200 and TipOff.objects.get().contact_phone == PHONES[305]

    # The API writes no personal field: key persons and premises are read-only.
    client.force_login(cadre_a)
    for name in ("api:keyperson-list", "api:premises-list"):
        body = {"village": world.village_a.pk, "name": "接口", "id_number": valid_id(304), "manager_phone": "13900009999"}
        assert client.post(reverse(name), body, content_type="application/json").status_code == 405
    return pending


def _upload(client, ledger, data, name):
    response = client.post(reverse("sites:import_upload", args=[ledger]), {"file": SimpleUploadedFile(name, data)})
    assert response.status_code == 302, response.content.decode()[:2000]
    return ImportJob.objects.get(pk=response.url.rstrip("/").split("/")[-1])


def _sqlite_copy(tmp_path) -> Path:
    """The SQLite test database lives in memory: copy it to a file, as a deployment's db.sqlite3 would be."""
    target = tmp_path / "db.sqlite3"
    connection.ensure_connection()
    with sqlite3.connect(target) as dest:
        connection.connection.backup(dest)
    return target


def database_bytes(tmp_path) -> bytes:
    if connection.vendor == "postgresql":
        env = script_env()
        result = subprocess.run(["pg_dump", "--format=plain", "--no-owner", f"--dbname={env['DATABASE_URL']}"],
                                env=env, capture_output=True, timeout=120)  # fmt: skip
        assert result.returncode == 0, result.stderr.decode()
        return result.stdout
    return _sqlite_copy(tmp_path).read_bytes()


def dumpdata_bytes(tmp_path) -> bytes:
    out = io.StringIO()
    call_command("dumpdata", stdout=out)
    return out.getvalue().encode()


def backup_bytes(tmp_path) -> bytes:
    """Run scripts/backup.sh (what `manage.py backup_data` runs) and read every file of the archive."""
    env = script_env()
    if connection.vendor == "sqlite":
        env["DATABASE_URL"] = f"sqlite:///{_sqlite_copy(tmp_path)}"
    result = subprocess.run(["bash", "scripts/backup.sh", str(tmp_path / "backups")], cwd=BASE, env=env,
                            capture_output=True, text=True, timeout=120)  # fmt: skip
    assert result.returncode == 0, result.stderr
    unpacked = tmp_path / "unpacked"
    with tarfile.open(result.stdout.strip().splitlines()[-1]) as tar:
        tar.extractall(unpacked, filter="data")
    chunks = []
    for path in sorted(unpacked.rglob("*")):
        if path.suffix == ".pgdump":  # custom format is compressed: read it as the SQL it restores
            restored = subprocess.run(["pg_restore", "--file=-", str(path)], capture_output=True, timeout=120)
            assert restored.returncode == 0, restored.stderr.decode()
            chunks.append(restored.stdout)
        elif path.is_file():
            chunks.append(path.read_bytes())
    assert any(p.name.startswith("db.") for p in unpacked.iterdir())
    return b"\n".join(chunks)


SINKS = {DATABASE_SINK: database_bytes, "dumpdata": dumpdata_bytes, "backup_archive": backup_bytes}


def encodings(text: str) -> set[bytes]:
    """The bytes a value may take in a sink: UTF-8, JSON's \\u escapes for non-ASCII text, and the hex of a
    PostgreSQL bytea in a plain dump (an uploaded file's bytes)."""
    return {text.encode(), json.dumps(text).strip('"').encode(), text.encode().hex().encode()}


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("sink", list(SINKS))
def test_no_id_number_or_phone_in_plain_text_at_rest_N4_2(sink, client, world, cadre_a, in_process_tasks,
                                                          tmp_path, settings):  # fmt: skip
    settings.MEDIA_ROOT = str(tmp_path / "media")
    pending = write_every_personal_field(client, world, cadre_a)
    with connection.cursor() as cursor:  # the unconfirmed upload is stored as a token
        cursor.execute("SELECT content FROM sites_importjob WHERE id = %s", [pending.pk])
        assert bytes(cursor.fetchone()[0]).startswith(TOKEN_PREFIX_BYTES)
    data = SINKS[sink](tmp_path)
    if sink == "dumpdata":  # binary fields are base64 in a dump: read the uploaded files' bytes back
        jobs = [o for o in json.loads(data) if o["model"] == "sites.importjob" and o["fields"]["content"]]
        assert jobs and all(base64.b64decode(o["fields"]["content"]).startswith(TOKEN_PREFIX_BYTES) for o in jobs)
        data += b"".join(base64.b64decode(o["fields"]["content"]) for o in jobs)
    for marker in MARKERS:  # the search does find what is stored in plain text
        assert any(form in data for form in encodings(marker)), marker
    found = [secret for secret in SECRETS if any(form in data for form in encodings(secret))]
    found += [secret[6:14] for secret in (FORM_ID, IMPORT_ID, PENDING_ID) if secret[6:14].encode() in data]
    assert found == [], f"{sink} holds personal values in plain text: {found}"


def test_dumpdata_round_trips_the_ciphertext_N4_2(world, cadre_a, tmp_path):
    """A fixture holds tokens, and `loaddata` reads them back as the original values."""
    from tests.sites.factories import KeyPersonFactory

    person = KeyPersonFactory(village=world.village_a, id_number=FORM_ID, phone=PHONES[301])
    job = ImportJob.objects.create(user=cadre_a, ledger="keypersons", original_name="a.csv", sha256="0" * 64,
                                   content=f"{FORM_ID},{PHONES[301]}".encode())  # fmt: skip
    fixture = tmp_path / "fixture.json"
    call_command("dumpdata", "sites.keyperson", "sites.importjob", output=str(fixture))
    text = fixture.read_text()
    assert FORM_ID not in text and PHONES[301] not in text and "gAAAAA" in text
    KeyPerson.objects.filter(pk=person.pk).update(phone="")
    ImportJob.objects.filter(pk=job.pk).update(content=b"")
    call_command("loaddata", str(fixture), verbosity=0)
    person.refresh_from_db()
    job.refresh_from_db()
    assert person.id_number == FORM_ID and person.phone == PHONES[301]
    assert bytes(job.content) == f"{FORM_ID},{PHONES[301]}".encode()


def test_key_rotation_reaches_every_encrypted_column_N4_2(world, cadre_a, settings):
    """After `rotate_pii_keys` the old key can go: tip-off contacts and uploaded files included."""
    from cryptography.fernet import Fernet

    from sites.management.commands.rotate_pii_keys import encrypted_models
    from tests.sites.factories import KeyPersonFactory

    labels = {m._meta.label_lower for m in encrypted_models()}
    assert {"sites.keyperson", "sites.relative", "sites.premises", "sites.tipoff", "sites.totpdevice",
            "sites.importjob"} <= labels  # fmt: skip
    person = KeyPersonFactory(village=world.village_a, id_number=FORM_ID, phone=PHONES[301])
    tip = TipOff.objects.create(kind="den", what="可疑", village=world.village_a, contact_name=TIP_NAME,
                                contact_phone=PHONES[305])  # fmt: skip
    job = ImportJob.objects.create(user=cadre_a, ledger="keypersons", original_name="a.csv", sha256="0" * 64,
                                   content=PENDING_ID.encode())  # fmt: skip
    old_key = settings.WUZHA_PII_KEYS[0]
    settings.WUZHA_PII_KEYS = [Fernet.generate_key().decode(), old_key]
    call_command("rotate_pii_keys", stdout=io.StringIO())
    settings.WUZHA_PII_KEYS = settings.WUZHA_PII_KEYS[:1]  # the old key is gone
    assert KeyPerson.objects.get(pk=person.pk).id_number == FORM_ID
    tip = TipOff.objects.get(pk=tip.pk)
    assert (tip.contact_name, tip.contact_phone) == (TIP_NAME, PHONES[305])
    assert bytes(ImportJob.objects.get(pk=job.pk).content) == PENDING_ID.encode()
