"""`manage.py audit_purge`: delete audit rows older than WUZHA_AUDIT_RETENTION_DAYS (≥ 180)."""
from django.conf import settings
from django.core.management.base import BaseCommand

from sites.audit import audit_purge


class Command(BaseCommand):
    help = "清理超过保存期限(至少 180 天)的审计记录;不会删除期限内的记录。"

    def handle(self, *args, **options):
        counts = audit_purge()
        days = settings.WUZHA_AUDIT_RETENTION_DAYS
        detail = ",".join(f"{name} {n} 条" for name, n in counts.items())
        self.stdout.write(self.style.SUCCESS(f"已清理 {days} 天以前的审计记录:{detail}"))
