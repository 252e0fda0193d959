"""`manage.py outbox_flush`: send background tasks kept while the message broker was unreachable."""
from django.core.management.base import BaseCommand

from sites.models import TaskOutbox
from sites.outbox import outbox_flush


class Command(BaseCommand):
    help = "发送消息队列中断期间暂存的后台任务。"

    def handle(self, *args, **options):
        sent = outbox_flush()
        left = TaskOutbox.objects.count()
        self.stdout.write(self.style.SUCCESS(f"已发送 {sent} 个暂存任务,仍待发送 {left} 个。"))
