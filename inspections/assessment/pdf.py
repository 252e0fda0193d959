"""The assessment report as a PDF (WeasyPrint), from the same template as the printable HTML view.

The stylesheet sets `font-family: "Noto Sans CJK SC"` (Debian fonts-noto-cjk); WeasyPrint embeds the
subset of the glyphs used. Nothing is fetched from the network (no base URL, no url fetcher); the chart is
inline SVG drawn by the template (no script).
"""
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string

from .report import build_report
from .rules import COMPONENT_LABELS, notes


def _no_fetch(url, *args, **kwargs):
    raise ValueError(f"不加载外部资源:{url}")


def report_context(run, results) -> dict:
    """What the report template reads (the PDF and the printable page)."""
    return {"run": run, "results": results, "notes": notes(run.rules), "labels": COMPONENT_LABELS,
            "report": build_report(run, results)}  # fmt: skip


def build_pdf(run, results) -> bytes:
    from weasyprint import CSS, HTML

    html = render_to_string("inspections/assessment_report_base.html", {**report_context(run, results), "pdf": True})
    css = CSS(filename=finders.find("css/assessment_report.css"))
    return HTML(string=html, url_fetcher=_no_fetch).write_pdf(stylesheets=[css])
