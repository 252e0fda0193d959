"""Exporting 1,000,000 activity rows (宣传活动台账): ours, side by side with `values_list().iterator()` into a
write-only workbook, each scenario's peak memory measured in its own process.

    .venv/bin/python bench/activities_export_bench.py --rows 1000000 \
        --database-url postgres://postgres@127.0.0.1:5432/wuzha_h7c

A throwaway test database (`test_<db>`) is made once, filled with SQL `generate_series` (seconds, not an
import), used by every scenario process (keepdb) and dropped at the end.

- **ours**: `ActivityLedger.export_rows` (scoped by the user, list filters, labels, formula escaping) →
  `wuzha.lib.excel_export.write_xlsx` (write-only workbook in a temporary file), exactly the export view's path.
- **baseline**: `Activity.objects.values_list(<the same columns>).iterator(chunk_size=2000)` straight into a
  write-only workbook saved to a temporary file: no scope, no labels, no escaping.
- **csv**: ours as CSV (`iter_csv`, what the view streams), written to a temporary file.

Peak memory is the process's max RSS (Django and the libraries included); "before" is its RSS just
before the export started. Never run as a test.
"""
import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from import_export_bench import ROOT  # noqa: E402

SCENARIOS = ("ours", "baseline", "csv")


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def setup(database_url: str | None, *, create: bool):
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wuzha.settings.test")
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    import django

    django.setup()
    from django.db import connection

    # serialize=False: Django would otherwise read the whole (million-row) database into memory here.
    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=not create, serialize=False)
    return connection


def fill(rows: int, connection) -> None:
    """The world of `import_export_bench.make_world`, one campaign and `rows` activities made by SQL."""
    from campaigns.models import Activity, Campaign
    from import_export_bench import make_world

    user, villages = make_world(rows)
    campaign = Campaign.objects.create(name="基准创建活动", scope=villages[0].parent.parent, status="running",
                                       starts_on="2021-11-17", ends_on="2022-03-31", assessment_on="2022-03-31")  # fmt: skip
    table = Activity._meta.db_table
    first, count = villages[0].pk, len(villages)
    with connection.cursor() as cursor:
        cursor.execute(
            f"""INSERT INTO {table} (campaign_id, village_id, site_id, date, channel, title, cadres, police,
                grid_workers, volunteers, copies, post_links, app_installs, notes, client_key, flag_duplicate_photo,
                flag_exif_mismatch, flag_late_entry, flag_burst, created_by_id, created_at, updated_at, is_demo)
            SELECT %s, %s + (i %% %s), NULL, DATE '2021-12-01' + (i %% 28), 'board', '幸福路宣传栏' || i, 2, 1, 0, 3,
                5, '', 0, CASE WHEN i %% 100 = 0 THEN '=1+1 看似公式' ELSE '基准' END, 'K' || lpad(i::text, 7, '0'),
                false, false, false, false, %s, now(), now(), false
            FROM generate_series(1, %s) AS i""",
            [campaign.pk, first, count, user.pk, rows],
        )
        cursor.execute(f"ANALYZE {table}")


def run_scenario(name: str, database_url: str | None) -> dict:
    connection = setup(database_url, create=False)
    from django.contrib.auth import get_user_model

    from campaigns.imports import EXPORT_PATHS
    from campaigns.models import Activity
    from sites.imports import registry
    from wuzha.lib.excel_export import iter_csv, write_xlsx

    user = get_user_model().objects.get(username="bench_staff")
    ledger = registry.get("activities")
    headers = [c.header for c in ledger.columns]
    before = rss_mb()
    started = time.perf_counter()
    if name == "ours":
        handle = write_xlsx(headers, ledger.export_rows(user, {}))
        size = handle.seek(0, 2)
        handle.close()
    elif name == "csv":
        with tempfile.TemporaryFile() as handle:
            for line in iter_csv(headers, ledger.export_rows(user, {})):
                handle.write(line.encode("utf-8"))
            size = handle.tell()
    else:
        from openpyxl import Workbook

        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet()
        sheet.append(headers)
        names = [EXPORT_PATHS.get(c.field, c.field) for c in ledger.columns]
        for row in Activity.objects.order_by("-date", "-pk").values_list(*names).iterator(chunk_size=2000):
            sheet.append(row)
        with tempfile.TemporaryFile() as handle:
            workbook.save(handle)
            size = handle.tell()
    elapsed = time.perf_counter() - started
    connection.close()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"scenario": name, "seconds": round(elapsed, 2), "peak_mb": round(peak), "before_mb": round(before),
            "file_mb": round(size / 1024 / 1024, 1)}  # fmt: skip


def child(args: list[str], database_url: str | None) -> str:
    command = [sys.executable, __file__, *args]
    if database_url:
        command += ["--database-url", database_url]
    return subprocess.run(command, check=True, capture_output=True, text=True, cwd=ROOT).stdout


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL"))
    parser.add_argument("--scenario", choices=(*SCENARIOS, "fill", "drop"))
    parser.add_argument("--only", nargs="+", choices=SCENARIOS, default=SCENARIOS)
    args = parser.parse_args()
    if args.scenario == "fill":
        started = time.perf_counter()
        fill(args.rows, setup(args.database_url, create=True))
        print(json.dumps({"filled": args.rows, "seconds": round(time.perf_counter() - started, 1)}))
        return
    if args.scenario == "drop":
        connection = setup(args.database_url, create=False)
        connection.creation.destroy_test_db(connection.settings_dict["NAME"], verbosity=0, keepdb=False)
        return
    if args.scenario:
        print(json.dumps(run_scenario(args.scenario, args.database_url)))
        return
    print(child(["--scenario", "fill", "--rows", str(args.rows)], args.database_url).strip().splitlines()[-1], flush=True)
    results = {}
    try:
        for name in args.only:
            r = results[name] = json.loads(child(["--scenario", name], args.database_url).strip().splitlines()[-1])
            print(f"{name:9} {args.rows:>9} rows  {r['seconds']:>8.2f} s  peak {r['peak_mb']:>4} MB "
                  f"(before the export {r['before_mb']} MB)  file {r['file_mb']} MB", flush=True)  # fmt: skip
    finally:
        child(["--scenario", "drop"], args.database_url)
    if {"ours", "baseline"} <= results.keys():
        ratio = results["baseline"]["seconds"] / results["ours"]["seconds"]
        print(f"export: ours vs values_list into write-only     {ratio:.2f}×  (≥ 0.8×)")
    for name, r in results.items():
        print(f"export: {name} peak memory                       {r['peak_mb']} MB  (< 300 MB)")


if __name__ == "__main__":
    main()
