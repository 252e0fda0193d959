"""Photos are checked as real images with EXIF kept; standards round-trip through Excel, all or nothing (N6.4)."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from inspections import services
from inspections.models import ItemScore, StandardItem
from inspections.xlsx import HEADERS, export_standard, parse_items

from .images import jpeg_bytes, png_bytes


@pytest.fixture
def item_score(setup):
    return ItemScore.objects.create(inspection=setup.inspection, item=setup.standard.items.first())


def test_photo_keeps_exif_time_and_place_N6_4(item_score, setup):
    data = jpeg_bytes(exif_time="2022:03:01 09:30:00", gps=(25, 118))
    ev = services.evidence_add(
        actor=setup.crew_inspector, upload=SimpleUploadedFile("a.jpg", data), item_score=item_score
    )
    assert ev.taken_at == datetime.datetime(2022, 3, 1, 1, 30, tzinfo=datetime.timezone.utc)
    assert (ev.latitude, ev.longitude) == (Decimal("25"), Decimal("118"))
    assert ev.image.read() == data  # stored as uploaded: EXIF kept
    assert ev.site == setup.inspection.site


def test_png_without_exif_is_fine_N6_4(item_score, setup):
    ev = services.evidence_add(
        actor=setup.crew_inspector, upload=SimpleUploadedFile("b.png", png_bytes()), item_score=item_score
    )
    assert ev.taken_at is None


@pytest.mark.parametrize(
    "name,data,message",
    [("fake.jpg", b"not an image at all", "不是有效的图片"), ("big.jpg", b"x" * (10 * 1024 * 1024 + 1), "超过 10 MB")],
)
def test_bad_photos_refused_in_chinese_N6_4(item_score, setup, name, data, message):
    with pytest.raises(ValidationError, match=message):
        services.evidence_add(actor=setup.crew_inspector, upload=SimpleUploadedFile(name, data), item_score=item_score)


def test_gif_is_refused_N6_4(item_score, setup):
    from PIL import Image

    out = io.BytesIO()
    Image.new("P", (4, 4)).save(out, "GIF")
    with pytest.raises(ValidationError, match="格式"):
        services.evidence_add(actor=setup.crew_inspector, upload=SimpleUploadedFile("g.jpg", out.getvalue()),
                              item_score=item_score)  # fmt: skip


def upload(wb) -> SimpleUploadedFile:
    out = io.BytesIO()
    wb.save(out)
    return SimpleUploadedFile("s.xlsx", out.getvalue())


def test_excel_round_trip_N6_4(setup):
    data = export_standard(setup.standard)
    ws = load_workbook(io.BytesIO(data)).active
    assert [c.value for c in ws[1]] == HEADERS
    assert ws["A2"].value == "组织领导" and ws["E4"].value == "按次扣分(减完为止)"
    items = parse_items(SimpleUploadedFile("s.xlsx", data))
    assert [(i.section, i.max_points, i.scoring, i.allow_na) for i in items] == [
        (i.section, i.max_points, i.scoring, i.allow_na) for i in setup.standard.items.all()
    ]


def test_excel_import_is_all_or_nothing_with_cell_errors_N6_4(setup):
    wb = Workbook()
    ws = wb.active
    ws.append(HEADERS)
    ws.append(["宣传", "宣传栏", 10, "实地察看", "达标/不达标", 0, "", "否"])
    ws.append(["宣传", "横幅", "十分", "实地察看", "达标/不达标", 0, "", "否"])
    ws.append(["人员", "档案", 10, "上门", "按次扣分(减完为止)", 0, "", "也许"])
    with pytest.raises(ValidationError) as exc:
        parse_items(upload(wb))
    text = " ".join(exc.value.messages)
    assert "第3行「分值」" in text and "第4行「考评方式」" in text and "第4行「可不适用」" in text
    assert "第4行「每次扣分」" in text  # deduction item without a per-occurrence amount
    assert setup.standard.items.count() == 5  # nothing changed


def test_excel_import_replaces_items_and_refuses_bad_header_N6_4(setup, town_staff):
    wb = Workbook()
    wb.active.append(["项目", "内容"])
    with pytest.raises(ValidationError, match="缺少表头"):
        parse_items(upload(wb))
    wb = Workbook()
    wb.active.append(HEADERS)
    wb.active.append(["-宣传(负号开头)", "标准甲", 100, "材料审核", "0至满分打分", 0, "", "是"])
    items = parse_items(upload(wb))
    services.standard_set_items(actor=town_staff, standard=setup.standard, items=items)
    assert list(StandardItem.objects.filter(standard=setup.standard).values_list("section", flat=True)) == [
        "-宣传(负号开头)"
    ]
    ws = load_workbook(io.BytesIO(export_standard(setup.standard))).active
    assert ws["A2"].value == "'-宣传(负号开头)"  # exported as text, never a live formula


def test_not_a_zip_is_refused_N6_4():
    with pytest.raises(ValidationError, match="不是有效的 Excel"):
        parse_items(SimpleUploadedFile("x.xlsx", b"plain text"))
