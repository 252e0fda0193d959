"""`manage.py check_worker`: send a task through the broker and wait for a worker's answer."""
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from sites.models import Area
from sites.tasks import site_census


class Command(BaseCommand):
    help = "检查 Celery 工作进程是否连通(经消息队列发送一个统计任务并等待结果)。"

    def add_arguments(self, parser):
        parser.add_argument("--timeout", type=float, default=30)

    def handle(self, *args, timeout, **options):
        area = Area.objects.filter(parent__isnull=True).first()
        if area is None:
            raise CommandError("数据库中还没有行政区划,请先导入区划或运行 seed_demo。")
        mode = "进程内执行(未配置 CELERY_BROKER_URL)" if settings.CELERY_TASK_ALWAYS_EAGER else "消息队列"
        try:
            result = site_census.delay(area.pk).get(timeout=timeout)
        except Exception as exc:  # report any broker or worker failure in Chinese
            raise CommandError(f"工作进程未在 {timeout:g} 秒内应答:{exc}") from exc
        self.stdout.write(self.style.SUCCESS(f"工作进程正常({mode}):{area.name} 在用创建单位 {result['by_kind']}"))
