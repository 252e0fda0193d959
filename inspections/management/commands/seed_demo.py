"""`manage.py seed_demo`: the Hui'an county demo, app by app in import order; running it twice changes nothing."""
import datetime
import io

from django.core.management import call_command
from django.core.management.base import BaseCommand

from campaigns import demo as campaigns_demo
from campaigns import demo_reach as campaigns_demo_reach
from inspections import demo as inspections_demo
from sites import audit
from sites import demo as sites_demo
from sites import demo_records as sites_demo_records


REMINDERS_DAY = datetime.date(2022, 3, 10)  # a working morning late in the demo campaign


class Command(BaseCommand):
    help = "生成惠安县演示数据(东桥镇 19 个村等),可重复运行。"

    def handle(self, *args, **options):
        logins = sites_demo.seed()
        sites_demo_records.seed()  # key persons, premises, sweeps, incidents
        audit.demo_accounts_flag(username for username, *_ in logins)  # refused in production
        campaigns_demo.seed()
        campaigns_demo_reach.seed()  # bulletins, tip-offs, official install figures (issue 10)
        inspections_demo.seed()
        # The demo lives in March 2022, where beat never runs: fill the bell as that morning's jobs would.
        call_command("reminders_run", date=REMINDERS_DAY.isoformat(), stdout=io.StringIO())
        self.stdout.write(
            self.style.SUCCESS("演示数据已就绪(全部为虚构数据)。演示账号(密码均为 %s):" % sites_demo.DEMO_PASSWORD)
        )
        for username, role, name in logins:
            self.stdout.write(f"  {username:<20} {role:<10} {name}")
