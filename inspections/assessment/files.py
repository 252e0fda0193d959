"""Writes the run's report files (xlsx, pdf) into its FileFields; re-writing replaces them."""
from django.core.files.base import ContentFile

from .xlsx import build_workbook


def run_results(run):
    return list(run.village_results.select_related("village").order_by("rank", "village__code"))


def write_files(run) -> None:
    results = run_results(run)
    stem = f"assessment-{run.pk}"
    for field in ("xlsx", "pdf"):
        old = getattr(run, field)
        if old:
            old.delete(save=False)
    run.xlsx.save(f"{stem}.xlsx", ContentFile(build_workbook(run, results)), save=False)
    try:
        from .pdf import build_pdf
    except ImportError:  # WeasyPrint not installed: the xlsx and the printable page still work
        build_pdf = None
    if build_pdf is not None:
        run.pdf.save(f"{stem}.pdf", ContentFile(build_pdf(run, results)), save=False)
    run.save(update_fields=["xlsx", "pdf"])
