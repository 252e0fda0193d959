"""One app-install figure (issue 16, item 5): the standard's condition, the assessment score, the dashboard and the
installs page show the same rate for the same site, campaign and date — official figure on or before the date,
else the ledger — over the base the campaign chose; a missing base says 缺少数据 with what to enter, once."""
import datetime as dt

import pytest
from django.core.cache import cache
from django.urls import reverse

from campaigns.installs import install_figures
from campaigns.models import Campaign, OfficialInstallFigure
from campaigns.services import enrolment_apply
from inspections.assessment.compute import q
from inspections.assessment.figures import village_figures
from inspections.facts import site_facts
from inspections.gates import evaluate_gate
from inspections.models import Standard
from tests.campaigns.factories import ActivityFactory

AS_OF = dt.date(2022, 3, 31)
HINT_16_60 = "缺少数据:请在创建单位资料中填写16–60岁常住人口"
# A condition no site can meet, so its failure line carries the rate it read ("实际 …"); it names another population
# than most bases below: the condition still reads the campaign's figure.
GATE = {"all": [{"fact": "app_install_rate", "population": "age_16_60", "op": ">=", "value": 101}]}


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def install_world(world, *, official: bool, base: str) -> Campaign:
    """甲村幸福小区: 2,000 residents, 1,200 of them aged 16–60; ledger 300 by the date (999 more after it); the
    police's figure 480 on 2022-03-01 (with `official`) and 700 on 2022-04-10, after the date (never counted).
    甲村小学: 500 students, ledger 50."""
    world.site_a.residents, world.site_a.residents_16_60 = 2000, 1200
    world.site_a.save()
    campaign = Campaign.objects.create(
        name="东桥安装率", scope=world.town_x, starts_on=dt.date(2021, 11, 17), ends_on=AS_OF, assessment_on=AS_OF,
        site_kinds=["community", "campus"], status=Campaign.Status.RUNNING, rules={"install_base": base},
    )  # fmt: skip
    for site in (world.site_a, world.school_a):
        enrolment_apply(actor=None, campaign=campaign, site=site)
        Standard.objects.create(campaign=campaign, site_kind=site.kind, name=f"{site.kind}评分表", gates=GATE)
    ActivityFactory(campaign=campaign, site=world.site_a, date=dt.date(2021, 12, 1), app_installs=200)
    ActivityFactory(campaign=campaign, site=world.site_a, date=AS_OF, app_installs=100)
    ActivityFactory(campaign=campaign, site=world.site_a, date=dt.date(2022, 4, 2), app_installs=999)
    ActivityFactory(campaign=campaign, site=world.school_a, date=dt.date(2022, 1, 5), app_installs=50)
    if official:
        OfficialInstallFigure.objects.create(campaign=campaign, village=world.village_a, site=world.site_a,
                                             as_of=dt.date(2022, 3, 1), installs=480)  # fmt: skip
    OfficialInstallFigure.objects.create(campaign=campaign, village=world.village_a, site=world.site_a,
                                         as_of=dt.date(2022, 4, 10), installs=700)  # fmt: skip
    return campaign


def four_pages(client, campaign, site) -> dict[str, float | None]:
    """The rate of `site` as the condition, the score, the dashboard and the installs page show it on AS_OF."""
    figures = {s.site_id: s for s in village_figures(campaign, site.village, AS_OF).sites}[site.pk]
    (reason,) = figures.gate_reasons
    condition = float(reason.split("实际 ")[1].rstrip(")"))
    gate_page = evaluate_gate(GATE, site_facts(site, campaign.starts_on, campaign.ends_on, campaign)).reasons
    assert gate_page == (reason,)  # the inspection page's condition: the same line
    dash = client.get(f"{reverse('dashboard:site', args=[site.pk])}?campaign={campaign.pk}&as_of={AS_OF}")
    assert dash.status_code == 200
    page = client.get(f"{reverse('campaigns:installs')}?campaign={campaign.pk}&as_of={AS_OF}")
    row = {r.site_id: r for r in page.context["site_rows"]}[site.pk]
    assert f"{row.percent:.2f}%" in page.content.decode()
    assert f'{dash.context["s"]["install_rate"]}%' in dash.content.decode()
    return {"condition": condition, "score": figures.app_install_rate, "dashboard": dash.context["s"]["install_rate"],
            "installs page": row.percent}  # fmt: skip


# site_a's rate per base: official 480 (else ledger 300) over 2,000 residents or 1,200 aged 16–60; a community
# has no students or employees, so those bases fall back to its residents. The school always counts its students.
CASES = [
    ("residents", True, 24.0), ("residents_16_60", True, 40.0), ("students", True, 24.0), ("employees", True, 24.0),
    ("residents", False, 15.0), ("residents_16_60", False, 25.0), ("students", False, 15.0), ("employees", False, 15.0),
]  # fmt: skip


@pytest.mark.parametrize(("base", "official", "rate"), CASES)
def test_condition_score_dashboard_and_installs_page_show_one_rate_N3_3(world, town_staff, client, base, official, rate):
    campaign = install_world(world, official=official, base=base)
    client.force_login(town_staff)
    seen = four_pages(client, campaign, world.site_a)
    assert seen == {"condition": rate, "score": rate, "dashboard": q(rate), "installs page": rate}
    figure = install_figures(campaign, [world.site_a], AS_OF)[world.site_a.pk]
    assert (figure.used, figure.official) == ((480, 480) if official else (300, None))
    school = four_pages(client, campaign, world.school_a)
    assert set(school.values()) == {10.0}  # 50 / 500 students whatever the campaign chose


def test_changing_the_base_changes_every_page_together_N3_3(world, town_staff, client):
    """The installs page's 安装率基数 setting is the one every page follows."""
    campaign = install_world(world, official=True, base="residents")
    client.force_login(town_staff)
    assert set(four_pages(client, campaign, world.site_a).values()) == {24.0}
    response = client.post(f"{reverse('campaigns:installs')}?campaign={campaign.pk}",
                           {"campaign": campaign.pk, "action": "settings", "base": "residents_16_60", "gap": "20"})  # fmt: skip
    assert response.status_code == 302
    campaign.refresh_from_db()
    assert set(four_pages(client, campaign, world.site_a).values()) == {40.0}


def test_missing_base_says_what_to_enter_once_N3_3(world, town_staff, client):
    """No 16–60 population anywhere: every page says 缺少数据 and what to enter, once per page."""
    campaign = install_world(world, official=True, base="residents_16_60")
    world.site_a.residents_16_60 = None
    world.site_a.save()
    two = {"all": [GATE["all"][0], {"fact": "app_install_rate", "population": "residents_16_60", "op": ">=", "value": 80}]}
    Standard.objects.filter(campaign=campaign).update(gates=two)
    figures = {s.site_id: s for s in village_figures(campaign, world.village_a, AS_OF).sites}[world.site_a.pk]
    assert figures.app_install_rate is None and figures.gate_reasons == (HINT_16_60,)
    client.force_login(town_staff)
    page = client.get(f"{reverse('campaigns:installs')}?campaign={campaign.pk}&as_of={AS_OF}").content.decode()
    assert page.count("缺少数据") == 1 and page.count(HINT_16_60) == 1
    assert "(甲村、乙村专属乙村、甲村幸福小区)" in page  # the villages' rows share the site's hint line
    dash = client.get(f"{reverse('dashboard:site', args=[world.site_a.pk])}?campaign={campaign.pk}&as_of={AS_OF}")
    assert dash.content.decode().count("缺少数据") == 1 and HINT_16_60 in dash.content.decode()
    # Without an install condition the dashboard's install card says it instead, still once.
    Standard.objects.filter(campaign=campaign).update(gates={})
    cache.clear()
    dash = client.get(f"{reverse('dashboard:site', args=[world.site_a.pk])}?campaign={campaign.pk}&as_of={AS_OF}")
    body = dash.content.decode()
    assert body.count("缺少数据") == 1 and 'data-testid="dash-install-missing"' in body
    # Filling the site's 16–60 population makes every page show the rate.
    world.site_a.residents_16_60 = 1200
    world.site_a.save()
    Standard.objects.filter(campaign=campaign).update(gates=GATE)
    cache.clear()
    assert set(four_pages(client, campaign, world.site_a).values()) == {40.0}


def test_the_official_upload_16_60_population_is_the_base_where_given_N3_3(world):
    campaign = install_world(world, official=True, base="residents_16_60")
    OfficialInstallFigure.objects.filter(as_of=dt.date(2022, 3, 1)).update(population_16_60=960)
    figure = install_figures(campaign, [world.site_a], AS_OF)[world.site_a.pk]
    assert (figure.base, figure.percent, figure.base_label) == (960, 50.0, "16–60岁常住人口")


def test_old_and_new_spelling_of_the_16_60_population_are_both_accepted_N3_3():
    from inspections.gates import SiteFacts, validate_gate

    for population in ("age_16_60", "residents_16_60"):
        node = {"fact": "app_install_rate", "population": population, "op": ">=", "value": 80}
        validate_gate(node)
        for key in ("age_16_60", "residents_16_60"):  # facts keyed either way (pure callers)
            assert evaluate_gate(node, SiteFacts(app_install_rates={key: 85.0})).passed
            assert not evaluate_gate(node, SiteFacts(app_install_rates={key: 60.0})).passed
