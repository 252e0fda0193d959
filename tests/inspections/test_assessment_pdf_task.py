"""The PDF follows the run in a task of its own: the run is done (scores, ranks, Excel) first; the PDF task is
idempotent, bounded, never leaves a half-written file served, and a failed PDF leaves the run done (issue 6)."""
import pytest
from django.urls import reverse

from inspections.assessment import files, services
from inspections.models import AssessmentRun
from inspections.tasks import PDF_MAX_ATTEMPTS, assessment_pdf

from .assessment_helpers import compiled_run

pytestmark = pytest.mark.usefixtures("in_process_tasks")  # rows are uncommitted: no worker sees them


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    return tmp_path


def test_run_is_done_with_scores_and_excel_before_its_pdf_N6_4(client, world, county_staff, media, monkeypatch,
                                                               django_capture_on_commit_callbacks):  # fmt: skip
    client.force_login(county_staff)
    seen, write_pdf = {}, files.write_pdf

    def when_the_pdf_starts(run, *args, **kwargs):
        fresh = AssessmentRun.objects.get(pk=run.pk)
        seen.update(status=fresh.status, pdf_status=fresh.pdf_status, xlsx=bool(fresh.xlsx), pdf=bool(fresh.pdf),
                    ranks=list(fresh.village_results.order_by("rank").values_list("rank", flat=True)),
                    xlsx_get=client.get(reverse("inspections:assessment_file", args=[run.pk, "xlsx"])).status_code,
                    pdf_get=client.get(reverse("inspections:assessment_file", args=[run.pk, "pdf"])).status_code,
                    page=client.get(reverse("inspections:assessment_progress", args=[run.pk])).content.decode())  # fmt: skip
        return write_pdf(run, *args, **kwargs)

    monkeypatch.setattr(files, "write_pdf", when_the_pdf_starts)
    run = compiled_run(world, county_staff, django_capture_on_commit_callbacks)
    assert seen["status"] == "done" and seen["pdf_status"] == "pending" and seen["xlsx"] and not seen["pdf"]
    assert seen["ranks"] == [1, 2, 3] and seen["xlsx_get"] == 200 and seen["pdf_get"] == 404
    assert "PDF 生成中…" in seen["page"] and "hx-get" in seen["page"]  # the page keeps polling for the PDF
    assert run.status == "done" and run.pdf_status == "ready" and run.pdf and run.pdf_attempts == 1
    page = client.get(reverse("inspections:assessment_progress", args=[run.pk])).content.decode()
    assert "下载 PDF" in page and "hx-get" not in page and "PDF 生成中" not in page


def test_pdf_task_is_idempotent_N6_4(world, county_staff, media, django_capture_on_commit_callbacks):
    run = compiled_run(world, county_staff, django_capture_on_commit_callbacks)
    name = run.pdf.name
    assessment_pdf.apply(args=[run.pk])  # a duplicate delivery: the PDF is ready, nothing is written again
    run.refresh_from_db()
    assert run.pdf.name == name and run.pdf_attempts == 1 and len(list(media.rglob("*.pdf"))) == 1


def test_pdf_duplicate_deliveries_claim_the_attempt_once_one_writer_N6_4(world, county_staff, media, monkeypatch,
                                                                         django_capture_on_commit_callbacks):  # fmt: skip
    """Two deliveries of one PDF message both find it pending: the one that claims the attempt first writes, the
    other, whose claim finds the attempt taken, writes nothing."""
    from django.db.models import F
    from django.db.models.query import QuerySet

    run = compiled_run(world, county_staff, django_capture_on_commit_callbacks)
    AssessmentRun.objects.filter(pk=run.pk).update(pdf="", pdf_status="pending", pdf_attempts=0)
    writes, real_first = [], QuerySet.first
    monkeypatch.setattr(files, "write_pdf", lambda run, *args, **kwargs: writes.append(run.pk))

    def the_other_delivery_claims_meanwhile(queryset):
        found = real_first(queryset)
        if isinstance(found, AssessmentRun):  # read as pending with 0 attempts; then the other delivery claims
            AssessmentRun.objects.filter(pk=found.pk).update(pdf_attempts=F("pdf_attempts") + 1)
        return found

    monkeypatch.setattr(QuerySet, "first", the_other_delivery_claims_meanwhile)
    assessment_pdf.apply(args=[run.pk])
    run.refresh_from_db()
    assert writes == [] and run.pdf_attempts == 1 and run.pdf_status == "pending"


def test_pdf_killed_worker_serves_no_half_file_and_redelivery_completes_N6_4(client, world, county_staff, media,
                                                                             monkeypatch, django_capture_on_commit_callbacks):  # fmt: skip
    from django.db.models.fields.files import FieldFile

    real_save = FieldFile.save

    def killed_writing_the_pdf(self, name, content, save=True):
        if name.endswith(".pdf"):
            real_save(self, name, content, save=False)  # the bytes reach storage, then the worker dies
            raise SystemExit("worker killed")  # not an Exception: nothing catches it, like SIGKILL
        return real_save(self, name, content, save=save)

    monkeypatch.setattr(FieldFile, "save", killed_writing_the_pdf)
    with pytest.raises(SystemExit):
        compiled_run(world, county_staff, django_capture_on_commit_callbacks)
    run = AssessmentRun.objects.get()
    assert run.status == "done" and run.pdf_status == "pending" and not run.pdf and run.xlsx
    assert any(media.rglob("*.pdf"))  # in storage, but the run does not point at it
    client.force_login(county_staff)
    assert client.get(reverse("inspections:assessment_file", args=[run.pk, "pdf"])).status_code == 404
    monkeypatch.setattr(FieldFile, "save", real_save)
    assessment_pdf.apply(args=[run.pk])  # the redelivered message (acks_late, reject_on_worker_lost)
    run.refresh_from_db()
    assert run.pdf_status == "ready" and run.pdf_attempts == 2
    body = b"".join(client.get(reverse("inspections:assessment_file", args=[run.pk, "pdf"])).streaming_content)
    assert body[:5] == b"%PDF-" and body.rstrip().endswith(b"%%EOF")


def test_pdf_redeliveries_are_bounded_then_staff_may_retry_N6_4(client, world, county_staff, media,
                                                                django_capture_on_commit_callbacks):  # fmt: skip
    run = compiled_run(world, county_staff, django_capture_on_commit_callbacks)
    AssessmentRun.objects.filter(pk=run.pk).update(pdf="", pdf_status="pending", pdf_attempts=PDF_MAX_ATTEMPTS)
    assessment_pdf.apply(args=[run.pk])  # delivered again after the worker died PDF_MAX_ATTEMPTS times
    run.refresh_from_db()
    assert run.status == "done" and run.pdf_status == "failed" and not run.pdf and "已停止重试" in run.error
    client.force_login(county_staff)
    page = client.get(run.get_absolute_url()).content.decode()
    assert "已停止重试" in page and 'value="pdf"' in page and "计算失败" not in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(run.get_absolute_url(), {"action": "pdf"})
    assert response.status_code == 302
    run.refresh_from_db()
    assert run.pdf_status == "ready" and run.pdf and run.error == "" and run.pdf_attempts == 1


def test_pdf_error_keeps_the_run_done_N6_4(client, world, county_staff, media, monkeypatch,
                                           django_capture_on_commit_callbacks):  # fmt: skip
    from inspections.assessment import pdf

    def broken(run, results):
        raise ValueError("字体缺失")

    monkeypatch.setattr(pdf, "build_pdf", broken)
    run = compiled_run(world, county_staff, django_capture_on_commit_callbacks)
    assert run.status == "done" and run.xlsx and run.pdf_status == "failed" and "字体缺失" in run.error
    client.force_login(county_staff)
    assert client.get(reverse("inspections:assessment_file", args=[run.pk, "xlsx"])).status_code == 200
    page = client.get(reverse("inspections:assessment_progress", args=[run.pk])).content.decode()
    assert "PDF 生成失败" in page and "hx-get" not in page


def test_pdf_retry_needs_a_failed_or_stalled_pdf_N6_4(world, county_staff, media, django_capture_on_commit_callbacks):
    import datetime as dt

    from django.core.exceptions import ValidationError
    from django.utils import timezone

    run = compiled_run(world, county_staff, django_capture_on_commit_callbacks)
    with pytest.raises(ValidationError):
        services.assessment_pdf_retry(actor=county_staff, run=run)  # ready: nothing to do
    AssessmentRun.objects.filter(pk=run.pk).update(pdf="", pdf_status="pending")
    run.refresh_from_db()
    assert not services.pdf_is_stale(run)
    with pytest.raises(ValidationError):
        services.assessment_pdf_retry(actor=county_staff, run=run)  # pending and recent: still being written
    AssessmentRun.objects.filter(pk=run.pk).update(heartbeat_at=timezone.now() - dt.timedelta(minutes=11))
    run.refresh_from_db()
    assert services.pdf_is_stale(run)  # its message was lost
    with django_capture_on_commit_callbacks(execute=True):
        services.assessment_pdf_retry(actor=county_staff, run=run)
    run.refresh_from_db()
    assert run.pdf_status == "ready" and run.pdf
