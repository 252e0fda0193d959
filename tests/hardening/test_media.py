"""Protected media (issue 18): files live under random names, reachable only through their record's view
(scope, and the seal for inspection evidence), with nosniff, a sandbox CSP and attachment for all but images
and PDFs; `/media/` answers 404 everywhere; public bulletin images go by the bulletin's token."""
import re
import types
from datetime import date

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import Resolver404, resolve, reverse

from campaigns.bulletin_services import bulletin_publish
from campaigns.duty_services import village_duty_record
from campaigns.models import Bulletin, SchoolDuty, VillageDuty
from campaigns.services import enrolment_apply
from inspections import services as inspection_services
from inspections.models import Inspection, ItemScore
from tests.campaigns.factories import CampaignFactory, image_bytes
from tests.factories import UserFactory, user_with_role
from tests.files import PDF, docx_bytes
from tests.inspections.factories import plan_in, standard_for
from wuzha.lib.media import is_random_name, move_to_random_names

RANDOM = re.compile(r"^[a-z/]+/[0-9a-f]{2}/[0-9a-f]{32}\.[a-z]{2,4}$")


@pytest.fixture
def campaign(world):
    return CampaignFactory(scope=world.town_x)


def _duty(campaign, village, actor, name, data, kind="plan"):
    return village_duty_record(actor=actor, duty=VillageDuty(campaign=campaign, village=village, kind=kind,
                                                             done_on=date(2021, 11, 20),
                                                             document=SimpleUploadedFile(name, data)))  # fmt: skip


def _file_url(duty, field="document"):
    return reverse("campaigns:village_duty_file", args=[duty.pk, field])


def test_files_are_stored_under_random_names_keeping_the_extension(world, campaign, cadre_a):
    duty = _duty(campaign, world.village_a, cadre_a, "甲村工作方案(定稿).docx", docx_bytes())
    assert RANDOM.match(duty.document.name) and duty.document.name.endswith(".docx")
    assert "方案" not in duty.document.name and is_random_name(duty.document.name, "duties/village")


def test_stored_script_path_is_closed_N6_1(world, campaign, school_liaison, login):
    """The attack of issue 18: an .html or .js (or text named .pdf) as a document is refused on the form."""
    enrolment_apply(actor=None, campaign=campaign, site=world.school_a)
    client = login(school_liaison)
    url = reverse("campaigns:school_duty", args=[world.school_a.pk])
    for name, data in (("通知.html", b"<script src='/media/x.js'></script>"), ("x.js", b"fetch('/sites/keypersons/')"),
                       ("校纪校规.pdf", b"just text")):  # fmt: skip
        response = client.post(url, {"rules_clause": "on", "rules_document": SimpleUploadedFile(name, data)})
        body = response.content.decode()
        assert response.status_code == 200 and "“校纪校规文件”" in body and "请上传PDF" in body, name
    assert not SchoolDuty.objects.exclude(rules_document="").exists()


def test_a_file_that_slipped_in_is_a_sandboxed_attachment(world, campaign, cadre_a, login):
    duty = VillageDuty.objects.create(campaign=campaign, village=world.village_a, kind="launch", done_on=date(2021, 11, 20))
    duty.document.save("old.html", ContentFile(b"<script>alert(document.cookie)</script>"))  # as a legacy row would
    response = login(cadre_a).get(_file_url(duty))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["Content-Type"] == "application/octet-stream"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"] and "default-src 'none'" in response["Content-Security-Policy"]


def test_images_and_pdfs_are_shown_inline_other_documents_downloaded(world, campaign, cadre_a, login):
    client = login(cadre_a)
    plan = _duty(campaign, world.village_a, cadre_a, "方案.pdf", PDF)
    summary = _duty(campaign, world.village_a, cadre_a, "总结.docx", docx_bytes(), kind="summary")
    pdf = client.get(_file_url(plan))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf["Content-Disposition"].startswith("inline") and b"".join(pdf.streaming_content) == PDF
    word = client.get(_file_url(summary))
    assert word["Content-Disposition"].startswith("attachment") and "sandbox" in word["Content-Security-Policy"]
    assert "filename*=utf-8''" in word["Content-Disposition"].lower()  # 活动总结-<pk>.docx, encoded


def test_files_follow_the_records_scope(world, campaign, cadre_a, cadre_b, town_staff, other_town_staff, login, client):
    duty = _duty(campaign, world.village_a, cadre_a, "方案.pdf", PDF)
    for user, status in ((cadre_a, 200), (town_staff, 200), (cadre_b, 404), (other_town_staff, 404)):
        assert login(user).get(_file_url(duty)).status_code == status, user.username
    client.logout()
    response = client.get(_file_url(duty))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_sealed_plan_photos_reach_its_insiders_only_N6_4(world, town_staff, cadre_a, login):
    campaign = CampaignFactory(scope=world.town_x)
    crew = user_with_role("inspector", area=world.town_x, username="crew")
    plan = plan_in(world.town_x, campaign=campaign, created_by=town_staff, inspectors=[crew])
    standard = standard_for(campaign, world.site_a.kind)
    inspection = Inspection.objects.create(plan=plan, site=world.site_a, inspector=crew, standard=standard)
    score = ItemScore.objects.create(inspection=inspection, item=standard.items.first())
    photo = inspection_services.evidence_add(actor=crew, item_score=score,
                                             upload=SimpleUploadedFile("现场.jpg", image_bytes()))  # fmt: skip
    assert RANDOM.match(photo.image.name)
    url = reverse("inspections:evidence_file", args=[photo.pk])
    assert login(cadre_a).get(url).status_code == 404  # the plan is sealed: the village side sees nothing
    response = login(crew).get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert response["Content-Disposition"].startswith("inline") and "sandbox" in response["Content-Security-Policy"]


def test_production_hands_the_file_to_nginx(world, campaign, cadre_a, login, settings):
    duty = _duty(campaign, world.village_a, cadre_a, "方案.pdf", PDF)
    settings.WUZHA_MEDIA_ACCEL = "/protected/"
    response = login(cadre_a).get(_file_url(duty))
    assert response.status_code == 200 and response["X-Accel-Redirect"] == f"/protected/{duty.document.name}"
    assert response.content == b"" and response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff" and "sandbox" in response["Content-Security-Policy"]


def test_public_bulletin_images_go_by_the_token(world, town_staff, client):
    bulletin = bulletin_publish(actor=town_staff, images=[SimpleUploadedFile("案例.png", image_bytes("PNG"))],
                                bulletin=Bulletin(area=world.town_x, title="刷单", fraud_type="billing",
                                                  what_happened="经过", how_to_guard="提示"))  # fmt: skip
    image = bulletin.images.get()
    public = reverse("campaigns:bulletin_public_image", args=[bulletin.public_token, image.pk])
    page = client.get(reverse("campaigns:bulletin_public", args=[bulletin.public_token])).content.decode()
    assert public in page and "/media/" not in page
    response = client.get(public)  # nobody logged in
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")
    other = bulletin_publish(actor=town_staff, bulletin=Bulletin(area=world.town_x, title="另一条", fraud_type="loan",
                                                                 what_happened="经过", how_to_guard="提示"))  # fmt: skip
    assert client.get(reverse("campaigns:bulletin_public_image", args=[other.public_token, image.pk])).status_code == 404
    internal = client.get(reverse("campaigns:bulletin_image", args=[bulletin.pk, image.pk, "image"]))
    assert internal.status_code == 302  # the staff's route needs a login


def test_no_media_path_is_mapped(world, campaign, cadre_a, town_staff, client):
    """Every stored file and every old-style path: 404 even for a superuser, whatever DEBUG was."""
    duty = _duty(campaign, world.village_a, cadre_a, "方案.pdf", PDF)
    bulletin = bulletin_publish(actor=town_staff, images=[SimpleUploadedFile("a.jpg", image_bytes())],
                                bulletin=Bulletin(area=world.town_x, title="t", fraud_type="billing",
                                                  what_happened="w", how_to_guard="h"))  # fmt: skip
    image = bulletin.images.get()
    client.force_login(UserFactory(is_superuser=True, is_staff=True, username="root"))
    paths = [duty.document.name, image.image.name, image.thumbnail.name, "assessments/assessment-1.xlsx",
             "assessments/assessment-1.pdf", "evidence/2021/12/p.jpg", "duties/village/plan-350521101201.txt",
             "duties/school/校纪校规.pdf", "bulletins/evidence/2021/12/e.jpg", "sweeps/2021/12/f.jpg", "tipoffs/1/a.jpg",
             "evidence/1/1/现场.jpg", "bulletins/2021/12/通报.pdf", f"bulletins/{bulletin.pk}/0123abcd.jpg", "x.html"]  # fmt: skip
    for path in paths:
        with pytest.raises(Resolver404):
            resolve(f"/media/{path}")
        assert client.get(f"/media/{path}").status_code == 404, path


def test_templates_link_the_record_views(world, campaign, cadre_a, login):
    duty = _duty(campaign, world.village_a, cadre_a, "方案.pdf", PDF)
    page = login(cadre_a).get(reverse("campaigns:village_duty_list") + f"?campaign={campaign.pk}").content.decode()
    assert _file_url(duty) in page and "/media/" not in page


def test_existing_files_move_to_random_names(world, campaign, cadre_a, django_capture_on_commit_callbacks):
    from django.apps import apps

    duty = VillageDuty.objects.create(campaign=campaign, village=world.village_a, kind="plan", done_on=date(2021, 11, 20))
    old = default_storage.save("duties/village/plan-甲村.pdf", ContentFile(PDF))
    VillageDuty.objects.filter(pk=duty.pk).update(document=old)
    VillageDuty.history.filter(id=duty.pk).update(document=old)
    specs = [("campaigns", "VillageDuty", "document", "duties/village")]
    with django_capture_on_commit_callbacks(execute=True):
        move_to_random_names(apps, types.SimpleNamespace(connection=connection), specs)
    duty.refresh_from_db()
    assert is_random_name(duty.document.name, "duties/village") and duty.document.read() == PDF
    assert not default_storage.exists(old)
    assert set(VillageDuty.history.filter(id=duty.pk).values_list("document", flat=True)) == {duty.document.name}
    moved = duty.document.name
    with django_capture_on_commit_callbacks(execute=True):  # a second run leaves random names alone
        move_to_random_names(apps, types.SimpleNamespace(connection=connection), specs)
    duty.refresh_from_db()
    assert duty.document.name == moved


def _photo(name="现场.jpg"):
    return SimpleUploadedFile(name, image_bytes(), content_type="image/jpeg")


def _every_file_view(world, town_staff, cadre_a):
    """(what, file URL, page URL that links it or None) for one file of every file view."""
    from campaigns.bulletin_services import receipt_acknowledge
    from campaigns.services import photo_attach
    from sites.models import Finding
    from sites.services_tipoffs import tipoff_submit
    from tests.campaigns.factories import ActivityFactory
    from tests.sites.factories import PremisesFactory, SweepFactory

    campaign = CampaignFactory(scope=world.town_x)
    activity = ActivityFactory(campaign=campaign, village=world.village_a, site=world.site_a)
    photo = photo_attach(activity=activity, upload=_photo())
    tip = tipoff_submit(kind="den", what="可疑出租屋", village=world.village_a, photos=[_photo()])
    tip_photo = tip.photos.get()
    sweep = SweepFactory(village=world.village_a)
    finding = Finding.objects.create(sweep=sweep, premises=PremisesFactory(village=world.village_a), kind="other",
                                     description="多卡宝", photo=ContentFile(image_bytes(), "f.jpg"))  # fmt: skip
    bulletin = bulletin_publish(actor=town_staff, images=[_photo()], bulletin=Bulletin(
        area=world.town_x, title="通报", fraud_type="billing", what_happened="经过", how_to_guard="提示",
        attachment=SimpleUploadedFile("附件.pdf", PDF)))  # fmt: skip
    receipt = receipt_acknowledge(actor=cadre_a, receipt=bulletin.receipts.get(village=world.village_a, site=None),
                                  channel="group", people_reached=30, evidence=_photo())  # fmt: skip
    image = bulletin.images.get()
    school = SchoolDuty.objects.create(campaign=campaign, site=world.school_a,
                                       rules_document=ContentFile(PDF, "rules.pdf"))  # fmt: skip
    duty = VillageDuty.objects.create(campaign=campaign, village=world.village_a, kind="launch", done_on=date(2021, 11, 20),
                                      photo=ContentFile(image_bytes(), "launch.jpg"))  # fmt: skip
    detail = reverse("campaigns:bulletin_detail", args=[bulletin.pk])
    return [
        ("activity photo", reverse("campaigns:activity_photo", args=[activity.pk, photo.pk, "image"]),
         reverse("campaigns:activity_detail", args=[activity.pk])),
        ("activity thumbnail", reverse("campaigns:activity_photo", args=[activity.pk, photo.pk, "thumbnail"]),
         reverse("campaigns:activity_detail", args=[activity.pk])),
        ("tip-off photo", reverse("sites:tipoff_photo", args=[tip.pk, tip_photo.pk, "image"]),
         reverse("sites:tipoff_detail", args=[tip.pk])),
        ("finding photo", reverse("sites:finding_photo", args=[sweep.pk, finding.pk]),
         reverse("sites:sweep_detail", args=[sweep.pk])),
        ("bulletin attachment", reverse("campaigns:bulletin_attachment", args=[bulletin.pk]), detail),
        ("bulletin thumbnail", reverse("campaigns:bulletin_image", args=[bulletin.pk, image.pk, "thumbnail"]), detail),
        ("receipt evidence", reverse("campaigns:bulletin_evidence", args=[receipt.pk]), detail),
        ("school rules", reverse("campaigns:school_duty_file", args=[world.school_a.pk, school.pk]), None),
        ("village duty photo", reverse("campaigns:village_duty_file", args=[duty.pk, "photo"]),
         reverse("campaigns:village_duty_list") + f"?campaign={campaign.pk}"),
    ]  # fmt: skip


def test_every_file_view_serves_in_scope_only_and_its_page_links_it(world, town_staff, other_town_staff, cadre_a, login):
    for what, url, page in _every_file_view(world, town_staff, cadre_a):
        client = login(town_staff)
        response = client.get(url)
        assert response.status_code == 200, what
        assert response["X-Content-Type-Options"] == "nosniff" and "sandbox" in response["Content-Security-Policy"], what
        assert response["Content-Disposition"].startswith("inline"), what  # photos and PDFs
        if page:
            body = client.get(page).content.decode()
            assert url in body and "/media/" not in body, what
        assert login(other_town_staff).get(url).status_code == 404, what


@pytest.mark.parametrize("ext", ["jpg", "jpeg", "png", "webp"])
def test_score_sheet_photo_inputs_refuse_disguised_text_N6_4(world, login, ext):
    """The phone score sheet takes photos outside a Django form (`photo-<item>` inputs): same photo path."""
    from inspections.models import Evidence
    from tests.files import DISGUISED_TEXT
    from tests.inspections.factories import inspection_in

    crew = user_with_role("inspector", area=world.town_x, username="crew")
    inspection = inspection_in(world.village_a, inspector=crew)
    item = inspection.standard.items.first()
    url = reverse("inspections:inspection_score", args=[inspection.pk])
    response = login(crew).post(url, {f"photo-{item.pk}": SimpleUploadedFile(f"伪装.{ext}", DISGUISED_TEXT)}, follow=True)
    body = response.content.decode()
    assert f"“伪装.{ext}”不是有效的图片文件" in body and not Evidence.objects.exists()


def test_assessment_reports_are_downloads_through_the_run(world, town_staff, other_town_staff, login):
    from inspections.models import AssessmentRun

    run = AssessmentRun.objects.create(campaign=CampaignFactory(scope=world.town_x), scope=world.town_x,
                                       as_of=date(2022, 3, 31), requested_by=town_staff,
                                       status=AssessmentRun.Status.DONE)  # fmt: skip
    run.pdf.save("report.pdf", ContentFile(PDF))
    assert RANDOM.match(run.pdf.name) and run.pdf.name.startswith("assessments/")
    url = reverse("inspections:assessment_file", args=[run.pk, "pdf"])
    response = login(town_staff).get(url)
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
    assert "sandbox" in response["Content-Security-Policy"] and b"".join(response.streaming_content) == PDF
    assert login(other_town_staff).get(url).status_code == 404
