"""`manage.py backup_data [DEST]`: the database and media into a dated archive (scripts/backup.sh)."""
import os
import subprocess
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection


def script_env() -> dict[str, str]:
    """DATABASE_URL and MEDIA_ROOT of the running settings, for the shell scripts."""
    db = connection.settings_dict
    env = {**os.environ, "MEDIA_ROOT": str(settings.MEDIA_ROOT)}
    if connection.vendor == "sqlite":
        env["DATABASE_URL"] = f"sqlite:///{db['NAME']}"
    elif connection.vendor == "postgresql":
        env["DATABASE_URL"] = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
        if db.get("PASSWORD"):
            env["PGPASSWORD"] = db["PASSWORD"]  # kept out of the command line and the logs
    else:
        raise CommandError(f"不支持的数据库:{connection.vendor}")
    return env


def run_script(name: str, *args: str) -> str:
    script = Path(settings.BASE_DIR) / "scripts" / name
    result = subprocess.run(["bash", str(script), *args], env=script_env(), capture_output=True, text=True)
    if result.returncode:
        raise CommandError(result.stderr.strip() or f"{name} 失败(退出码 {result.returncode})")
    return result.stdout.strip()


class Command(BaseCommand):
    help = "备份数据库与上传文件到带日期的压缩包(含校验和),默认放在 backups/。"

    def add_arguments(self, parser):
        parser.add_argument("dest", nargs="?", default=str(Path(settings.BASE_DIR) / "backups"))

    def handle(self, *args, dest, **options):
        archive = run_script("backup.sh", dest).splitlines()[-1]
        self.stdout.write(self.style.SUCCESS(f"备份完成:{archive}"))
