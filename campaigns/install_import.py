"""Upload of the official app-install figures (xlsx/xls/csv from the police): all or nothing, every problem
listed with its row and column in Chinese. Reuses the safety checks and cell parsers of the import machinery."""
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction

from sites.models import Area, Site
from wuzha.lib.cells import CellError, clean_text, column_letter, find_header_row, is_blank, normalise_header, parse_date, parse_int
from wuzha.lib.sheets import read_rows
from wuzha.lib.upload_safety import UnsafeFile, check_upload

from .models import OfficialInstallFigure
from .services import ensure_open, require_covers

HEADERS = {"village": "村(社区)", "site": "创建单位", "as_of": "统计日期", "installs": "官方安装数",
           "population_16_60": "16-60岁常住人口"}  # fmt: skip
REQUIRED = ("village", "as_of", "installs")
MAX_ROWS = 5000


@dataclass
class UploadResult:
    created: int
    updated: int


def _header_map(row) -> dict[str, int]:
    wanted = {normalise_header(v).replace("–", "-"): k for k, v in HEADERS.items()}
    return {wanted[h]: i for i, cell in enumerate(row) if (h := normalise_header(cell).replace("–", "-")) in wanted}


@transaction.atomic
def official_installs_upload(*, actor, campaign, name: str, data: bytes) -> UploadResult:
    """Parse, check every row, then write all rows (upsert by campaign + site/village + date) or none."""
    ensure_open(campaign)
    try:
        rows = [(n, row) for n, row in read_rows(data, check_upload(name, data)).rows]
    except UnsafeFile as exc:
        raise ValidationError(str(exc)) from None
    header_at = find_header_row([tuple(r) for _, r in rows], {normalise_header(h).replace("–", "-") for h in HEADERS.values()})
    if header_at is None:
        raise ValidationError("找不到表头:第一行应为 " + "、".join(HEADERS.values()) + "。请下载模板后填写。")
    cols = _header_map(rows[header_at][1])
    missing = [HEADERS[k] for k in REQUIRED if k not in cols]
    if missing:
        raise ValidationError(f"缺少必填列:{'、'.join(missing)}。")
    villages = {v.name: v for v in Area.objects.villages().filter(code__startswith=campaign.scope.prefix)}
    sites = {(s.village_id, s.name): s for s in Site.objects.filter(village__in=villages.values())}
    errors, planned, seen = [], [], set()
    body = [(n, r) for n, r in rows[header_at + 1:] if not all(is_blank(c) for c in r)]
    if len(body) > MAX_ROWS:
        raise ValidationError(f"一次最多导入 {MAX_ROWS} 行,请拆分文件。")
    for n, row in body:
        def cell(key):
            i = cols.get(key)
            return row[i] if i is not None and i < len(row) else None

        def err(key, fix):
            errors.append(f"第 {n} 行 {column_letter(cols.get(key, 0))} 列({HEADERS[key]}):{fix}")

        village = villages.get(clean_text(cell("village")))
        if village is None:
            err("village", f"“{clean_text(cell('village'))}”不是本活动范围内的村(社区),请核对名称。")
            continue
        site = None
        if not is_blank(cell("site")):
            site = sites.get((village.pk, clean_text(cell("site"))))
            if site is None:
                err("site", f"{village.name}没有名为“{clean_text(cell('site'))}”的创建单位。")
                continue
        try:
            require_covers(actor, "campaigns.add_officialinstallfigure", village_code=village.code)
        except ValidationError:
            err("village", f"您无权上传{village.name}的数据。")
            continue
        values, bad = {}, set()
        for key, parse in (("as_of", parse_date), ("installs", parse_int), ("population_16_60", parse_int)):
            try:
                values[key] = parse(cell(key)) if not is_blank(cell(key)) else None
            except CellError as exc:
                values[key] = None
                bad.add(key)
                err(key, exc.fix)
        for key in REQUIRED[1:]:
            if values[key] is None and key not in bad:
                err(key, "必填,不能为空。")
        for key in ("installs", "population_16_60"):
            if (values[key] or 0) < 0:
                err(key, "不能为负数。")
        key = (village.pk, site.pk if site else None, values.get("as_of"))
        if key in seen:
            err("village", "与上面某一行重复(同一村/单位同一日期)。")
        seen.add(key)
        planned.append((village, site, values))
    if errors:
        raise ValidationError(errors)
    created = updated = 0
    for village, site, values in planned:
        _, made = OfficialInstallFigure.objects.update_or_create(
            campaign=campaign, village=village, site=site, as_of=values["as_of"],
            defaults={"installs": values["installs"], "population_16_60": values["population_16_60"],
                      "uploaded_by": actor, "source": name[:200]},
        )  # fmt: skip
        created, updated = created + made, updated + (not made)
    return UploadResult(created, updated)
