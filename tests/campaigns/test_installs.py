"""App-install reconciliation: ledger vs official figures on a hand-made upload, base and gap flags; the
assessment's entry point `campaigns.installs.install_figures` uses the official figure where it exists."""
import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from campaigns.install_import import official_installs_upload
from campaigns.installs import install_figures, reconcile, village_install_figures
from campaigns.models import OfficialInstallFigure
from campaigns.services import enrolment_apply

from .factories import ActivityFactory, CampaignFactory

HEADER = ["村(社区)", "创建单位", "统计日期", "官方安装数", "16-60岁常住人口"]


def xlsx(rows, title=True) -> bytes:
    wb = Workbook()
    ws = wb.active
    if title:
        ws.append(["2022年1月反诈APP安装统计(派出所)"])
    ws.append(HEADER)
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_reconcile_rule_N5_3():
    assert reconcile(ledger=100, official=None, base=1000, threshold=0.2) == (100, 0.1, None, False)
    assert reconcile(ledger=100, official=90, base=1000, threshold=0.2) == (90, 0.09, 0.1111, False)
    assert reconcile(ledger=300, official=100, base=None, threshold=0.2) == (100, None, 2.0, True)
    assert reconcile(ledger=5, official=0, base=10, threshold=0.2)[3] is True


@pytest.fixture
def setup(world, town_staff):
    world.site_a.residents = 2000
    world.site_a.save()
    campaign = CampaignFactory(scope=world.town_x, site_kinds=["community", "campus"])
    for site in (world.site_a, world.school_a, world.site_b):
        enrolment_apply(actor=None, campaign=campaign, site=site)
    ActivityFactory(campaign=campaign, site=world.site_a, date=dt.date(2021, 12, 1), app_installs=150)
    ActivityFactory(campaign=campaign, site=world.site_a, date=dt.date(2021, 12, 20), app_installs=50)
    ActivityFactory(campaign=campaign, site=world.school_a, date=dt.date(2021, 12, 5), app_installs=80)
    ActivityFactory(campaign=campaign, site=world.site_a, date=dt.date(2022, 3, 1), app_installs=999)  # after as_of
    return campaign


def test_upload_and_figures_on_a_hand_made_file_N5_3(world, town_staff, setup):
    campaign = setup
    data = xlsx([["甲村", "甲村幸福小区", "2022年1月10日", 400, 1500],
                 ["甲村", "甲村小学", "2022/1/10", 84, None],
                 ["甲村", None, "2022-01-10", 600, 3000]])  # fmt: skip
    result = official_installs_upload(actor=town_staff, campaign=campaign, name="官方.xlsx", data=data)
    assert (result.created, result.updated) == (3, 0)
    figs = install_figures(campaign, [world.site_a, world.school_a, world.site_b], dt.date(2022, 1, 31))
    a, school, b = figs[world.site_a.pk], figs[world.school_a.pk], figs[world.site_b.pk]
    assert (a.ledger, a.official, a.used, a.base, a.rate, a.flagged) == (200, 400, 400, 2000, 0.2, True)  # gap 50 %
    assert (school.ledger, school.official, school.used, school.flagged) == (80, 84, 84, False)  # gap 4.8 %
    assert (b.ledger, b.official, b.used, b.flagged) == (0, None, 0, False)
    # Before the official date the ledger is used.
    assert install_figures(campaign, [world.site_a], dt.date(2022, 1, 5))[world.site_a.pk].used == 200
    # The campaign's base: residents aged 16–60 from the upload.
    campaign.rules = {"install_base": "residents_16_60", "install_gap": 0.6}
    campaign.save()
    a = install_figures(campaign, [world.site_a], dt.date(2022, 1, 31))[world.site_a.pk]
    assert (a.base, a.rate, a.flagged) == (1500, round(400 / 1500, 4), False)
    v = village_install_figures(campaign, [world.village_a], dt.date(2022, 1, 31))[world.village_a.pk]
    assert (v.ledger, v.official, v.used, v.base) == (280, 600, 600, 3000)
    # Re-upload overwrites, never duplicates.
    result = official_installs_upload(actor=town_staff, campaign=campaign, name="官方.xlsx",
                                      data=xlsx([["甲村", "甲村幸福小区", "2022-01-10", 210, None]]))  # fmt: skip
    assert (result.created, result.updated) == (0, 1) and OfficialInstallFigure.objects.count() == 3


def test_upload_is_all_or_nothing_with_chinese_row_errors_N5_3(world, town_staff, setup):
    data = xlsx([["甲村", "甲村幸福小区", "2022-01-10", 400, None],
                 ["不存在村", None, "2022-01-10", 1, None],
                 ["甲村", "没有的单位", "2022-01-10", 1, None],
                 ["甲村", None, "2022-13-40", "许多", None],
                 ["外镇专属丙村", None, "2022-01-10", 5, None]])  # fmt: skip
    with pytest.raises(ValidationError) as exc:
        official_installs_upload(actor=town_staff, campaign=setup, name="官方.xlsx", data=data)
    text = "\n".join(exc.value.messages)
    assert "第 4 行 A 列" in text and "不存在村" in text
    assert "第 5 行 B 列" in text and "没有的单位" in text
    assert "第 6 行 C 列" in text and "第 6 行 D 列" in text
    assert "外镇专属丙村" in text  # outside the campaign's town
    assert not OfficialInstallFigure.objects.exists()
    with pytest.raises(ValidationError):
        official_installs_upload(actor=town_staff, campaign=setup, name="x.xlsx", data=b"not a workbook")


def test_page_shows_both_side_by_side_and_uploads_N5_3(world, town_staff, setup, client):
    client.force_login(town_staff)
    upload = SimpleUploadedFile("官方.xlsx", xlsx([["甲村", "甲村幸福小区", "2022-01-10", 400, None]]))
    response = client.post(f"/campaigns/installs/?campaign={setup.pk}", {"campaign": setup.pk, "file": upload})
    assert response.status_code == 302
    body = client.get(f"/campaigns/installs/?campaign={setup.pk}").content.decode()
    assert "甲村幸福小区" in body and "差异过大" in body and "400" in body
    bad = SimpleUploadedFile("官方.xlsx", xlsx([["不存在村", None, "2022-01-10", 1, None]]))
    client.post(f"/campaigns/installs/?campaign={setup.pk}", {"campaign": setup.pk, "file": bad})
    assert "不存在村" in client.get(f"/campaigns/installs/?campaign={setup.pk}").content.decode()
    r = client.post(f"/campaigns/installs/?campaign={setup.pk}", {"campaign": setup.pk, "action": "settings", "base": "students", "gap": "30"}, follow=True)
    assert "已保存" in r.content.decode(), r.content.decode()[-3000:]
    setup.refresh_from_db()
    assert setup.rules["install_base"] == "students" and setup.rules["install_gap"] == 0.3


def test_cadres_and_liaisons_have_no_install_page_N5_3(world, cadre_a, school_liaison, client):
    for user in (cadre_a, school_liaison):
        client.force_login(user)
        assert client.get("/campaigns/installs/").status_code == 404


@pytest.mark.parametrize("n", [2, 12])
def test_install_page_queries_are_bounded_N5_3(world, town_staff, client, django_assert_max_num_queries, n):
    from tests.factories import SiteFactory

    campaign = CampaignFactory(scope=world.town_x)
    for i in range(n):
        site = SiteFactory(village=world.village_a, name=f"单位{i}")
        enrolment_apply(actor=None, campaign=campaign, site=site)
        ActivityFactory(campaign=campaign, site=site, app_installs=i)
        OfficialInstallFigure.objects.create(campaign=campaign, village=world.village_a, site=site,
                                             as_of=dt.date(2022, 1, 1), installs=i + 1)  # fmt: skip
    client.force_login(town_staff)
    with django_assert_max_num_queries(20):
        assert client.get(f"/campaigns/installs/?campaign={campaign.pk}").status_code == 200
