"""Benchmark: the activity list at a county's scale (1,000,000 rows by default). Never run as a test.

Prints first-page vs last-page time (keyset paging; OFFSET for comparison), and the share of the
request spent counting rows. Needs PostgreSQL and a database of its own, e.g.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/wuzha_bench .venv/bin/python bench/activities_paging.py [rows]

The database is migrated and filled once (rows are inserted with generate_series); reruns reuse it.
Targets from issue #3: last page within 2× the first, count under a quarter of the request time.
"""
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wuzha.settings.test")  # plain static storage
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECRET_KEY", "bench-only")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

ROWS = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
REPEAT = 5


def guard():
    db = settings.DATABASES["default"]
    if db["ENGINE"] != "django.db.backends.postgresql" or db["NAME"] in ("wuzha", "test_wuzha"):
        sys.exit("请用 DATABASE_URL 指定一个专用的 PostgreSQL 基准库(不要用 wuzha / test_wuzha)。")


def fill():
    from campaigns.models import Activity, Campaign
    from sites.models import Area, Site
    from sites.roles import Role
    from sites.services import membership_grant
    from django.contrib.auth import get_user_model

    county, _ = Area.objects.get_or_create(code="350521000000", defaults={"name": "基准县", "level": 1})
    town, _ = Area.objects.get_or_create(code="350521106000", defaults={"name": "基准镇", "level": 2, "parent": county})
    villages = [
        Area.objects.get_or_create(code=f"350521106{200 + i:03d}", defaults={"name": f"基准村{i}", "level": 3, "parent": town})[0]
        for i in range(20)
    ]
    sites = [Site.objects.get_or_create(village=v, name=f"{v.name}小区", defaults={"kind": "community"})[0] for v in villages]
    campaign, _ = Campaign.objects.get_or_create(
        scope=county, name="基准活动",
        defaults={"starts_on": "2021-11-17", "ends_on": "2022-03-31", "assessment_on": "2022-03-31", "status": "running"},
    )  # fmt: skip
    user, _ = get_user_model().objects.get_or_create(username="bench_staff")
    membership_grant(user=user, role=Role.STAFF, area=county)
    have = Activity.objects.count()
    if have < ROWS:
        print(f"写入 {ROWS - have} 条活动记录…", flush=True)
        site_ids = "{" + ",".join(str(s.pk) for s in sites) + "}"
        village_ids = "{" + ",".join(str(s.village_id) for s in sites) + "}"
        with connection.cursor() as cur:
            cur.execute(
                f"""
                INSERT INTO campaigns_activity (campaign_id, village_id, site_id, date, channel, title, cadres, police,
                    grid_workers, volunteers, households_visited, post_links, app_installs, notes, flag_duplicate_photo,
                    flag_exif_mismatch, flag_late_entry, flag_burst, created_at, updated_at, is_demo)
                SELECT %s, (%s::bigint[])[1 + g %% 20], (%s::bigint[])[1 + g %% 20],
                       DATE '2021-11-17' + (g %% 135), 'door', '入户走访' || g, 1, 0, 1, 0, 10 + g %% 50, '', g %% 7, '',
                       g %% 997 = 0, false, g %% 101 = 0, false, now(), now(), false
                FROM generate_series(%s, %s) AS g
                """,
                [campaign.pk, village_ids, site_ids, have + 1, ROWS],
            )
            cur.execute("ANALYZE campaigns_activity")
    return user


def timed(client, url) -> float:
    samples = []
    for _ in range(REPEAT):
        t = time.perf_counter()
        response = client.get(url)
        samples.append(time.perf_counter() - t)
        assert response.status_code == 200, (url, response.status_code)
    return statistics.median(samples)


def timed_sql(sql) -> float:
    samples = []
    with connection.cursor() as cur:
        for _ in range(REPEAT):
            t = time.perf_counter()
            cur.execute(sql)
            cur.fetchall()
            samples.append(time.perf_counter() - t)
    return statistics.median(samples)


def main():
    guard()
    call_command("migrate", verbosity=0)
    user = fill()
    setup_test_environment()
    client = Client()
    client.force_login(user)
    url = "/campaigns/activities/"
    client.get(url)  # warm up templates and connections
    first = timed(client, url)
    last = timed(client, url + "?last=1")
    page = client.get(url).context["page"]
    second = timed(client, f"{url}?after={page.next_cursor}")
    # The list counts at most COUNT_CAP + 1 rows (shown as "超过 2000 条"); the exact count for comparison.
    from campaigns.views.activity import COUNT_CAP

    from django.test.utils import CaptureQueriesContext

    samples = []
    for _ in range(REPEAT):
        with CaptureQueriesContext(connection) as ctx:
            client.get(url)
        samples.append(sum(float(q["time"]) for q in ctx.captured_queries if q["sql"].startswith("SELECT COUNT(*)")))
    count = statistics.median(samples)  # the list's own (capped, scoped) count, as run inside the request
    exact = timed_sql("SELECT COUNT(*) FROM campaigns_activity")
    offset = timed_sql(f"SELECT id FROM campaigns_activity ORDER BY date DESC, id DESC LIMIT 25 OFFSET {ROWS - 25}")
    head = timed_sql("SELECT id FROM campaigns_activity ORDER BY date DESC, id DESC LIMIT 25")
    print(f"行数 rows: {ROWS}")
    print(f"首页 first page: {first * 1000:.1f} ms · 第二页 next page: {second * 1000:.1f} ms · 末页 last page: {last * 1000:.1f} ms")
    print(f"末页/首页 last/first (keyset): {last / first:.2f}  (目标 target ≤ 2)")
    print(f"OFFSET 末页/首页 for comparison: {offset / head:.1f}")
    print(f"计数 count (capped at {COUNT_CAP + 1} rows): {count * 1000:.1f} ms · 计数/请求 count/request: {count / first:.2f}  (目标 target ≤ 0.25)")
    print(f"精确计数 exact count, for comparison: {exact * 1000:.1f} ms ({exact / first:.2f} of the request)")


if __name__ == "__main__":
    main()
