"""The dry run and the all-or-nothing commit on the sites and village-users ledgers (N1: sites move in by file)."""
import pytest
from django.contrib.auth import get_user_model

from sites.imports import registry
from sites.imports.engine import ImportRejected, analyse, commit
from sites.models import Membership, Site
from sites.roles import Role
from tests.factories import SiteFactory

from .import_files import SITE_HEADER, csv_bytes, xlsx

SITES = registry.get("sites")
USERS = registry.get("village_users")


def planned(ledger, data, actor, name="x.xlsx"):
    """The dry run, keeping what it plans (a write callback that only collects)."""
    rows = []
    result = analyse(ledger, name=name, data=data, actor=actor, write=rows.extend)
    return result, rows


def fields_of(result):
    return [(e["row"], e["column"], e["field"]) for e in result.errors]


def test_title_row_merged_header_fullwidth_and_trailing_blank_rows_N1(world, cadre_a):
    data = xlsx(
        [SITE_HEADER, ["甲村", "幸福二期", "小区", "甲村幸福路２号", "１３８００００００００", "１２０", "３６０"]],
        title="甲村创建单位台账(2021年11月)", merged_header=True, trailing_formatted=30,
    )  # fmt: skip
    result, rows = planned(SITES, data, cadre_a)
    assert result.errors == [] and result.header_row == 3 and result.rows == 1
    (site,) = rows
    assert site.action == "create" and site.obj.contact_phone == "13800000000"
    assert site.obj.households == 120 and site.obj.address == "甲村幸福路2号"


def test_data_on_the_first_visible_sheet_N1(world, cadre_a):
    data = xlsx([["所属村/社区", "名称", "类型"], ["甲村", "可见表小区", "小区"]], hidden_first=True)
    result, rows = planned(SITES, data, cadre_a)
    assert [p.obj.name for p in rows] == ["可见表小区"]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk"])
def test_csv_in_utf8_bom_and_gbk_N1(world, cadre_a, encoding):
    data = csv_bytes([["所属村/社区", "名称", "类型"], ["甲村", "CSV小区", "小区"]], encoding)
    result, rows = planned(SITES, data, cadre_a, name="x.csv")
    assert result.errors == [] and rows[0].obj.name == "CSV小区"


def test_dry_run_lists_every_error_in_chinese_not_just_the_first_N1(world, cadre_a):
    data = xlsx([
        SITE_HEADER + ["备注"],
        ["甲村", "A小区", "别墅", "", "12345", "很多", ""],
        ["甲村", "", "小区", "", "", "", ""],
        ["甲村", "B学校", "校园", "", "", "", ""],
        ["甲村", "C小区", "小区", "", "", "", ""],
        ["甲村", "C小区", "小区", "", "", "", ""],
    ])  # fmt: skip
    result = analyse(SITES, name="错.xlsx", data=data, actor=cadre_a)
    found = fields_of(result)
    assert (1, "H", "备注") in found  # unknown column reported, not ignored
    assert (2, "C", "类型") in found and (2, "F", "户数") in found
    assert (3, "B", "名称") in found
    assert any(e["row"] == 4 and "学段" in e["fix"] for e in result.errors)
    assert any(e["row"] == 6 and "与第 5 行重复" in e["fix"] for e in result.errors)
    assert result.error_count == len(result.errors) >= 6
    assert all(e["file"] == "错.xlsx" and e["fix"] for e in result.errors)
    phone = next(e for e in result.errors if e["row"] == 2 and e["field"] == "联系电话")
    assert "11 位手机号" in phone["fix"] and phone["value"] == "12345"


def test_each_date_format_and_an_id_number_as_number_are_read_or_refused(world, cadre_a):
    """No ledger of the sites app has dates or IDs yet: prove the engine with a throwaway ledger."""
    from sites.imports.base import Column, Ledger, Planned

    class Demo(Ledger):
        key, title, natural_key = "demo", "演示", ("name",)
        columns = (Column("name", "名称", required=True), Column("day", "日期", kind="date"),
                   Column("id_number", "身份证号", kind="id_number", sensitive=True))  # fmt: skip

        def plan(self, values, ctx, actor):
            return Planned(values["_row"], "create", values["name"], values)

        def save(self, *, actor, planned):  # a dry run never saves
            raise AssertionError("analyse() wrote a row")

        def export_rows(self, user, params):
            return iter(())

    rows = [["名称", "日期", "身份证号"], ["a", "2021.11.20", ""], ["b", "2021/11/20", ""], ["c", "2021-11-20", ""],
            ["d", "2021年11月20日", ""], ["e", 44520, ""], ["f", "", 350521199001011234]]  # fmt: skip
    result = analyse(Demo(), name="d.xlsx", data=xlsx(rows[:-1]), actor=cadre_a)
    assert result.errors == [] and result.counts["create"] == 5
    days = []
    analyse(Demo(), name="d.xlsx", data=xlsx(rows[:-1]), actor=cadre_a, write=days.extend)
    assert {str(p.obj["day"]) for p in days} == {"2021-11-20"}
    result = analyse(Demo(), name="d.xlsx", data=xlsx(rows), actor=cadre_a)
    (error,) = result.errors
    assert error["row"] == 7 and error["column"] == "C" and "丢失" in error["fix"]
    assert error["value"].startswith("350") and "*" in error["value"]  # personal data masked in the report


def test_scope_cadre_cannot_import_into_another_village_nothing_written_N1(world, cadre_a):
    data = xlsx([["所属村/社区", "名称", "类型"], ["甲村", "本村新小区", "小区"], [world.village_b.name, "越界小区", "小区"]])
    result = analyse(SITES, name="x.xlsx", data=data, actor=cadre_a)
    assert [e["row"] for e in result.errors] == [3] and "不是您负责的村/社区" in result.errors[0]["fix"]
    with pytest.raises(ImportRejected):
        commit(SITES, name="x.xlsx", data=data, actor=cadre_a)
    assert not Site.objects.filter(name__in=["本村新小区", "越界小区"]).exists()


def test_error_in_the_last_of_many_rows_writes_nothing_N1(world, cadre_a):
    rows = [["所属村/社区", "名称", "类型", "户数"]] + [["甲村", f"批量小区{i}", "小区", i] for i in range(300)]
    rows[-1][3] = "三百"
    with pytest.raises(ImportRejected) as exc:
        commit(SITES, name="x.xlsx", data=xlsx(rows), actor=cadre_a)
    assert exc.value.result.errors[0]["row"] == 301
    assert not Site.objects.filter(name__startswith="批量小区").exists()


def test_a_failure_while_saving_rolls_back_every_row(world, cadre_a, monkeypatch):
    rows = [["所属村/社区", "名称", "类型"]] + [["甲村", f"回滚小区{i}", "小区"] for i in range(5)]

    def save_batch(*, actor, planned):
        for p in planned:
            p.obj.save()
        raise ValueError("磁盘已满")

    monkeypatch.setattr(SITES, "save_batch", save_batch)
    with pytest.raises(ImportRejected) as exc:
        commit(SITES, name="x.xlsx", data=xlsx(rows), actor=cadre_a)
    assert "磁盘已满" in exc.value.result.errors[0]["fix"]
    assert not Site.objects.filter(name__startswith="回滚小区").exists()


def test_error_in_row_9999_of_10000_writes_nothing_although_earlier_chunks_were_saved_N1(world, cadre_a):
    rows = [["所属村/社区", "名称", "类型", "户数"]] + [["甲村", f"万行小区{i}", "小区", i] for i in range(10000)]
    rows[9999][3] = "-"  # data row 9,999 is line 10,000 of the sheet
    with pytest.raises(ImportRejected) as exc:
        commit(SITES, name="x.xlsx", data=xlsx(rows), actor=cadre_a)
    assert [e["row"] for e in exc.value.result.errors] == [10000]
    assert not Site.objects.filter(name__startswith="万行小区").exists()


def test_bulk_save_keeps_site_save_rules(world, cadre_a):
    from django.core.exceptions import ValidationError

    from sites.services import site_bulk_save

    mine, foreign = Site(village=world.village_a, kind="community", name="批量甲"), Site(
        village=world.village_b, kind="community", name="批量乙"
    )
    with pytest.raises(ValidationError):
        site_bulk_save(actor=cadre_a, sites=[mine, foreign])
    world.site_b.name = "改名"
    with pytest.raises(ValidationError):
        site_bulk_save(actor=cadre_a, sites=[world.site_b])
    campus = Site(village=world.village_a, kind="campus", name="无学段")
    with pytest.raises(ValidationError):
        site_bulk_save(actor=cadre_a, sites=[campus])
    assert not Site.objects.filter(name__in=["批量甲", "批量乙", "改名", "无学段"]).exists()


def test_upsert_by_village_and_name_and_idempotent_reupload_N1(world, cadre_a):
    rows = [["所属村/社区", "名称", "类型", "户数"], ["甲村", world.site_a.name, "小区", 999], ["甲村", "全新小区", "小区", 10]]
    first = commit(SITES, name="x.xlsx", data=xlsx(rows), actor=cadre_a)
    assert first.counts == {"create": 1, "update": 1, "unchanged": 0}
    world.site_a.refresh_from_db()
    assert world.site_a.households == 999
    again = commit(SITES, name="x.xlsx", data=xlsx(rows), actor=cadre_a)
    assert again.counts == {"create": 0, "update": 0, "unchanged": 2}
    assert Site.objects.filter(name="全新小区").count() == 1


def test_same_named_villages_need_the_town(world, town_staff):
    from tests.factories import AreaFactory

    AreaFactory.village(world.town_x, 203, name="甲村")  # a second 甲村 in the same town is impossible in life,
    data = xlsx([["所属村/社区", "名称", "类型"], ["甲村", "重名村小区", "小区"]])  # but codes disambiguate
    result = analyse(SITES, name="x.xlsx", data=data, actor=town_staff)
    assert "多个名为" in result.errors[0]["fix"]
    data = xlsx([["所属村/社区", "名称", "类型"], [world.village_a.code, "重名村小区", "小区"]])
    assert analyse(SITES, name="x.xlsx", data=data, actor=town_staff).errors == []


def test_village_users_created_with_roles_in_scope_N1(world, town_staff):
    rows = [["用户名", "姓名", "角色", "所属村/社区", "创建单位"],
            ["cadre_new", "王五", "村干部", "甲村", ""],
            ["liaison_new", "赵六", "创建单位联络员", "甲村", world.school_a.name]]  # fmt: skip
    result = commit(USERS, name="u.xlsx", data=xlsx(rows), actor=town_staff)
    assert result.counts["create"] == 2
    cadre = get_user_model().objects.get(username="cadre_new")
    assert cadre.first_name == "王五" and not cadre.has_usable_password()
    assert Membership.objects.filter(user=cadre, role=Role.CADRE, area=world.village_a).exists()
    assert Membership.objects.filter(user__username="liaison_new", role=Role.LIAISON, site=world.school_a).exists()
    assert commit(USERS, name="u.xlsx", data=xlsx(rows), actor=town_staff).counts["unchanged"] == 2


def test_village_users_out_of_scope_and_foreign_accounts_are_refused(world, town_staff, cadre_a, other_town_staff):
    rows = [["用户名", "姓名", "角色", "所属村/社区"], ["cadre_c", "钱七", "村干部", world.village_c.name],
            [other_town_staff.username, "冒名", "村干部", "甲村"]]  # fmt: skip
    with pytest.raises(ImportRejected) as exc:
        commit(USERS, name="u.xlsx", data=xlsx(rows), actor=town_staff)
    assert exc.value.result.errors[0]["row"] == 2
    assert not get_user_model().objects.filter(username="cadre_c").exists()
    # Row 3 alone passes the dry run but the service refuses an account of another town: nothing written.
    with pytest.raises(ImportRejected) as exc:
        commit(USERS, name="u.xlsx", data=xlsx(rows[:1] + rows[2:]), actor=town_staff)
    assert "其他辖区" in exc.value.result.errors[0]["fix"]
    assert not Membership.objects.filter(user=other_town_staff, role=Role.CADRE).exists()
    # A cadre holds no right to grant roles at all.
    result = analyse(USERS, name="u.xlsx", data=xlsx(rows[:2]), actor=cadre_a)
    assert result.error_count == 1


def test_export_rows_follow_scope_and_filters(world, cadre_a, town_staff):
    SiteFactory(village=world.village_a, name="=HYPERLINK(\"http://x\")")
    names = [r[2] for r in SITES.export_rows(cadre_a, {})]
    assert world.site_b.name not in names and world.site_a.name in names
    only_campus = [r[2] for r in SITES.export_rows(town_staff, {"kind": "campus"})]
    assert only_campus == [world.school_a.name]


def test_unreadable_xls_or_et_is_refused_with_a_clear_message(world, cadre_a):
    from wuzha.lib.upload_safety import OLE_MAGIC

    for name in ("旧表.xls", "WPS表格.et"):
        result = analyse(SITES, name=name, data=OLE_MAGIC + b"\x00" * 600, actor=cadre_a)
        assert result.error_count == 1 and "另存为" in result.errors[0]["fix"]


def test_missing_required_columns_and_no_header_are_explained(world, cadre_a):
    result = analyse(SITES, name="x.xlsx", data=xlsx([["名称", "地址"], ["某小区", "某路"]]), actor=cadre_a)
    assert {e["field"] for e in result.errors} >= {"所属村/社区", "类型"}
    assert all("缺少必填列" in e["fix"] for e in result.errors)
    result = analyse(SITES, name="x.xlsx", data=xlsx([["甲", "乙"], ["1", "2"]]), actor=cadre_a)
    assert "没有找到表头行" in result.errors[0]["fix"]


def test_too_many_rows_are_refused_without_reading_on(world, cadre_a, monkeypatch):
    from sites.imports import engine

    monkeypatch.setattr(engine, "MAX_ROWS", 3)
    rows = [["所属村/社区", "名称", "类型"]] + [["甲村", f"多行{i}", "小区"] for i in range(10)]
    result = analyse(SITES, name="x.xlsx", data=xlsx(rows), actor=cadre_a)
    assert result.error_count == 1 and "拆分" in result.errors[0]["fix"] and result.errors[0]["row"] == 5


def test_town_staff_cannot_take_over_a_colleague_account_by_import(world, town_staff, inspector):
    rows = [["用户名", "姓名", "角色", "所属村/社区"], [inspector.username, "改名", "村干部", "甲村"]]
    with pytest.raises(ImportRejected) as exc:
        commit(USERS, name="u.xlsx", data=xlsx(rows), actor=town_staff)
    assert "其他辖区" in exc.value.result.errors[0]["fix"]
    inspector.refresh_from_db()
    assert inspector.first_name != "改名" and not Membership.objects.filter(user=inspector, role=Role.CADRE).exists()


def test_column_fast_paths_read_as_the_general_parsers_N1():
    """ISO dates and choices skip the general parsers' regexes; what they accept and refuse is unchanged."""
    import datetime as dt

    from sites.imports import Column
    from wuzha.lib.cells import CellError

    day = Column("date", "日期", kind="date")
    assert day.parse("2021-11-20") == dt.date(2021, 11, 20) and day.parse("2021.11.20") == dt.date(2021, 11, 20)
    with pytest.raises(CellError, match="不存在"):
        day.parse("2021-02-30")
    with pytest.raises(CellError):
        day.parse("2021-W47")  # ISO week dates are not a form people write
    kind = Column("kind", "类型", kind="choice", choices=(("a", "小区"), ("b", "a")))
    assert [kind.parse(v) for v in (" 小区 ", "a", "b", "", None)] == ["a", "a", "b", "", ""]
    with pytest.raises(CellError, match="下拉选项"):
        kind.parse("学校")


def test_a_ledger_must_implement_plan_save_and_export_N1():
    from sites.imports import Ledger

    class Half(Ledger):
        def plan(self, values, ctx, actor):
            return None

    with pytest.raises(TypeError, match="abstract"):
        Half()


@pytest.mark.parametrize("name", ["旧表.xls", "WPS表格.et"])
def test_real_xls_and_wps_et_files_are_read_N1(world, cadre_a, name):
    """A real BIFF8 file (built here with xlwt), and the same bytes named .et as WPS saves them: the engine
    reads both (python-calamine), title row, hidden first sheet and numbers included."""
    from wuzha.lib.upload_safety import OLE_MAGIC

    from .import_files import xls

    rows = [SITE_HEADER, ["甲村", "旧版表格小区", "小区", "幸福路 1 号", 13800000000, 120, 300.0],
            ["甲村", "旧版表格二", "小区", "", "", "", ""]]  # fmt: skip
    data = xls(rows, title="甲村创建单位台账", hidden_first=True)
    assert data.startswith(OLE_MAGIC)
    result = commit(SITES, name=name, data=data, actor=cadre_a)
    assert result.errors == [] and result.counts["create"] == 2 and result.sheet == "台账" and result.header_row == 2
    site = Site.objects.get(name="旧版表格小区")
    assert (site.village, site.contact_phone) == (world.village_a, "13800000000")
    assert (site.households, site.residents) == (120, 300)
    assert not Site.objects.filter(name="隐藏表里的小区").exists()


def test_real_xls_date_cells_and_every_error_are_reported_N1(world, cadre_a):
    import datetime as dt

    from campaigns.models import Activity
    from tests.campaigns.factories import CampaignFactory

    from .import_files import xls

    CampaignFactory(scope=world.county, starts_on=dt.date(2021, 11, 1), ends_on=dt.date(2022, 3, 31))
    header = ["所属村/社区", "开展日期", "宣传渠道", "数量(份/块/幅)"]
    good = ["甲村", dt.date(2021, 12, 5), "宣传栏/展板", 3]
    bad = [["甲村", "2021年13月1日", "宣传栏/展板", -2], ["甲村", dt.date(2021, 12, 6), "宣传栏/展板", -1]]
    result = analyse(registry.get("activities"), name="活动.xls", data=xls([header, good, *bad]), actor=cadre_a)
    # every problem, the count of a row whose date is unreadable included
    assert [(e["row"], e["field"]) for e in result.errors] == [(3, "开展日期"), (3, "数量(份/块/幅)"), (4, "数量(份/块/幅)")]
    data = xls([header, good, ["甲村", dt.date(2021, 12, 6), "宣传栏/展板", 2]])
    assert commit(registry.get("activities"), name="活动.et", data=data, actor=cadre_a).counts["create"] == 2
    assert set(Activity.objects.values_list("date", flat=True)) == {dt.date(2021, 12, 5), dt.date(2021, 12, 6)}
