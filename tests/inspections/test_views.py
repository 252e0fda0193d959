"""Pages: plans and the draw, the phone score sheet with autosave and photos, review, standards, rectification."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from inspections.models import Evidence, Inspection, InspectionPlan, Rectification, Standard
from sites.models import Site

from .factories import TODAY, rectification_in
from .images import jpeg_bytes


def test_staff_creates_plan_draws_and_anyone_allowed_reruns_the_draw_N6_4(
    client, world, town_staff, inspector, setup, more_sites
):
    client.force_login(town_staff)
    assert client.get(reverse("inspections:plan_create")).status_code == 200
    response = client.post(reverse("inspections:plan_create"), {
        "campaign": setup.campaign.pk, "area": world.town_x.pk, "name": "三月暗访", "kind": "unannounced",
        "starts_on": TODAY.isoformat(), "ends_on": TODAY.isoformat(), "inspectors": [inspector.pk],
    })  # fmt: skip
    plan = InspectionPlan.objects.get(name="三月暗访")
    assert response.status_code == 302 and plan.is_sealed and plan.created_by == town_staff
    client.post(reverse("inspections:plan_draw", args=[plan.pk]), {"kind": Site.Kind.COMMUNITY, "count": 3})
    assert plan.inspections.count() == 3
    client.force_login(inspector)
    audit = client.get(reverse("inspections:plan_draw_audit", args=[plan.pk])).content.decode()
    assert "复核一致" in audit


def test_inspector_scores_on_the_score_sheet_with_autosave_and_photo_N6_4(client, setup):
    items = list(setup.standard.items.order_by("order"))
    client.force_login(setup.crew_inspector)
    url = reverse("inspections:inspection_score", args=[setup.inspection.pk])
    assert client.get(url).status_code == 200
    auto = client.post(
        url, {f"pass-{items[0].pk}": "1", f"note-{items[0].pk}": "领导小组文件齐全"}, HTTP_X_AUTOSAVE="1"
    )
    assert auto.status_code == 200 and json.loads(auto.content)["ok"]
    bad = client.post(url, {f"points-{items[1].pk}": "99"}, HTTP_X_AUTOSAVE="1")
    assert bad.status_code == 400 and "0 至 30" in json.loads(bad.content)["errors"][0]
    data = {
        f"pass-{items[0].pk}": "1", f"points-{items[1].pk}": "30", f"occ-{items[2].pk}": "1",
        f"na-{items[3].pk}": "on", f"pass-{items[4].pk}": "1",
        f"photo-{items[1].pk}": SimpleUploadedFile("x.jpg", jpeg_bytes(), content_type="image/jpeg"), "submit": "1",
    }  # fmt: skip
    response = client.post(url, data)
    setup.inspection.refresh_from_db()
    assert response.status_code == 302 and setup.inspection.status == Inspection.Status.SUBMITTED
    assert setup.inspection.score == 93.75  # 20 + 30 + 25 = 75 of 80
    photo = Evidence.objects.get()
    assert client.get(reverse("inspections:evidence_file", args=[photo.pk])).status_code == 200
    assert client.post(url, {f"pass-{items[0].pk}": "0"}).status_code == 302  # refused with a message
    setup.inspection.refresh_from_db()
    assert setup.inspection.scores.get(item=items[0]).passed is True


def test_fake_photo_is_refused_on_the_page_N6_4(client, setup):
    item = setup.standard.items.first()
    client.force_login(setup.crew_inspector)
    url = reverse("inspections:inspection_score", args=[setup.inspection.pk])
    response = client.post(url, {f"pass-{item.pk}": "1", f"photo-{item.pk}": SimpleUploadedFile("x.jpg", b"MZ...")},
                           follow=True)  # fmt: skip
    assert "不是有效的图片" in response.content.decode() and not Evidence.objects.exists()


def test_other_inspector_cannot_open_the_score_sheet_N6_4(client, setup, town_staff):
    client.force_login(town_staff)  # sees the sealed plan, but is not its inspector
    assert client.get(reverse("inspections:inspection_score", args=[setup.inspection.pk])).status_code == 403


def test_staff_reviews_and_publishes_through_pages_N6_4(client, setup, town_staff):
    from inspections import services

    from .test_services import score_all

    score_all(setup)
    services.inspection_submit(actor=setup.crew_inspector, inspection=setup.inspection)
    client.force_login(town_staff)
    detail = client.get(setup.inspection.get_absolute_url()).content.decode()
    assert "审核通过" in detail and "退回修改" in detail
    client.post(reverse("inspections:inspection_review", args=[setup.inspection.pk]), {"action": "approve"})
    assert client.get(reverse("inspections:plan_publish", args=[setup.plan.pk])).status_code == 200
    client.post(reverse("inspections:plan_publish", args=[setup.plan.pk]))
    setup.plan.refresh_from_db()
    assert setup.plan.status == "published" and Rectification.objects.count() == 2


def test_standard_edit_formset_and_excel_import_page_N6_4(client, setup, town_staff):
    client.force_login(town_staff)
    standard = Standard.objects.create(campaign=setup.campaign, site_kind="enterprise", name="企业评分表")
    data = {
        "name": "企业评分表", "gates": '{"all": [{"fact": "victim_cases", "op": "<=", "value": 0}]}', "note": "",
        "items-TOTAL_FORMS": "2", "items-INITIAL_FORMS": "0", "items-MIN_NUM_FORMS": "0", "items-MAX_NUM_FORMS": "1000",
        "items-0-section": "安全宣传", "items-0-text": "每月走访", "items-0-max_points": "60",
        "items-0-method": "material",
        "items-0-scoring": "range", "items-0-deduction_per": "0",
        "items-1-section": "员工培训", "items-1-text": "新员工岗前反诈培训", "items-1-max_points": "40",
        "items-1-method": "survey", "items-1-scoring": "deduction", "items-1-deduction_per": "10",
    }  # fmt: skip
    response = client.post(reverse("inspections:standard_update", args=[standard.pk]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert standard.items.count() == 2 and standard.total_points() == 100
    page = client.get(standard.get_absolute_url()).content.decode()
    assert "发案数不超过0" in page
    export = client.get(reverse("inspections:standard_export", args=[standard.pk]))
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")
    bad = client.post(reverse("inspections:standard_import", args=[standard.pk]),
                      {"file": SimpleUploadedFile("x.xlsx", b"nope")})  # fmt: skip
    assert "不是 Excel 工作簿" in bad.content.decode()  # the spreadsheet path (wuzha/lib/uploads.py) refuses it
    good = client.post(reverse("inspections:standard_import", args=[standard.pk]),
                       {"file": SimpleUploadedFile("x.xlsx", export.content)})  # fmt: skip
    assert good.status_code == 302 and standard.items.count() == 2


def test_cadre_answers_rectification_with_photo_and_staff_verifies_N6_4(client, world, cadre_a, town_staff):
    rect = rectification_in(world.village_a)
    client.force_login(cadre_a)
    page = client.get(rect.get_absolute_url()).content.decode()
    assert "反馈整改情况" in page and "提交验收" not in page
    client.post(
        rect.get_absolute_url(),
        {
            "action": "respond",
            "response": "已补设宣传栏",
            "photos": SimpleUploadedFile("r.jpg", jpeg_bytes(), content_type="image/jpeg"),
        },
    )
    rect.refresh_from_db()
    assert rect.status == "responded" and rect.photos.count() == 1
    client.force_login(town_staff)
    client.post(rect.get_absolute_url(), {"action": "verify", "accept": "1", "note": "已核实", "restore_points": "0"})
    rect.refresh_from_db()
    assert rect.status == "verified"


@pytest.mark.parametrize("n", [2, 12])
def test_lists_query_counts_bounded_N6_4(client, world, town_staff, setup, n, django_assert_max_num_queries):
    for _ in range(n):
        rectification_in(world.village_a)
    client.force_login(town_staff)
    for name in ("plan_list", "inspection_list", "rectification_list", "standard_list", "home_panel"):
        with django_assert_max_num_queries(16):
            assert client.get(reverse(f"inspections:{name}")).status_code == 200, name
    with django_assert_max_num_queries(20):
        client.get(setup.plan.get_absolute_url())
    with django_assert_max_num_queries(22):
        client.get(reverse("inspections:inspection_score", args=[setup.inspection.pk]))


def test_lists_export_within_scope_N6_4(client, world, cadre_a, town_staff):
    import io

    from openpyxl import load_workbook

    rectification_in(world.village_a)
    rectification_in(world.village_b)
    client.force_login(cadre_a)
    ws = load_workbook(
        io.BytesIO(client.get(reverse("inspections:rectification_list") + "?export=xlsx").content)
    ).active
    assert ws.max_row == 2 and ws["A2"].value == "甲村"
    ws = load_workbook(io.BytesIO(client.get(reverse("inspections:inspection_list") + "?export=xlsx").content)).active
    assert [c.value for c in ws[1]][:4] == ["检查计划", "方式", "村/社区", "单位"] and ws.max_row == 2
    client.force_login(town_staff)
    ws = load_workbook(
        io.BytesIO(client.get(reverse("inspections:rectification_list") + "?export=xlsx").content)
    ).active
    assert ws.max_row == 3


def test_inspection_page_shows_gated_conditions_over_site_facts_N6_4(client, setup, town_staff):
    setup.standard.gates = {"all": [{"fact": "open_rectifications", "op": "==", "value": 0},
                                    {"fact": "victim_cases", "op": "<=", "value": 0}]}  # fmt: skip
    setup.standard.save()
    from tests.sites.factories import IncidentFactory

    IncidentFactory(site=setup.inspection.site, occurred_on=setup.campaign.starts_on)  # facts wired (issue 6)
    client.force_login(town_staff)
    page = client.get(setup.inspection.get_absolute_url()).content.decode()
    assert "达标条件:未全部满足" in page and "未达到:发案数不超过0(实际 1)" in page
    assert "未完成整改数等于0" in page


def test_new_standard_page_for_staff_only_N6_4(client, setup, town_staff, cadre_a):
    client.force_login(cadre_a)
    assert client.get(reverse("inspections:standard_create")).status_code == 403
    client.force_login(town_staff)
    assert client.get(reverse("inspections:standard_create")).status_code == 200
    data = {
        "campaign": setup.campaign.pk, "site_kind": "enterprise", "name": "新企业标准", "gates": "", "note": "",
        "items-TOTAL_FORMS": "1", "items-INITIAL_FORMS": "0", "items-MIN_NUM_FORMS": "0", "items-MAX_NUM_FORMS": "1000",
        "items-0-section": "财务", "items-0-text": "财务制度", "items-0-max_points": "100", "items-0-method": "onsite",
        "items-0-scoring": "pass_fail", "items-0-deduction_per": "0",
    }  # fmt: skip
    assert client.post(reverse("inspections:standard_create"), data).status_code == 302
    standard = Standard.objects.get(name="新企业标准")
    assert standard.version == 1 and standard.items.get().max_points == 100


def test_autosave_posts_are_not_logged_as_views_N6_4(client, setup):
    from inspections.models import SealedViewLog

    client.force_login(setup.crew_inspector)
    url = reverse("inspections:inspection_score", args=[setup.inspection.pk])
    client.get(url)
    item = setup.standard.items.first()
    client.post(url, {f"pass-{item.pk}": "1"}, HTTP_X_AUTOSAVE="1")
    assert SealedViewLog.objects.filter(user=setup.crew_inspector).count() == 1


def test_bad_gate_is_refused_in_chinese_N6_4(client, setup, town_staff):
    standard = Standard.objects.create(campaign=setup.campaign, site_kind="enterprise", name="企业评分表")
    client.force_login(town_staff)
    data = {
        "name": "企业评分表", "gates": '{"all": [{"fact": "nope", "op": "<=", "value": 0}]}', "note": "",
        "items-TOTAL_FORMS": "0", "items-INITIAL_FORMS": "0", "items-MIN_NUM_FORMS": "0", "items-MAX_NUM_FORMS": "1000",
    }  # fmt: skip
    response = client.post(reverse("inspections:standard_update", args=[standard.pk]), data)
    assert response.status_code == 200 and "未知的数据项:nope" in response.content.decode()
