"""Cell normalisation for files as people make them (no database)."""
import datetime as dt

import pytest

from wuzha.lib import cells


def test_fullwidth_digits_letters_and_spaces_become_halfwidth():
    assert cells.to_halfwidth("１３８００００００００") == "13800000000"
    assert cells.clean_text("　ＡＢＣ　小区　") == "ABC 小区"
    assert cells.clean_text(120.0) == "120"


@pytest.mark.parametrize(
    "raw",
    ["2021.11.20", "2021/11/20", "2021-11-20", "2021年11月20日", "２０２１年１１月２０日", "2021-11-20 00:00:00",
     "20211120", 44520, 44520.0, dt.date(2021, 11, 20), dt.datetime(2021, 11, 20, 9, 30)],  # fmt: skip
)
def test_every_date_form_reads_as_the_same_day(raw):
    assert cells.parse_date(raw) == dt.date(2021, 11, 20)


@pytest.mark.parametrize("raw", ["2021.13.01", "20日11月", "明天", 12])
def test_bad_dates_explain_the_accepted_forms(raw):
    with pytest.raises(cells.CellError) as exc:
        cells.parse_date(raw)
    assert "2021年11月20日" in exc.value.fix


def test_id_number_stored_as_number_is_a_precision_error_not_a_wrong_id():
    with pytest.raises(cells.CellError) as exc:
        cells.parse_id_number(3.505211990010113e17)
    assert "丢失" in exc.value.fix
    with pytest.raises(cells.CellError):
        cells.parse_id_number("3.50521E+17")
    assert cells.parse_id_number("35052119900101123x") == "35052119900101123X"
    assert cells.parse_id_number("３５０５２１１９９００１０１１２３４") == "350521199001011234"


def test_numbers_choices_booleans_phones():
    assert cells.parse_int("１，２００") == 1200
    with pytest.raises(cells.CellError):
        cells.parse_int("十二")
    assert cells.parse_choice("小区", [("community", "小区")]) == "community"
    with pytest.raises(cells.CellError) as exc:
        cells.parse_choice("别墅", [("community", "小区")])
    assert "下拉选项" in exc.value.fix
    assert cells.parse_bool("是") is True and cells.parse_bool("") is None
    assert cells.parse_phone(13800000000.0) == "13800000000"


def test_header_row_found_below_title_and_merged_rows():
    rows = [("东桥镇创建单位台账", None, None), (None, None, None), ("填表单位:东桥村", "", ""),
            ("名称 *", "类型", "地址(选填)"), ("x", "小区", "")]  # fmt: skip
    known = {cells.normalise_header(h) for h in ("名称", "类型", "地址")}
    assert cells.find_header_row(rows, known) == 3
    assert cells.find_header_row([("随便", "什么")], known) is None


def test_column_letters():
    assert [cells.column_letter(i) for i in (0, 25, 26, 27)] == ["A", "Z", "AA", "AB"]
