"""Importing activity rows (宣传活动台账): ours, django-import-export's default ModelResource and the limit.

    .venv/bin/python bench/activities_import_bench.py --rows 100000 --database-url postgres://…/wuzha_bench
    .venv/bin/python bench/activities_import_bench.py --rows 100000 --only ours limit export
    .venv/bin/python bench/activities_import_bench.py --rows 100000 --only ours limit --repeat 3   # medians

Each scenario runs in its own process on a throwaway test database (created and dropped), so the peak memory
is that scenario's max RSS. The file has 10 columns and one foreign key (the village, by name; the campaign is
found from village + date). The default ModelResource gets the same rows with English headers, the village
and the campaign as ids (it cannot infer the campaign) and an empty id column (its default import key).
Never run as a test.
"""
import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from import_export_bench import ROOT, QueryCounter, make_world, setup_django  # noqa: E402

SCENARIOS = ("ours", "default", "limit", "export")
HEADERS = ["所属村/社区", "开展日期", "宣传渠道", "台账编号", "主题/地点", "村干部人数", "民警人数", "志愿者人数",
           "数量(份/块/幅)", "备注"]  # fmt: skip
FIELDS = ["village", "date", "channel", "client_key", "title", "cadres", "police", "volunteers", "copies", "notes"]


def make_file(rows, villages, campaign, *, chinese: bool, path: str):
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("宣传活动")
    sheet.append(HEADERS if chinese else ["id", "campaign", *FIELDS])
    for i in range(rows):
        village = villages[i % len(villages)]
        day = f"2021-12-{1 + i % 28:02d}"
        values = [day, "宣传栏/展板" if chinese else "board", f"K{i:07d}", f"宣传栏{i}", 2, 1, 3, 5, "基准"]
        sheet.append([village.name, *values] if chinese else [None, campaign.pk, village.pk, *values])
    workbook.save(path)


def limit_import(path, villages, campaign):
    """The fastest parse (calamine) plus bulk_create, no checks at all."""
    import python_calamine

    from campaigns.models import Activity

    by_name = {v.name: v.pk for v in villages}
    rows = iter(python_calamine.CalamineWorkbook.from_path(path).get_sheet_by_index(0).iter_rows())
    next(rows)
    batch = []
    for r in rows:
        batch.append(Activity(campaign_id=campaign.pk, village_id=by_name[r[0]], date=r[1], channel="board",
                              client_key=r[3], title=r[4], cadres=int(r[5]), police=int(r[6]),
                              volunteers=int(r[7]), copies=int(r[8]), notes=r[9]))  # fmt: skip
        if len(batch) == 2000:
            Activity.objects.bulk_create(batch)
            batch = []
    Activity.objects.bulk_create(batch)


def run_scenario(name: str, rows: int, database_url: str | None) -> dict:
    connection = setup_django(database_url)
    from campaigns.models import Activity, Campaign

    user, villages = make_world(rows)
    campaign = Campaign.objects.create(name="基准创建活动", scope=villages[0].parent.parent, status="running",
                                       starts_on="2021-11-17", ends_on="2022-03-31", assessment_on="2022-03-31")  # fmt: skip
    path = os.path.join(tempfile.mkdtemp(), "bench.xlsx")
    make_file(rows, villages, campaign, chinese=name != "default", path=path)
    if name == "export":
        limit_import(path, villages, campaign)
    data = Path(path).read_bytes()
    counter = QueryCounter()
    started = time.perf_counter()
    with connection.execute_wrapper(counter):
        if name == "ours":
            from sites.imports import registry
            from sites.imports.engine import commit

            commit(registry.get("activities"), name="bench.xlsx", data=data, actor=user)
        elif name == "default":
            import tablib
            from import_export import resources

            class ActivityResource(resources.ModelResource):
                class Meta:
                    model = Activity
                    fields = ["id", "campaign", *FIELDS]

            dataset = tablib.Dataset().load(data, format="xlsx")
            result = ActivityResource().import_data(dataset, dry_run=False, use_transactions=True, raise_errors=True)
            assert not result.has_errors()
        elif name == "limit":
            limit_import(path, villages, campaign)
        elif name == "export":
            from sites.imports import registry
            from wuzha.lib.excel_export import write_xlsx

            ledger = registry.get("activities")
            write_xlsx([c.header for c in ledger.columns], ledger.export_rows(user, {})).close()
    elapsed = time.perf_counter() - started
    assert Activity.objects.count() == rows, Activity.objects.count()
    connection.creation.destroy_test_db(connection.settings_dict["NAME"], verbosity=0)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"scenario": name, "rows": rows, "seconds": round(elapsed, 2), "queries": counter.count,
            "peak_mb": round(peak_mb)}  # fmt: skip


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100000)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL"))
    parser.add_argument("--scenario", choices=SCENARIOS)
    parser.add_argument("--only", nargs="+", choices=SCENARIOS, default=SCENARIOS[:3])
    parser.add_argument("--repeat", type=int, default=1, help="rounds of all scenarios; ratios of the medians")
    args = parser.parse_args()
    if args.scenario:
        print(json.dumps(run_scenario(args.scenario, args.rows, args.database_url)))
        return
    runs: dict[str, list[dict]] = {name: [] for name in args.only}
    for _ in range(args.repeat):  # scenarios alternate, so a load spike on a shared machine hits them all
        for name in args.only:
            command = [sys.executable, __file__, "--scenario", name, "--rows", str(args.rows)]
            if args.database_url:
                command += ["--database-url", args.database_url]
            out = subprocess.run(command, check=True, capture_output=True, text=True, cwd=ROOT).stdout
            r = json.loads(out.strip().splitlines()[-1])
            runs[name].append(r)
            print(f"{name:8} {r['rows']:>8} rows  {r['seconds']:>8.2f} s  {r['queries']:>7} queries  {r['peak_mb']:>5} MB",
                  flush=True)  # fmt: skip
    seconds = {name: statistics.median(r["seconds"] for r in rs) for name, rs in runs.items()}

    def pairs(a, b):
        return ", ".join(f"{x['seconds'] / y['seconds']:.2f}" for x, y in zip(runs[a], runs[b]))

    if {"ours", "default"} <= seconds.keys():
        print(f"import: ours vs django-import-export default    {seconds['default'] / seconds['ours']:.1f}×  (≥ 10×)")
    if {"ours", "limit"} <= seconds.keys():
        print(f"import: ours vs the limit (calamine+bulk_create) {seconds['limit'] / seconds['ours']:.2f}×  (≥ 0.5×)"
              + (f"  medians; each round: {pairs('limit', 'ours')}" if args.repeat > 1 else ""))  # fmt: skip
    if "ours" in runs:
        per_100 = 100 * runs["ours"][0]["queries"] / runs["ours"][0]["rows"]
        print(f"import: SQL queries per 100 rows, ours          {per_100:.2f}  (≤ 2)")


if __name__ == "__main__":
    main()
