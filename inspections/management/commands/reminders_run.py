"""Run every reminder job now (what beat does each morning): `manage.py reminders_run [--date 2022-01-05]`.

Useful without a beat process (`make run`, cron) and to look at a given day; the jobs are idempotent.
"""
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "生成到期提醒(企业走访、学校集中宣传、整改期限、重点人员跟进),可指定日期;重复运行不会重复提醒。"

    def add_arguments(self, parser):
        parser.add_argument("--date", default=None, help="按哪一天计算,YYYY-MM-DD;默认今天")

    def handle(self, *args, **options):
        from campaigns.tasks import obligation_reminders
        from inspections.tasks import rectification_reminders
        from sites.tasks import keyperson_reminders_task

        for task in (obligation_reminders, rectification_reminders, keyperson_reminders_task):
            result = task.apply(kwargs={"today": options["date"]}).get()
            self.stdout.write(f"{task.name}: {result}")
