"""A standard's score sheet to and from Excel (openpyxl). Import is all or nothing, errors in Chinese."""

import io
import zipfile
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from openpyxl import Workbook, load_workbook

from .models import Standard, StandardItem

HEADERS = ["项目", "标准", "分值", "考评方式", "计分方式", "每次扣分", "扣分规则", "可不适用"]
MAX_UPLOAD = 2 * 1024 * 1024
MAX_INFLATED = 20 * 1024 * 1024
MAX_ROWS = 500
METHODS = {label: value for value, label in StandardItem.Method.choices}
SCORINGS = {label: value for value, label in StandardItem.Scoring.choices}
YES = {"是": True, "否": False, "": False}


def _safe(value):
    """Cells never start a formula (= + - @ tab CR) when opened in Excel."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def export_standard(standard: Standard) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "评分表"
    ws.append(HEADERS)
    for item in standard.items.all():
        ws.append([_safe(v) for v in (
            item.section, item.text, float(item.max_points), item.get_method_display(), item.get_scoring_display(),
            float(item.deduction_per), item.rule_text, "是" if item.allow_na else "否",
        )])  # fmt: skip
    for col, width in zip("ABCDEFGH", (14, 50, 8, 12, 18, 10, 40, 10)):
        ws.column_dimensions[col].width = width
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _check_zip(upload) -> None:
    if upload.size > MAX_UPLOAD:
        raise ValidationError("文件超过 2 MB,评分表不应这么大。")
    try:
        with zipfile.ZipFile(upload) as zf:
            infos = zf.infolist()
            if len(infos) > 200 or sum(i.file_size for i in infos) > MAX_INFLATED:
                raise ValidationError("文件解压后过大,拒绝导入。")
    except zipfile.BadZipFile as exc:
        raise ValidationError("不是有效的 Excel(.xlsx)文件。") from exc
    upload.seek(0)


def parse_items(upload) -> list[StandardItem]:
    """Read the rows of an exported (or hand-made) sheet; raise one ValidationError listing every bad cell."""
    _check_zip(upload)
    try:
        wb = load_workbook(upload, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types on a broken file
        raise ValidationError("无法读取该 Excel 文件,请用本系统导出的模板填写。") from exc
    ws = wb.worksheets[0]
    rows = ws.iter_rows(values_only=True)
    header = [str(c or "").strip() for c in next(rows, [])]
    missing = [h for h in HEADERS[:5] if h not in header]
    if missing:
        raise ValidationError(f"第1行缺少表头:{'、'.join(missing)}(应为:{' | '.join(HEADERS)})。")
    col = {h: header.index(h) for h in HEADERS if h in header}
    items, errors = [], []
    for n, row in enumerate(rows, start=2):
        if n > MAX_ROWS:
            errors.append(f"评分项超过 {MAX_ROWS} 行。")
            break
        cell = {h: ("" if row[i] is None or i >= len(row) else row[i]) for h, i in col.items()}
        if not any(str(v).strip() for v in cell.values()):
            continue
        text = lambda h: str(cell.get(h, "")).strip().lstrip("'")  # noqa: E731
        item = StandardItem(section=text("项目"), text=text("标准"), rule_text=text("扣分规则"))
        for h, field in (("分值", "max_points"), ("每次扣分", "deduction_per")):
            raw = text(h) or "0"
            try:
                setattr(item, field, Decimal(raw))
            except InvalidOperation:
                errors.append(f"第{n}行「{h}」:“{raw}”不是数字。")
        for h, table, field in (("考评方式", METHODS, "method"), ("计分方式", SCORINGS, "scoring")):
            if text(h) not in table:
                errors.append(f"第{n}行「{h}」:“{text(h)}”无效,应为 {'、'.join(table)} 之一。")
            else:
                setattr(item, field, table[text(h)])
        if text("可不适用") not in YES:
            errors.append(f"第{n}行「可不适用」:请填“是”或“否”。")
        item.allow_na = YES.get(text("可不适用"), False)
        try:
            item.full_clean(exclude=["standard"])
        except ValidationError as exc:
            for field, msgs in exc.message_dict.items():
                label = StandardItem._meta.get_field(field).verbose_name if field != "__all__" else "本行"
                errors += [f"第{n}行「{label}」:{m}" for m in msgs]
        items.append(item)
    wb.close()
    if not items and not errors:
        errors.append("文件中没有评分项。")
    if errors:
        raise ValidationError(sorted(set(errors), key=errors.index))
    return items
