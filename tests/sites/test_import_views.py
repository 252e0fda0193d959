"""Import and export pages: template round trip, dry run, confirm, same file twice, exports, query bounds (N1)."""
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from sites.models import ImportJob, Site
from tests.factories import SiteFactory

from .factories import ImportJobFactory
from .import_files import xlsx

HOOKS = None
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture(autouse=True)
def _hooks(django_capture_on_commit_callbacks, monkeypatch):
    """Tasks are queued with transaction.on_commit; the test transaction never commits, so run the hooks
    as a commit would, and the tasks in-process (the worker round trip has its own test, test_import_worker)."""
    global HOOKS
    from wuzha.celery import app

    monkeypatch.setitem(app.conf, "task_always_eager", True)
    HOOKS = django_capture_on_commit_callbacks


def upload(client, data, name="台账.xlsx", ledger="sites"):
    with HOOKS(execute=True):
        response = client.post(reverse("sites:import_upload", args=[ledger]), {"file": SimpleUploadedFile(name, data)})
    assert response.status_code == 302, response.content.decode()[:2000]
    return ImportJob.objects.get(pk=response.url.rstrip("/").split("/")[-1])


def confirm(client, job):
    with HOOKS(execute=True):
        return client.post(reverse("sites:import_job_confirm", args=[job.pk]))


def test_template_round_trip_download_fill_import_N1(login, cadre_a, world):
    client = login(cadre_a)
    response = client.get(reverse("sites:import_template", args=["sites"]))
    assert response["Content-Type"] == XLSX_TYPE
    workbook = load_workbook(io.BytesIO(response.content))
    sheet = workbook.worksheets[0]
    headers = [c.value for c in sheet[1]]
    assert headers[:4] == ["镇/街道", "所属村/社区*", "名称*", "类型*"]
    lists = {str(v.sqref): v.formula1 for v in sheet.data_validations.dataValidation}
    assert any("小区" in f and "校园" in f for f in lists.values())  # drop-down for 类型
    assert sheet["G2"].number_format == "@"  # 联系电话 formatted as text
    assert workbook.worksheets[1].title == "填写说明"
    assert sheet.max_row == 2001 and sheet["B2"].value is None  # the example lives on the instructions sheet
    sheet.append(["", "甲村", "模板小区", "小区", "模板路1号", "", "13900000000", 50, 150])
    buffer = io.BytesIO()
    workbook.save(buffer)
    job = upload(client, buffer.getvalue())
    assert job.status == ImportJob.Status.VALID and job.counts["create"] == 1, job.report
    page = client.get(job.get_absolute_url()).content.decode()
    assert "确认导入" in page and "模板小区" in page
    confirm(client, job)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE
    site = Site.objects.get(name="模板小区")
    assert site.village == world.village_a and site.contact_phone == "13900000000"


def test_dry_run_page_lists_errors_in_chinese_and_confirm_is_refused_N1(login, cadre_a, world):
    client = login(cadre_a)
    job = upload(client, xlsx([["所属村/社区", "名称", "类型", "说明"], ["甲村", "错小区", "别墅", ""],
                               [world.village_b.name, "越界", "小区", ""]]))  # fmt: skip
    assert job.status == ImportJob.Status.INVALID and job.error_count == 3
    page = client.get(job.get_absolute_url()).content.decode()
    for text in ("文件", "行", "列", "字段", "值", "如何修改", "无法识别的列", "请从下拉选项中选择", "不是您负责的村/社区"):
        assert text in page
    assert "确认导入" not in page
    confirm(client, job)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.INVALID
    assert not Site.objects.filter(name__in=["错小区", "越界"]).exists()


def test_same_file_twice_is_recognised_and_changes_nothing_N1(login, cadre_a, world):
    client = login(cadre_a)
    data = xlsx([["所属村/社区", "名称", "类型"], ["甲村", "两次小区", "小区"]])
    first = upload(client, data)
    confirm(client, first)
    second = upload(client, data, name="台账(1).xlsx")
    assert second.same_as == first and second.counts == {"create": 0, "update": 0, "unchanged": 1}
    assert "完全相同" in client.get(second.get_absolute_url()).content.decode()
    assert Site.objects.filter(name="两次小区").count() == 1


def test_hostile_upload_is_refused_with_a_clear_message(login, cadre_a, world):
    """The form's spreadsheet field runs the import's checks (wuzha/lib/uploads.py): no job is even stored."""
    response = login(cadre_a).post(reverse("sites:import_upload", args=["sites"]),
                                   {"file": SimpleUploadedFile("病毒.xlsx", b"MZ\x90\x00not excel")})  # fmt: skip
    assert response.status_code == 200 and "扩展名与内容不符" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_run_task_is_idempotent_and_a_done_job_is_not_written_twice(login, cadre_a, world):
    from sites.tasks import import_run

    client = login(cadre_a)
    job = upload(client, xlsx([["所属村/社区", "名称", "类型"], ["甲村", "幂等小区", "小区"]]))
    confirm(client, job)
    import_run.apply(args=[job.pk])  # a redelivered message, run here (the test data is not committed)
    import_run(job.pk)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE and Site.objects.filter(name="幂等小区").count() == 1


def test_a_job_is_checked_again_at_commit_time(login, cadre_a, world):
    """Data changed between dry run and confirm: the job fails with the reason, nothing written."""
    client = login(cadre_a)
    job = upload(client, xlsx([["所属村/社区", "名称", "类型"], ["甲村", "变化小区", "小区"], ["甲村", "变化二", "小区"]]))
    from sites.models import Membership

    Membership.objects.filter(user=cadre_a).delete()
    cadre_a._wuzha_grants = None
    confirm(client, job)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED and job.error_count == 2
    assert not Site.objects.filter(name__startswith="变化").exists()


def test_progress_partial_polls_while_active_and_refreshes_when_done(login, cadre_a, world):
    client = login(cadre_a)
    running = ImportJobFactory(user=cadre_a, status=ImportJob.Status.RUNNING, total_rows=10)
    response = client.get(reverse("sites:import_job_progress", args=[running.pk]), HTTP_HX_REQUEST="true")
    assert 'hx-trigger="every 2s"' in response.content.decode() and "HX-Refresh" not in response
    done = ImportJobFactory(user=cadre_a, status=ImportJob.Status.DONE)
    response = client.get(reverse("sites:import_job_progress", args=[done.pk]), HTTP_HX_REQUEST="true")
    assert response["HX-Refresh"] == "true"


def test_only_the_uploader_sees_a_job(login, cadre_a, cadre_b, world):
    job = ImportJobFactory(user=cadre_a)
    assert login(cadre_b).get(job.get_absolute_url()).status_code == 404


def test_roles_without_import_rights_get_403(login, inspector, school_liaison, cadre_a, world):
    for user in (inspector, school_liaison):
        assert login(user).get(reverse("sites:import_upload", args=["sites"])).status_code == 403
    assert login(cadre_a).get(reverse("sites:import_upload", args=["village_users"])).status_code == 403
    assert login(cadre_a).get(reverse("sites:import_upload", args=["nothing"])).status_code == 404


def test_export_xlsx_is_scoped_filtered_and_formula_safe_N1(login, cadre_a, town_staff, world):
    SiteFactory(village=world.village_a, name='=HYPERLINK("http://evil.example","点我")')
    response = login(cadre_a).get(reverse("sites:ledger_export", args=["sites"]) + "?fmt=xlsx")
    assert response["Content-Type"] == XLSX_TYPE
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    cells = [c for row in sheet.iter_rows() for c in row]
    assert not any(c.data_type == "f" for c in cells)
    names = [r[2] for r in sheet.iter_rows(min_row=2, values_only=True)]
    assert "'=HYPERLINK(\"http://evil.example\",\"点我\")" in names and world.site_b.name not in names
    response = login(town_staff).get(reverse("sites:ledger_export", args=["sites"]) + "?fmt=csv&kind=campus")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert world.school_a.name in text and world.site_a.name not in text and "HYPERLINK" not in text


def test_village_users_export_is_scoped(login, town_staff, other_town_staff, cadre_a, cadre_b, world):
    response = login(town_staff).get(reverse("sites:ledger_export", args=["village_users"]) + "?fmt=csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "cadre_a" in text and "cadre_b" in text
    response = login(other_town_staff).get(reverse("sites:ledger_export", args=["village_users"]) + "?fmt=csv")
    assert "cadre_a" not in b"".join(response.streaming_content).decode("utf-8-sig")


def test_site_list_offers_export_with_the_current_filters(login, cadre_a, world):
    page = login(cadre_a).get(reverse("sites:site_list") + "?kind=campus").content.decode()
    assert "fmt=xlsx&kind=campus" in page and "批量导入" in page


@pytest.mark.parametrize("jobs", [3, 30])
def test_import_list_query_count_is_bounded(login, cadre_a, world, django_assert_max_num_queries, jobs):
    client = login(cadre_a)
    ImportJobFactory.create_batch(jobs, user=cadre_a)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("sites:import_list"))
    assert response.status_code == 200 and "台账" in response.content.decode()


def test_a_job_stuck_after_a_lost_message_can_be_queued_again(login, cadre_a, world):
    import datetime as dt

    from django.utils import timezone

    client = login(cadre_a)
    job = upload(client, xlsx([["所属村/社区", "名称", "类型"], ["甲村", "丢消息小区", "小区"]]))
    stale = timezone.now() - dt.timedelta(minutes=10)
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.QUEUED, updated_at=stale)
    assert "重新提交" in client.get(job.get_absolute_url()).content.decode()
    confirm(client, job)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE and Site.objects.filter(name="丢消息小区").count() == 1


def test_oversized_upload_is_refused_on_the_form(login, cadre_a, world, monkeypatch):
    from sites.imports import jobs

    monkeypatch.setattr(jobs, "MAX_UPLOAD_BYTES", 100)
    monkeypatch.setattr("wuzha.lib.upload_safety.MAX_UPLOAD_BYTES", 100)  # the form's spreadsheet check
    response = login(cadre_a).post(
        reverse("sites:import_upload", args=["sites"]), {"file": SimpleUploadedFile("大.xlsx", b"PK" + b"0" * 200)}
    )
    assert response.status_code == 200 and "拆分" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_every_export_is_logged_without_personal_data(login, town_staff, world, caplog):
    caplog.set_level("INFO", logger="wuzha.exports")
    login(town_staff).get(reverse("sites:ledger_export", args=["village_users"]) + "?fmt=csv&q=张三")
    (record,) = [r for r in caplog.records if r.name == "wuzha.exports"]
    message = record.getMessage()
    assert "ledger=village_users" in message and f"user={town_staff.pk}" in message
    assert "张三" not in message and "q" in message


def test_an_export_imports_back_unchanged_N1(login, town_staff, world):
    """Export and import speak the same columns: re-importing an export changes nothing."""
    SiteFactory(village=world.village_a, name="坐标小区", latitude="24.987654", longitude="118.812345")
    # The factory gives the school household counts, which the model's clean() drops for campuses.
    Site.objects.filter(pk=world.school_a.pk).update(households=None, residents=None)
    client = login(town_staff)
    response = client.get(reverse("sites:ledger_export", args=["sites"]) + "?fmt=xlsx")
    job = upload(client, b"".join(response.streaming_content), name="导出.xlsx")
    visible = Site.objects.visible_to(town_staff).count()
    assert job.status == ImportJob.Status.VALID, job.report["errors"]
    assert job.counts == {"create": 0, "update": 0, "unchanged": visible}, job.report["preview"]


def test_admin_export_resource_neutralises_formulas(world):
    from sites.resources import SiteResource

    SiteFactory(village=world.village_a, name="=cmd|' /C calc'!A0")
    dataset = SiteResource().export()
    assert dataset.headers[:3] == ["镇/街道", "所属村/社区", "名称"]
    assert "'=cmd|' /C calc'!A0" in dataset["名称"] and world.site_a.name in dataset["名称"]
    assert "小区" in dataset["类型"]


def test_a_check_stuck_after_a_lost_message_can_be_run_again(login, cadre_a, world):
    import datetime as dt

    from django.utils import timezone

    client = login(cadre_a)
    job = upload(client, xlsx([["所属村/社区", "名称", "类型"], ["甲村", "重查小区", "小区"]]))
    stale = timezone.now() - dt.timedelta(minutes=10)
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.CHECKING, updated_at=stale)
    assert "重新提交" in client.get(job.get_absolute_url()).content.decode()
    confirm(client, job)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.VALID and not Site.objects.filter(name="重查小区").exists()
