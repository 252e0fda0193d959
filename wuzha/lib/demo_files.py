"""Real small files for demo records: the document path refuses text dressed as a PDF, demos included."""
from functools import lru_cache
from html import escape


def _no_fetch(url, *args, **kwargs):
    raise ValueError(f"不加载外部资源:{url}")


@lru_cache(maxsize=64)
def demo_pdf(text: str) -> bytes:
    """A one-page A4 PDF with `text` (lines kept), rendered by WeasyPrint; the same text gives the same bytes
    within a process, so seeding many villages with one wording costs one rendering."""
    from weasyprint import CSS, HTML

    body = "".join(f"<p>{escape(line)}</p>" for line in text.splitlines() or [""])
    css = CSS(string='@page { size: A4; margin: 25mm } body { font-family: "Noto Sans CJK SC", sans-serif; font-size: 14pt }')
    return HTML(string=f"<html><body>{body}</body></html>", url_fetcher=_no_fetch).write_pdf(stylesheets=[css])
