"""List exports: the filtered, scoped queryset of a list page as an .xlsx (cells never start a formula)."""

import io

from django.http import HttpResponse
from openpyxl import Workbook

from .xlsx import _safe

MAX_ROWS = 20000


class XlsxExportMixin:
    """`?export=xlsx` on a FilterView answers the filtered rows (same scope, same filters) as Excel."""

    export_columns: list = []  # [(header, function(obj) -> value)]
    export_name = "export"

    def get(self, request, *args, **kwargs):
        if request.GET.get("export") != "xlsx":
            return super().get(request, *args, **kwargs)
        filterset = self.get_filterset(self.get_filterset_class())
        qs = filterset.qs if filterset.is_valid() else filterset.queryset.none()
        wb = Workbook()
        ws = wb.active
        ws.append([h for h, _ in self.export_columns])
        for obj in qs[:MAX_ROWS]:
            ws.append([_safe(f(obj)) for _, f in self.export_columns])
        out = io.BytesIO()
        wb.save(out)
        response = HttpResponse(
            out.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        response["Content-Disposition"] = f"attachment; filename={self.export_name}.xlsx"
        return response


def _date(value):
    return value.strftime("%Y-%m-%d") if value else ""


INSPECTION_COLUMNS = [
    ("检查计划", lambda i: i.plan.name), ("方式", lambda i: i.plan.get_kind_display()),
    ("村/社区", lambda i: i.site.village.name), ("单位", lambda i: i.site.name),
    ("类型", lambda i: i.site.get_kind_display()), ("状态", lambda i: i.get_status_display()),
    ("得分", lambda i: float(i.score) if i.score is not None else ""),
    ("自评分", lambda i: float(i.self_score) if i.self_score is not None else ""),
    ("一票否决", lambda i: "是" if i.vetoed else ""),
    ("标准版本", lambda i: i.standard_version or ""), ("计分规则版本", lambda i: i.rules_version),
]  # fmt: skip
RECTIFICATION_COLUMNS = [
    ("村/社区", lambda r: r.site.village.name), ("单位", lambda r: r.site.name), ("问题", lambda r: r.finding),
    ("扣分", lambda r: float(r.points_deducted)), ("期限", lambda r: _date(r.deadline)),
    ("状态", lambda r: r.get_status_display()), ("整改情况", lambda r: r.response),
    ("恢复分值", lambda r: float(r.points_restored)),
]  # fmt: skip
PLAN_COLUMNS = [
    ("计划名称", lambda p: p.name), ("方式", lambda p: p.get_kind_display()), ("检查范围", lambda p: p.area.name),
    ("开始日期", lambda p: _date(p.starts_on)), ("结束日期", lambda p: _date(p.ends_on)),
    ("状态", lambda p: p.get_status_display()), ("检查对象数", lambda p: p.n_targets),
    ("抽签种子", lambda p: str(p.draw_seed or "")), ("候选清单摘要", lambda p: p.draw_hash),
]  # fmt: skip
