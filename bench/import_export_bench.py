"""Import/export throughput of the ledger engine, side by side with django-import-export and the limit.

    .venv/bin/python bench/import_export_bench.py [--rows 20000] [--database-url postgres://…/wuzha_bench]

Each scenario runs in its own process on a fresh throwaway test database (created and dropped here),
so peak memory (max RSS) is per scenario. The ledger is the sites ledger (16 columns, one foreign
key); the activity ledger plugs in the same way once it exists. Prints a table and the ratios.
Never run as a test.
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

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = ("ours", "default", "limit", "export_ours", "export_baseline")


def setup_django(database_url: str | None):
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wuzha.settings.test")
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    import django

    django.setup()
    from django.db import connection

    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    return connection


def make_world(rows: int):
    from django.contrib.auth import get_user_model

    from sites.models import Area
    from sites.roles import Role
    from sites.services import membership_grant

    county = Area.objects.create(code="350521000000", name="基准县", level=1)
    town = Area.objects.create(code="350521101000", name="基准镇", level=2, parent=county)
    villages = [Area.objects.create(code=f"350521101{i + 1:03d}", name=f"基准村{i}", level=3, parent=town) for i in range(20)]
    user = get_user_model().objects.create(username="bench_staff")
    membership_grant(user=user, role=Role.STAFF, area=town)
    return user, villages


def make_file(rows: int, villages, *, chinese: bool, path: str):
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("创建单位")
    if chinese:
        sheet.append(["所属村/社区", "名称", "类型", "地址", "联系人", "联系电话", "户数", "常住人口", "纬度", "经度"])
    else:
        sheet.append(["village", "name", "kind", "address", "contact_name", "contact_phone", "households",
                      "residents", "latitude", "longitude"])  # fmt: skip
    for i in range(rows):
        village = villages[i % len(villages)]
        sheet.append([village.name if chinese else village.pk, f"小区{i:06d}", "小区" if chinese else "community",
                      f"幸福路{i}号", "张三", "13800000000", 100 + i % 50, 300 + i % 90, 24.9, 118.8])  # fmt: skip
    workbook.save(path)


class QueryCounter:
    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def run_scenario(name: str, rows: int, database_url: str | None) -> dict:
    connection = setup_django(database_url)
    from sites.models import Site

    user, villages = make_world(rows)
    tmp = tempfile.mkdtemp()
    path = os.path.join(tmp, "bench.xlsx")
    make_file(rows, villages, chinese=name != "default", path=path)
    if name.startswith("export"):
        run_scenario_import_limit(path, villages)
    data = Path(path).read_bytes()
    counter = QueryCounter()
    started = time.perf_counter()
    with connection.execute_wrapper(counter):
        if name == "ours":
            from sites.imports import registry
            from sites.imports.engine import commit

            commit(registry.get("sites"), name="bench.xlsx", data=data, actor=user)
        elif name == "default":
            import tablib
            from import_export import resources

            class SiteResource(resources.ModelResource):
                class Meta:
                    model = Site

            dataset = tablib.Dataset().load(data, format="xlsx")
            result = SiteResource().import_data(dataset, dry_run=False, use_transactions=True, raise_errors=True)
            assert not result.has_errors()
        elif name == "limit":
            run_scenario_import_limit(path, villages)
        elif name == "export_ours":
            from sites.imports import registry
            from wuzha.lib.excel_export import write_xlsx

            ledger = registry.get("sites")
            write_xlsx([c.header for c in ledger.columns], ledger.export_rows(user, {})).close()
        elif name == "export_baseline":
            from openpyxl import Workbook

            workbook = Workbook(write_only=True)
            sheet = workbook.create_sheet()
            fields = ("village__parent__name", "village__name", "name", "kind", "address", "contact_name",
                      "contact_phone", "households", "residents", "school_level", "teachers", "students",
                      "employees", "new_hires_this_year", "latitude", "longitude")  # fmt: skip
            for row in Site.objects.values_list(*fields).iterator(chunk_size=2000):
                sheet.append(row)
            with tempfile.TemporaryFile() as handle:
                workbook.save(handle)
    elapsed = time.perf_counter() - started
    if not name.startswith("export"):
        assert Site.objects.count() == rows, Site.objects.count()
    connection.creation.destroy_test_db(connection.settings_dict["NAME"], verbosity=0)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"scenario": name, "rows": rows, "seconds": round(elapsed, 2), "queries": counter.count,
            "peak_mb": round(peak_mb)}  # fmt: skip


def run_scenario_import_limit(path, villages):
    """The fastest parse (calamine) plus bulk_create, no checks at all."""
    import python_calamine

    from sites.models import Site

    by_name = {v.name: v.pk for v in villages}
    sheet = python_calamine.CalamineWorkbook.from_path(path).get_sheet_by_index(0)
    rows = iter(sheet.iter_rows())
    next(rows)
    batch = []
    for r in rows:
        batch.append(Site(village_id=by_name[r[0]], name=r[1], kind="community", address=r[3], contact_name=r[4],
                          contact_phone=str(r[5]), households=int(r[6]), residents=int(r[7]),
                          latitude=r[8], longitude=r[9]))  # fmt: skip
        if len(batch) == 2000:
            Site.objects.bulk_create(batch)
            batch = []
    Site.objects.bulk_create(batch)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=20000)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL"))
    parser.add_argument("--scenario", choices=SCENARIOS)
    parser.add_argument("--only", nargs="+", choices=SCENARIOS, default=SCENARIOS, help="a subset, e.g. ours limit")
    args = parser.parse_args()
    if args.scenario:
        print(json.dumps(run_scenario(args.scenario, args.rows, args.database_url)))
        return
    results = {}
    for name in args.only:
        command = [sys.executable, __file__, "--scenario", name, "--rows", str(args.rows)]
        if args.database_url:
            command += ["--database-url", args.database_url]
        out = subprocess.run(command, check=True, capture_output=True, text=True, cwd=ROOT).stdout
        results[name] = json.loads(out.strip().splitlines()[-1])
        r = results[name]
        print(f"{name:16} {r['rows']:>8} rows  {r['seconds']:>8.2f} s  {r['queries']:>7} queries  {r['peak_mb']:>5} MB")
    seconds = {name: r["seconds"] for name, r in results.items()}
    if {"ours", "default"} <= seconds.keys():
        print(f"import: ours vs django-import-export default    {seconds['default'] / seconds['ours']:.1f}×  (target ≥ 10×)")
    if {"ours", "limit"} <= seconds.keys():
        print(f"import: ours vs the limit (calamine+bulk_create) {seconds['limit'] / seconds['ours']:.2f}×  (target ≥ 0.5×)")
    if "ours" in results:
        per_100 = 100 * results["ours"]["queries"] / results["ours"]["rows"]
        print(f"import: SQL queries per 100 rows, ours          {per_100:.2f}  (target ≤ 2)")
    if {"export_ours", "export_baseline"} <= seconds.keys():
        ratio = seconds["export_baseline"] / seconds["export_ours"]
        print(f"export: ours vs values_list into write-only     {ratio:.2f}×  (target ≥ 0.8×)")


if __name__ == "__main__":
    main()
