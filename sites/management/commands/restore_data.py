"""`manage.py restore_data ARCHIVE`: restore a backup into an empty database (scripts/restore.sh)."""
from django.core.management.base import BaseCommand

from .backup_data import run_script


class Command(BaseCommand):
    help = "把 backup_data 生成的备份恢复到空数据库与上传目录(先核对校验和;目标库非空时拒绝)。"

    def add_arguments(self, parser):
        parser.add_argument("archive")

    def handle(self, *args, archive, **options):
        run_script("restore.sh", archive)
        self.stdout.write(self.style.SUCCESS(f"已恢复:{archive}"))
