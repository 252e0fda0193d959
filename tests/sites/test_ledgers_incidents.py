"""The incidents ledger (涉诈案事件, N1 三无): upsert by case number or site + date + kind, all or nothing, scoped."""
from decimal import Decimal

from sites.imports import registry
from sites.models import Incident

from .factories import IncidentFactory
from .ledger_kit import dry_run, export_xlsx, fill_template, import_file, rejected

LEDGER = registry.get("incidents")


def row(site, **over):
    base = {"所属村/社区": site.village.name, "创建单位": site.name, "类别": "电诈被骗案件", "发生日期": "2022.1.15",
            "警情/案件编号": "J2022001", "损失金额(元)": 3000, "诈骗类型": "刷单返利", "简要案情": "刷单被骗。"}  # fmt: skip
    return {**base, **over}


def test_template_round_trip_and_reupload_by_case_number_N1(world, town_staff):
    data = fill_template(LEDGER, [row(world.site_a), row(world.school_a, **{"警情/案件编号": "", "类别": "电诈窝点",
                                                                          "损失金额(元)": None})])  # fmt: skip
    result = import_file(LEDGER, data, town_staff)
    assert result.counts["create"] == 2
    victim = Incident.objects.get(police_case_no="J2022001")
    assert victim.site == world.site_a and victim.amount_lost == Decimal("3000") and victim.entered_by == town_staff
    again = fill_template(LEDGER, [row(world.site_a, **{"损失金额(元)": 3500})])
    assert import_file(LEDGER, again, town_staff).counts == {"create": 0, "update": 1, "unchanged": 0}
    assert Incident.objects.get(police_case_no="J2022001").amount_lost == Decimal("3500")
    assert Incident.objects.count() == 2


def test_export_imports_back_unchanged_N1(world, town_staff):
    IncidentFactory(site=world.site_a, police_case_no="J1")
    IncidentFactory(site=world.school_a, kind=Incident.Kind.DEN, amount_lost=None)
    IncidentFactory(site=world.site_c)  # another town: not exported
    result = dry_run(LEDGER, export_xlsx(LEDGER, town_staff), town_staff)
    assert result.errors == [] and result.counts == {"create": 0, "update": 0, "unchanged": 2}


def test_error_in_the_last_row_writes_nothing_N1(world, town_staff):
    rows = [row(world.site_a, **{"警情/案件编号": f"J{i}"}) for i in range(5)]
    rows.append(row(world.site_a, **{"警情/案件编号": "J9", "损失金额(元)": None}))  # a victim case needs the amount
    result = rejected(LEDGER, fill_template(LEDGER, rows), town_staff)
    assert [e["row"] for e in result.errors] == [7] and "损失金额" in result.errors[0]["fix"]
    assert Incident.objects.count() == 0


def test_staff_cannot_import_into_another_town_N1(world, town_staff):
    rows = [row(world.site_a), row(world.site_c, **{"警情/案件编号": "J2"})]
    result = rejected(LEDGER, fill_template(LEDGER, rows), town_staff)
    assert [(e["row"], e["field"]) for e in result.errors] == [(3, "所属村/社区")]
    assert "不是您负责的村/社区" in result.errors[0]["fix"] and Incident.objects.count() == 0


def test_list_pages_link_exports_that_follow_their_filters_N1(login, world, town_staff):
    from django.urls import reverse

    from .ledger_kit import read_export

    IncidentFactory(site=world.site_a, kind=Incident.Kind.DEN, amount_lost=None, police_case_no="DEN1")
    IncidentFactory(site=world.site_a, police_case_no="VIC1")
    client = login(town_staff)
    for name, key in (("sites:incident_list", "incidents"), ("sites:premises_list", "premises"),
                      ("sites:sweep_list", "sweeps"), ("sites:keyperson_list", "keypersons"),
                      ("campaigns:activity_list", "activities")):  # fmt: skip
        page = client.get(reverse(name) + "?village=" + str(world.village_a.pk)).content.decode()
        export = reverse("sites:ledger_export", args=[key]) + "?fmt=xlsx"
        assert export + (f"&amp;village={world.village_a.pk}" if key != "sweeps" else "") in page, name  # no filters there
        assert reverse("sites:import_upload", args=[key]) in page, name
    response = client.get(reverse("sites:ledger_export", args=["incidents"]) + "?fmt=xlsx&kind=den")
    rows = read_export(b"".join(response.streaming_content) if response.streaming else response.content)
    assert [r[5] for r in rows[1:]] == ["DEN1"]
