"""The PDF report embeds a CJK font and holds the expected Chinese text (pdffonts, pdftotext)."""
import subprocess

import pytest
from django.urls import reverse

from inspections.assessment import services

from .assessment_helpers import AS_OF, assessment_world

pytestmark = pytest.mark.usefixtures("in_process_tasks")  # rows are uncommitted: no worker sees them


def test_pdf_embeds_cjk_font_and_chinese_text_N6_4(world, county_staff, tmp_path, django_capture_on_commit_callbacks):
    campaign = assessment_world(world)
    with django_capture_on_commit_callbacks(execute=True):
        run = services.assessment_start(actor=county_staff, campaign=campaign, scope=world.county, as_of=AS_OF)
    run.refresh_from_db()
    assert run.pdf, run.error
    path = tmp_path / "report.pdf"
    path.write_bytes(run.pdf.read())
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    cjk = [line for line in fonts.splitlines() if "Noto-Sans-CJK" in line or "NotoSansCJK" in line]
    assert cjk and all(" yes " in line for line in cjk), fonts  # embedded (emb = yes)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    for expected in ("考核报告", "各村(社区)得分与排名", "甲村", "甲村幸福小区", "45.00", "规则说明", "截至 2022年3月31日"):
        assert expected in text, expected


def test_printable_view_is_plain_html_in_chinese_N6_4(client, world, county_staff, django_capture_on_commit_callbacks):
    campaign = assessment_world(world)
    with django_capture_on_commit_callbacks(execute=True):
        run = services.assessment_start(actor=county_staff, campaign=campaign, scope=world.county, as_of=AS_OF)
    client.force_login(county_staff)
    body = client.get(reverse("inspections:assessment_print", args=[run.pk])).content.decode()
    assert '<html lang="zh-CN">' in body and "assessment_report" in body and "甲村幸福小区" in body
    pdf = client.get(reverse("inspections:assessment_file", args=[run.pk, "pdf"]))
    assert pdf.status_code == 200 and b"".join(pdf.streaming_content)[:5] == b"%PDF-"
