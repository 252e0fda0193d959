"""Benchmark: the full assessment compile at county scale. Never run as a test.

Scale 1.0 = 20 towns, 400 villages, 6,000 sites, 1,000,000 activities, 30,000 key persons, 20,000 inspections
(issue #6). Needs PostgreSQL and a database of its own; the data is generated once and reused:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/wuzha_bench6 .venv/bin/python bench/assessment_compile.py [scale]

Runs the compile (in-process, eager tasks: start → one task per village → merge → xlsx + pdf) and a baseline
that only runs the aggregate SQL the figures need and writes the same sheets in write-only mode, each in its
own subprocess (for peak memory), and prints seconds, SQL queries, peak RSS and the ratios.
Targets: queries bounded per village (not per site or row); compile within 2× the baseline; memory bounded.
"""
import os
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wuzha.settings.test")
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECRET_KEY", "bench-only")
os.environ["CELERY_BROKER_URL"] = ""  # eager: the same code as a worker, in this process

import django  # noqa: E402

django.setup()

import datetime as dt  # noqa: E402
import resource  # noqa: E402

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

SCALE = float(sys.argv[1]) if len(sys.argv) > 1 and not sys.argv[1].startswith("--") else 1.0
TOWNS = max(2, round(20 * SCALE))
VILLAGES = max(TOWNS, round(400 * SCALE))
SITES = max(VILLAGES, round(6000 * SCALE))
ACTIVITIES = round(1_000_000 * SCALE)
KEY_PERSONS = round(30_000 * SCALE)
INSPECTIONS = round(20_000 * SCALE)
AS_OF = dt.date(2022, 3, 31)


def guard():
    db = settings.DATABASES["default"]
    if db["ENGINE"] != "django.db.backends.postgresql" or db["NAME"] in ("wuzha", "test_wuzha"):
        sys.exit("请用 DATABASE_URL 指定一个专用的 PostgreSQL 基准库(不要用 wuzha / test_wuzha)。")


def fill():
    from django.contrib.auth import get_user_model

    from campaigns.models import Campaign
    from inspections.models import InspectionPlan, Standard, StandardItem
    from sites.models import Area, KeyPerson, Site
    from sites.roles import Role
    from sites.services import membership_grant

    county, _ = Area.objects.get_or_create(code="350521000000", defaults={"name": "基准县", "level": 1})
    user, _ = get_user_model().objects.get_or_create(username="bench_staff")
    membership_grant(user=user, role=Role.STAFF, area=county)
    campaign, _ = Campaign.objects.get_or_create(scope=county, name="基准考核活动", defaults={
        "starts_on": "2021-11-17", "ends_on": "2022-03-31", "assessment_on": "2022-03-31", "status": "running",
        "site_kinds": ["community", "campus", "enterprise"]})  # fmt: skip
    if Site.objects.count() >= SITES:
        return campaign, user
    print(f"生成 {TOWNS} 镇 {VILLAGES} 村 {SITES} 单位 {ACTIVITIES} 活动 {KEY_PERSONS} 重点人员 {INSPECTIONS} 检查…", flush=True)
    towns = Area.objects.bulk_create([
        Area(code=f"350521{101 + t:03d}000", name=f"基准镇{t}", level=2, parent=county) for t in range(TOWNS)])
    villages = Area.objects.bulk_create([
        Area(code=f"{towns[v % TOWNS].code[:9]}{200 + v // TOWNS:03d}", name=f"基准村{v}", level=3, parent=towns[v % TOWNS])
        for v in range(VILLAGES)])  # fmt: skip
    kinds = ["community", "community", "campus", "enterprise"]
    Site.objects.bulk_create([
        Site(village=villages[s % VILLAGES], name=f"基准单位{s}", kind=kinds[s % 4], residents=500 + s % 700,
             students=300 + s % 500, employees=100 + s % 300, school_level="primary" if s % 4 == 2 else "")
        for s in range(SITES)], batch_size=2000)  # fmt: skip
    for kind in ("community", "campus", "enterprise"):
        st = Standard.objects.create(campaign=campaign, site_kind=kind, name=f"基准{kind}标准")
        StandardItem.objects.bulk_create([StandardItem(standard=st, order=i, section="项目", text=f"标准{i}", max_points=25)
                                          for i in range(4)])  # fmt: skip
    plans = [InspectionPlan.objects.create(campaign=campaign, area=county, name=f"基准检查{p}", kind="announced",
                                           starts_on="2022-01-01", ends_on="2022-03-30", status="published")
             for p in range(-(-INSPECTIONS // SITES))]  # fmt: skip
    with connection.cursor() as cur:
        cur.execute("SELECT array_agg(id ORDER BY id) FROM sites_site")
        site_ids = cur.fetchone()[0]
        cur.execute("SELECT array_agg(village_id ORDER BY id) FROM sites_site")
        village_ids = cur.fetchone()[0]
        cur.execute("SELECT array_agg(id ORDER BY site_kind) FROM inspections_standard WHERE campaign_id = %s", [campaign.pk])
        std = cur.fetchone()[0]
        cur.execute(f"""
            INSERT INTO campaigns_activity (campaign_id, village_id, site_id, date, channel, title, cadres, police,
                grid_workers, volunteers, people_reached, households_visited, post_links, app_installs, notes,
                flag_duplicate_photo, flag_exif_mismatch, flag_late_entry, flag_burst, created_at, updated_at, is_demo, client_key)
            SELECT %s, (%s::bigint[])[1 + g %% {SITES}], (%s::bigint[])[1 + g %% {SITES}],
                   DATE '2021-11-17' + (g %% 130), CASE WHEN g %% 10 = 0 THEN 'lecture' ELSE 'door' END, '宣传' || g,
                   1, 0, 1, 0, 20 + g %% 80, 10 + g %% 50, '', g %% 3, '', false, false, false, false, now(), now(), false, ''
            FROM generate_series(1, %s) AS g""", [campaign.pk, village_ids, site_ids, ACTIVITIES])  # fmt: skip
        for p, plan in enumerate(plans):
            n = min(SITES, INSPECTIONS - p * SITES)
            cur.execute(f"""
                INSERT INTO inspections_inspection (plan_id, site_id, standard_id, status, score, vetoed, rules_version,
                    revision, published_at, is_demo)
                SELECT %s, (%s::bigint[])[g], (%s::bigint[])[1], 'published', 60 + (g * 7 + %s) %% 41, false, '2026.1',
                    1, TIMESTAMPTZ '2022-03-20 10:00+08' + (%s || ' days')::interval, false
                FROM generate_series(1, %s) AS g""", [plan.pk, site_ids, std, p, p, n])  # fmt: skip
        cur.execute(f"""
            INSERT INTO sites_incident (site_id, kind, occurred_on, police_case_no, amount_lost, fraud_type, status,
                summary, entered_by_id, annul_reason, is_demo, created_at, updated_at)
            SELECT (%s::bigint[])[1 + (g * 37) %% {SITES}], 'victim', DATE '2022-01-10', '', 3000, 'brushing', 'filed',
                   '基准', %s, '', false, now(), now()
            FROM generate_series(1, %s) AS g""", [site_ids, user.pk, max(1, SITES // 50)])  # fmt: skip
    people = []
    for n in range(KEY_PERSONS):
        people.append(KeyPerson(village=villages[n % VILLAGES], name=f"基准{n}", gender="male", id_number=f"X{n:017d}",
                                id_number_hash=f"bench{n}", phone="", household_address="基准地址", category="record"))
        if len(people) == 2000:
            KeyPerson.objects.bulk_create(people)
            people = []
    KeyPerson.objects.bulk_create(people)
    with connection.cursor() as cur:
        cur.execute("ANALYZE")
    return campaign, user


class Counter:
    def __init__(self):
        self.n = 0

    def __call__(self, execute, sql, params, many, context):
        self.n += 1
        return execute(sql, params, many, context)


PHASES: dict[str, float] = {}


def timed(name, fn):
    def wrapper(*args, **kwargs):
        t = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            PHASES[name] = PHASES.get(name, 0.0) + time.perf_counter() - t

    return wrapper


def run_compile():
    from django.db import transaction

    from inspections.assessment import compile as steps

    from inspections.assessment import files, pdf

    if os.environ.get("BENCH_BATCH"):  # villages per task (default: compile.BATCH_SIZE)
        steps.BATCH_SIZE = int(os.environ["BENCH_BATCH"])
    for module, name in ((steps, "compute_villages"), (files, "build_workbook"), (pdf, "build_pdf")):
        setattr(module, name, timed(name, getattr(module, name)))

    from inspections.assessment.services import assessment_start
    from sites.models import Area

    campaign, user = fill()
    counter = Counter()
    t = time.perf_counter()
    with connection.execute_wrapper(counter):
        with transaction.atomic():  # the on_commit callbacks (queued tasks) run when it commits, eagerly
            run = assessment_start(actor=user, campaign=campaign, scope=Area.objects.get(code="350521000000"), as_of=AS_OF)
    seconds = time.perf_counter() - t
    run.refresh_from_db()
    assert run.status == "done", run.error
    return seconds, counter.n, run.villages_total


def run_baseline():
    """The aggregate SQL only, then the same sheets written in write-only mode."""
    import io

    from openpyxl import Workbook

    campaign, _ = fill()
    counter = Counter()
    t = time.perf_counter()
    with connection.execute_wrapper(counter), connection.cursor() as cur:
        q = {}
        for name, sql in {
            "sites": "SELECT s.id, s.name, s.kind, v.code, v.name FROM sites_site s JOIN sites_area v ON v.id = s.village_id",
            "insp": "SELECT DISTINCT ON (site_id) site_id, score FROM inspections_inspection WHERE status = 'published' "
                    "ORDER BY site_id, published_at DESC",
            "acts": "SELECT site_id, count(*) FILTER (WHERE channel = 'lecture'), sum(app_installs) FROM campaigns_activity "
                    "WHERE campaign_id = %s AND date BETWEEN '2021-11-17' AND '2022-03-31' GROUP BY site_id",
            "channels": "SELECT village_id, channel, count(*), sum(people_reached), sum(app_installs) FROM campaigns_activity "
                        "WHERE campaign_id = %s GROUP BY village_id, channel",
            "incidents": "SELECT site_id, count(*) FROM sites_incident WHERE annulled_at IS NULL GROUP BY site_id",
            "kp": "SELECT village_id, category, count(*) FROM sites_keyperson WHERE annulled_at IS NULL GROUP BY 1, 2",
            "rect": "SELECT site_id, status, count(*) FROM inspections_rectification GROUP BY 1, 2",
        }.items():  # fmt: skip
            cur.execute(sql, [campaign.pk] if "%s" in sql else [])
            q[name] = cur.fetchall()
        wb = Workbook(write_only=True)
        insp = dict(q["insp"])
        for title, rows in (("汇总", q["channels"]), ("单位明细", [(*s, insp.get(s[0])) for s in q["sites"]]),
                            ("宣传统计", q["channels"]), ("重点人员统计", q["kp"]), ("整改情况", q["rect"])):  # fmt: skip
            ws = wb.create_sheet(title)
            ws.append(["列"] * 6)
            for r in rows:
                ws.append([str(x) if x is not None else "" for x in r])
        wb.save(io.BytesIO())
    return time.perf_counter() - t, counter.n, None


def child(mode):
    seconds, queries, villages = (run_compile if mode == "compile" else run_baseline)()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"RESULT {mode} {seconds:.3f} {queries} {peak:.0f} {villages or 0}", flush=True)
    if PHASES:
        print("PHASES " + " ".join(f"{k}={v:.2f}" for k, v in PHASES.items()), flush=True)


def main():
    guard()
    call_command("migrate", verbosity=0)
    fill()
    results, phases = {}, {}
    repeat = int(os.environ.get("BENCH_REPEAT", "3"))  # best of N: the machine is shared, the load jumps
    for mode in ("baseline", "compile"):
        for _ in range(repeat):
            out = subprocess.run([sys.executable, __file__, str(SCALE), f"--child={mode}"], capture_output=True, text=True,
                                 env={**os.environ})  # fmt: skip
            line = [x for x in out.stdout.splitlines() if x.startswith("RESULT")]
            if not line:
                sys.exit(out.stdout[-2000:] + out.stderr[-3000:])
            _, _, seconds, queries, peak, villages = line[0].split()
            if mode not in results or float(seconds) < results[mode][0]:
                results[mode] = (float(seconds), int(queries), float(peak), int(villages))
                found = [x for x in out.stdout.splitlines() if x.startswith("PHASES")]
                phases[mode] = dict(kv.split("=") for kv in found[0].split()[1:]) if found else {}
    b, c = results["baseline"], results["compile"]
    print(f"规模 scale {SCALE}: {TOWNS} 镇 towns, {VILLAGES} 村 villages, {SITES} 单位 sites, {ACTIVITIES} 活动 activities, "
          f"{KEY_PERSONS} 重点人员 key persons, {INSPECTIONS} 检查 inspections")  # fmt: skip
    print(f"基线 baseline: {b[0]:.2f} s · {b[1]} 条 SQL · 峰值内存 peak RSS {b[2]:.0f} MB")
    print(f"全量计算 compile: {c[0]:.2f} s · {c[1]} 条 SQL ({c[1] / max(1, c[3]):.1f} / 村 per village) · 峰值内存 peak RSS {c[2]:.0f} MB")
    print(f"耗时比 compile/baseline: {c[0] / b[0]:.2f}  (目标 target ≤ 2)")
    if phases.get("compile"):
        p = {k: float(v) for k, v in phases["compile"].items()}
        print("全量计算分段 compile phases (s): " + " · ".join(f"{k} {v:.2f}" for k, v in p.items()))
        print(f"不含 PDF 的耗时比 compile without the PDF / baseline: {(c[0] - p.get('build_pdf', 0)) / b[0]:.2f}")
    print(f"内存比 compile/baseline: {c[2] / b[2]:.2f}")


if __name__ == "__main__":
    mode = next((a.split("=", 1)[1] for a in sys.argv if a.startswith("--child=")), None)
    if mode:
        child(mode)
    else:
        main()
