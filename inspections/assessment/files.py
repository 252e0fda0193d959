"""Writes the run's report files (xlsx, pdf) into its FileFields; re-writing replaces them.

New files are stored and their names saved before the old ones are deleted, so a download during a
retried write gets the old complete file or the new one, never a missing or half-written one.

The run is done with its xlsx (`write_xlsx`, in the merge task); the PDF follows in a task of its own
(`write_pdf`, `tasks.assessment_pdf`): WeasyPrint takes as long as the whole compile at county scale.
"""
from django.core.files.base import ContentFile

from ..models import AssessmentRun
from .xlsx import build_workbook


def run_results(run):
    return list(run.village_results.select_related("village").order_by("rank", "village__code"))


def _delete_unused(run, old: list[str]) -> None:
    storage = run.xlsx.storage
    for name in old:
        if name not in (run.xlsx.name, run.pdf.name):
            storage.delete(name)


def write_xlsx(run, results=None) -> None:
    """The workbook: stored in full, then its name saved, then the old file deleted."""
    results = run_results(run) if results is None else results
    old = [run.xlsx.name] if run.xlsx else []
    run.xlsx.save(f"assessment-{run.pk}.xlsx", ContentFile(build_workbook(run, results)), save=False)
    AssessmentRun.objects.filter(pk=run.pk).update(xlsx=run.xlsx.name)
    _delete_unused(run, old)


def write_pdf(run, results=None) -> None:
    """The PDF (raises ImportError without WeasyPrint): stored in full, then its name saved with the ready state
    in one UPDATE, then the old file deleted."""
    from .pdf import build_pdf

    results = run_results(run) if results is None else results
    old = [run.pdf.name] if run.pdf else []
    run.pdf.save(f"assessment-{run.pk}.pdf", ContentFile(build_pdf(run, results)), save=False)
    run.pdf_status = AssessmentRun.PdfStatus.READY
    AssessmentRun.objects.filter(pk=run.pk).update(pdf=run.pdf.name, pdf_status=run.pdf_status)
    _delete_unused(run, old)


def write_files(run) -> None:
    """Both files in one save (re-writing a run's files by hand); the tasks use `write_xlsx` and `write_pdf`."""
    results = run_results(run)
    stem = f"assessment-{run.pk}"
    old = [f.name for f in (run.xlsx, run.pdf) if f]
    run.xlsx.save(f"{stem}.xlsx", ContentFile(build_workbook(run, results)), save=False)
    try:
        from .pdf import build_pdf
    except ImportError:  # WeasyPrint not installed: the xlsx and the printable page still work
        build_pdf = None
    fields = ["xlsx"]
    if build_pdf is not None:
        run.pdf.save(f"{stem}.pdf", ContentFile(build_pdf(run, results)), save=False)
        run.pdf_status = AssessmentRun.PdfStatus.READY
        fields += ["pdf", "pdf_status"]
    run.save(update_fields=fields)
    _delete_unused(run, old)


def refresh_files(run) -> None:
    """The report written again after the 命名 decisions (定稿), so the filed files list the confirmed titles: the
    workbook now, the PDF queued again (its task runs when the caller's transaction commits). A town's workbook
    takes well under a second; a county's a few seconds."""
    from django.utils import timezone

    from sites.outbox import task_enqueue

    from ..tasks import assessment_pdf

    write_xlsx(run)
    run.pdf_status = AssessmentRun.PdfStatus.PENDING
    AssessmentRun.objects.filter(pk=run.pk).update(
        pdf_status=run.pdf_status, pdf_attempts=0, heartbeat_at=timezone.now()
    )
    task_enqueue(assessment_pdf, run.pk)
