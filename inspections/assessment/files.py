"""Writes the run's report files (xlsx, pdf) into its FileFields; re-writing replaces them.

New files are stored and their names saved before the old ones are deleted, so a download during a
retried write gets the old complete file or the new one, never a missing or half-written one.
"""
from django.core.files.base import ContentFile

from .xlsx import build_workbook


def run_results(run):
    return list(run.village_results.select_related("village").order_by("rank", "village__code"))


def write_files(run) -> None:
    results = run_results(run)
    stem = f"assessment-{run.pk}"
    old = [f.name for f in (run.xlsx, run.pdf) if f]
    run.xlsx.save(f"{stem}.xlsx", ContentFile(build_workbook(run, results)), save=False)
    try:
        from .pdf import build_pdf
    except ImportError:  # WeasyPrint not installed: the xlsx and the printable page still work
        build_pdf = None
    if build_pdf is not None:
        run.pdf.save(f"{stem}.pdf", ContentFile(build_pdf(run, results)), save=False)
    run.save(update_fields=["xlsx", "pdf"])
    storage = run.xlsx.storage
    for name in old:
        if name not in (run.xlsx.name, run.pdf.name):
            storage.delete(name)
