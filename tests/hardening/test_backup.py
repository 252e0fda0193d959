"""Backups that restore: scripts/backup.sh → scripts/restore.sh into an empty database, then every
table's row count and a checksum of its rows, and every media file, must match the original.

Runs on whichever database the suite uses (SQLite in `make test`, PostgreSQL in `make test-services`).
"""
import hashlib
import os
import sqlite3
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from sites.models import AuthEvent
from tests.factories import SiteFactory, UserFactory

BASE = Path(settings.BASE_DIR)


def table_fingerprints(cursor, tables):
    """{table: (row count, sha256 of all rows in primary-key order)}."""
    result = {}
    for table in tables:
        cursor.execute(f'SELECT * FROM "{table}" ORDER BY 1')  # noqa: S608 (names from the catalogue)
        rows = cursor.fetchall()
        result[table] = (len(rows), hashlib.sha256(repr(rows).encode()).hexdigest())
    return result


def run(script, *args, env):
    result = subprocess.run(["bash", f"scripts/{script}", *args], cwd=BASE, env={**os.environ, **env},
                            capture_output=True, text=True, timeout=120)  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout.strip().splitlines()[-1]


@pytest.fixture
def data(world, tmp_path, settings):
    """Committed rows in many tables (history, audit, users) and two media files in a media folder of its own."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    for i in range(25):
        SiteFactory(village=world.village_a, name=f"备份测试单位{i}", contact_name="陈某", contact_phone="13800000000")
    UserFactory(username="backup_user")
    AuthEvent.objects.create(kind="login", username="backup_user", ip="10.0.0.1")
    media = Path(settings.MEDIA_ROOT)
    (media / "reports").mkdir(parents=True, exist_ok=True)
    (media / "reports" / "评估报告.pdf").write_bytes(os.urandom(4096))
    (media / "photo.jpg").write_bytes(os.urandom(1024))
    return media


def media_fingerprint(root: Path):
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest() for p in root.rglob("*") if p.is_file()}


@pytest.mark.django_db(transaction=True)
def test_backup_restore_round_trip(data, tmp_path):
    tables = sorted(connection.introspection.table_names())
    assert "sites_historicalsite" in tables and "sites_authevent" in tables
    restored_media = tmp_path / "restored-media"
    vendor = connection.vendor
    if vendor == "postgresql":
        params = connection.settings_dict
        base = f"postgres://{params['USER']}@{params['HOST'] or '127.0.0.1'}:{params['PORT'] or 5432}"
        source_url = f"{base}/{params['NAME']}"
        target_name = f"{params['NAME']}_restore"
        target_url = f"{base}/{target_name}"
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{target_name}"')
            cursor.execute(f'CREATE DATABASE "{target_name}"')
    else:
        # The SQLite test database lives in memory: copy it to a file the scripts can read.
        source = tmp_path / "source.sqlite3"
        connection.ensure_connection()
        with sqlite3.connect(source) as dest:
            connection.connection.backup(dest)
        source_url, target_url = f"sqlite:///{source}", f"sqlite:///{tmp_path / 'restored.sqlite3'}"
    archive = run("backup.sh", str(tmp_path / "backups"), env={"DATABASE_URL": source_url, "MEDIA_ROOT": str(data)})
    assert Path(archive).name.startswith("wuzha-") and archive.endswith(".tar.gz")
    run("restore.sh", archive, env={"DATABASE_URL": target_url, "MEDIA_ROOT": str(restored_media)})
    try:
        # Both sides read through the same plain driver, so values compare byte for byte.
        if vendor == "postgresql":
            import psycopg

            with psycopg.connect(source_url) as conn, conn.cursor() as cursor:
                before = table_fingerprints(cursor, tables)
            with psycopg.connect(target_url) as conn, conn.cursor() as cursor:
                after = table_fingerprints(cursor, tables)
        else:
            with sqlite3.connect(source) as conn:
                before = table_fingerprints(conn.cursor(), tables)
            with sqlite3.connect(tmp_path / "restored.sqlite3") as conn:
                after = table_fingerprints(conn.cursor(), tables)
        assert before["sites_site"][0] >= 29 and before["sites_historicalsite"][0] >= 29
        assert before["sites_authevent"][0] == 1 and before["auth_user"][0] >= 1
        assert after == before
        assert media_fingerprint(restored_media) == media_fingerprint(data) and len(media_fingerprint(data)) == 2
        # Restoring again into the now-full database is refused: two data sets are never mixed.
        again = subprocess.run(["bash", "scripts/restore.sh", archive], cwd=BASE, capture_output=True, text=True,
                               env={**os.environ, "DATABASE_URL": target_url, "MEDIA_ROOT": str(restored_media)})  # fmt: skip
        assert again.returncode == 4 and "不是空库" in again.stderr
    finally:
        if vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(f'DROP DATABASE IF EXISTS "{target_name}" WITH (FORCE)')


def test_restore_refuses_a_damaged_archive(tmp_path):
    import tarfile

    work = tmp_path / "w"
    work.mkdir()
    (work / "db.sqlite3").write_bytes(b"not what the checksum says")
    (work / "media.tar").write_bytes(b"")
    (work / "SHA256SUMS").write_text(f"{'0' * 64}  db.sqlite3\n{'0' * 64}  media.tar\n")
    archive = tmp_path / "broken.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        tar.add(work, arcname=".")
    result = subprocess.run(["bash", "scripts/restore.sh", str(archive)], cwd=BASE, capture_output=True, text=True,
                            env={**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite3'}",
                                 "MEDIA_ROOT": str(tmp_path / "m")})  # fmt: skip
    assert result.returncode == 3 and "校验和不符" in result.stderr
    assert not (tmp_path / "x.sqlite3").exists()



def test_commands_hand_the_running_database_to_the_scripts(tmp_path, settings, db):
    """`manage.py backup_data` / `restore_data` pass this process's database and media to the scripts."""
    from django.core.management import CommandError, call_command

    from sites.management.commands.backup_data import script_env

    env = script_env()
    name = connection.settings_dict["NAME"]
    url = env["DATABASE_URL"]
    assert url == f"sqlite:///{name}" or (url.startswith("postgres://") and url.endswith(f"/{name}"))
    assert env["MEDIA_ROOT"] == str(settings.MEDIA_ROOT)
    # The restore command refuses a damaged archive before touching anything, with the script's message.
    archive = tmp_path / "empty.tar.gz"
    subprocess.run(["tar", "-czf", str(archive), "-T", "/dev/null"], check=True)
    with pytest.raises(CommandError):
        call_command("restore_data", str(archive))
