"""The premises (with units) and sweeps ledgers (N5.1, N5.3): template round trip, export back unchanged,
all or nothing, scope."""
import datetime as dt

from sites.imports import registry
from sites.models import Premises, Sweep, Unit

from .factories import PremisesFactory, SweepFactory, UnitFactory
from .ledger_kit import dry_run, export_xlsx, fill_template, import_file, rejected

PREMISES = registry.get("premises")
SWEEPS = registry.get("sweeps")


def premises_row(village, name="幸福路8号", **over):
    base = {"所属村/社区": village.name, "名称": name, "场所类型": "出租房屋", "地址": f"{village.name}{name}",
            "管理人电话": "13700000000", "实有人口": 12, "风险标记": "群租、有涉诈线索", "房间/单元": "101、102,201"}  # fmt: skip
    return {**base, **over}


def test_premises_template_round_trip_adds_units_and_never_duplicates_N5_1(world, cadre_a):
    data = fill_template(PREMISES, [premises_row(world.village_a, **{"所在创建单位": world.site_a.name})])
    assert import_file(PREMISES, data, cadre_a).counts["create"] == 1
    premises = Premises.objects.get(name="幸福路8号")
    assert premises.site == world.site_a and premises.manager_phone == "13700000000"
    assert premises.risk_flags == ["group_rent", "clue"] and premises.actual_population == 12
    assert sorted(premises.units.values_list("label", flat=True)) == ["101", "102", "201"]
    again = fill_template(PREMISES, [premises_row(world.village_a, **{"房间/单元": "101、301"})])
    assert import_file(PREMISES, again, cadre_a).counts["update"] == 1
    assert Premises.objects.count() == 1 and Unit.objects.filter(premises=premises).count() == 4  # added, none deleted


def test_premises_export_imports_back_unchanged_N5_1(world, cadre_a):
    premises = PremisesFactory(village=world.village_a, risk_flags=["night"])
    UnitFactory(premises=premises, label="1-101")
    PremisesFactory(village=world.village_a)
    PremisesFactory(village=world.village_b)  # not cadre_a's
    result = dry_run(PREMISES, export_xlsx(PREMISES, cadre_a), cadre_a)
    assert result.errors == [] and result.counts == {"create": 0, "update": 0, "unchanged": 2}


def test_premises_error_in_last_row_writes_nothing_and_other_village_is_refused_N5_1(world, cadre_a):
    rows = [premises_row(world.village_a, f"楼{i}") for i in range(4)] + [premises_row(world.village_a, "坏楼", 风险标记="闹鬼")]
    result = rejected(PREMISES, fill_template(PREMISES, rows), cadre_a)
    assert [(e["row"], e["field"]) for e in result.errors] == [(6, "风险标记")]
    scoped = rejected(PREMISES, fill_template(PREMISES, [premises_row(world.village_b)]), cadre_a)
    assert "不是您负责的村/社区" in scoped.errors[0]["fix"]
    assert Premises.objects.count() == 0 and Unit.objects.count() == 0


def sweep_row(village, premises, **over):
    return {"所属村/社区": village.name, "日期": "2022年1月10日", "参加人员": "网格员张三、民警李四",
            "覆盖场所": "、".join(p.name for p in premises), **over}  # fmt: skip


def test_sweep_template_round_trip_and_reupload_updates_N5_3(world, cadre_a):
    one, two = PremisesFactory(village=world.village_a), PremisesFactory(village=world.village_a)
    assert import_file(SWEEPS, fill_template(SWEEPS, [sweep_row(world.village_a, [one])]), cadre_a).counts["create"] == 1
    sweep = Sweep.objects.get()
    assert sweep.done_on == dt.date(2022, 1, 10) and sweep.created_by == cadre_a and list(sweep.premises.all()) == [one]
    again = fill_template(SWEEPS, [sweep_row(world.village_a, [one, two], 情况说明="补扫")])
    assert import_file(SWEEPS, again, cadre_a).counts["update"] == 1
    sweep = Sweep.objects.get()
    assert sweep.note == "补扫" and set(sweep.premises.all()) == {one, two}


def test_sweep_export_imports_back_unchanged_N5_3(world, cadre_a):
    premises = PremisesFactory(village=world.village_a)
    SweepFactory(village=world.village_a, created_by=cadre_a, note="夜间").premises.set([premises])
    SweepFactory(village=world.village_b).premises.set([PremisesFactory(village=world.village_b)])
    result = dry_run(SWEEPS, export_xlsx(SWEEPS, cadre_a), cadre_a)
    assert result.errors == [] and result.counts == {"create": 0, "update": 0, "unchanged": 1}


def test_sweep_unknown_premises_in_last_row_and_other_village_write_nothing_N5_3(world, cadre_a):
    premises = PremisesFactory(village=world.village_a)
    other = PremisesFactory(village=world.village_b)
    rows = [sweep_row(world.village_a, [premises], 参加人员=f"队{i}") for i in range(3)]
    rows.append({**sweep_row(world.village_a, [premises]), "覆盖场所": other.name})  # a premises of village B
    result = rejected(SWEEPS, fill_template(SWEEPS, rows), cadre_a)
    assert [(e["row"], e["field"]) for e in result.errors] == [(5, "覆盖场所")]
    scoped = rejected(SWEEPS, fill_template(SWEEPS, [sweep_row(world.village_b, [other])]), cadre_a)
    assert "不是您负责的村/社区" in scoped.errors[0]["fix"]
    assert Sweep.objects.count() == 0
