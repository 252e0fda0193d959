"""The charts' data for static/js/dashboard.js (handed over with json_script): plain lists, Chinese labels."""
from decimal import Decimal


def _num(value):
    return float(value) if isinstance(value, Decimal) else value


def chart_data(data: dict) -> dict:
    s = data["summary"]
    charts = {
        "monthly": {
            "title": "宣传活动(按月、按渠道)", "x": data["months"],
            "series": [{"name": name, "data": values} for name, values in sorted(data["monthly"].items())],
        },
        "kinds": {
            "title": "创建单位与命名(按类型)", "x": [k["label"] for k in data["kinds"]],
            "series": [
                {"name": "创建单位", "data": [k["sites"] for k in data["kinds"]]},
                {"name": "已命名", "data": [k["named"] for k in data["kinds"]]},
                {"name": "拟命名(测算)", "data": [k["proposed"] for k in data["kinds"]]},
            ],
        },
        "obligations": {
            "title": "工作任务完成情况",
            "pie": [{"name": "按时完成", "value": s["on_time"] + s["own_done"]}, {"name": "逾期完成", "value": s["late"]},
                    {"name": "缺失", "value": s["missing"]}],
        },
    }  # fmt: skip
    if data["children"]:
        rows = data["children"]
        charts["children"] = {
            "title": f"各{data['child_label']}得分(测算)", "x": [r["name"] for r in rows],
            "series": [{"name": "得分", "data": [_num(r["score"]) for r in rows]},
                       {"name": "任务完成率", "data": [_num(r["completion"]) for r in rows]}],
        }  # fmt: skip
    for chart in charts.values():  # the data-table fallback under each chart: one row per category
        if "x" in chart:
            chart["rows"] = [(label, [ser["data"][i] for ser in chart["series"]]) for i, label in enumerate(chart["x"])]
    return charts
