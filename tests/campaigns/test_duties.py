"""School duties (N3.4), enterprise visits (N3.5), village obligations (N6.1–N6.4) through services and pages."""
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from campaigns.duty_services import enterprise_visit_record, school_duty_save, village_duty_record
from campaigns.models import EnterpriseVisit, SchoolDuty, VillageDuty
from campaigns.obligation_data import obligation_status
from campaigns.services import enrolment_apply
from sites.models import Site
from tests.factories import SiteFactory
from tests.files import PDF

from .factories import ActivityFactory, CampaignFactory


@pytest.fixture
def campaign(world):
    return CampaignFactory(scope=world.town_x)


def test_school_liaison_saves_column_and_rules_clause_N3_4(campaign, world, school_liaison, login):
    enrolment_apply(actor=None, campaign=campaign, site=world.school_a)
    client = login(school_liaison)
    response = client.post(f"/campaigns/schools/{world.school_a.pk}/", {
        "column_url": "https://school.example.cn/fanzha", "rules_clause": "on",
        "rules_document": SimpleUploadedFile("校纪校规.pdf", PDF), "parents_total": 480,
    })  # fmt: skip
    assert response.status_code == 302
    duty = SchoolDuty.objects.get()
    assert duty.rules_clause and duty.rules_document and duty.updated_by == school_liaison


def test_school_duty_only_on_a_campus_N3_4(campaign, world):
    with pytest.raises(ValidationError, match="校园"):
        school_duty_save(actor=None, duty=SchoolDuty(campaign=campaign, site=world.site_a))


def test_enterprise_visit_with_checklist_N3_5(campaign, world, cadre_a, login):
    firm = SiteFactory(village=world.village_a, kind=Site.Kind.ENTERPRISE, name="甲村化工", employees=300)
    client = login(cadre_a)
    response = client.post("/campaigns/visits/new/", {
        "site": firm.pk, "visited_on": "2021-12-10", "visitors": "安办 林志明", "methods_pushed": "刷单返利、冒充客服",
        "new_hires": 25, "finance_controls": "on", "risk_screening": "on",
    })  # fmt: skip
    assert response.status_code == 302, response.context["form"].errors
    visit = EnterpriseVisit.objects.get()
    assert visit.finance_controls and visit.risk_screening and not visit.owners_educated and visit.new_hires == 25
    assert "甲村化工" in client.get("/campaigns/visits/").content.decode()


def test_visit_to_a_non_enterprise_is_refused_N3_5(campaign, world, cadre_a):
    with pytest.raises(ValidationError, match="企业"):
        enterprise_visit_record(actor=cadre_a, visit=EnterpriseVisit(
            campaign=campaign, site=world.site_a, visited_on=date(2021, 12, 1), visitors="x", methods_pushed="y"))


def test_village_plan_office_launch_and_summary_N6_1(campaign, world, cadre_a):
    doc = SimpleUploadedFile("方案.pdf", PDF)
    village_duty_record(actor=cadre_a, duty=VillageDuty(campaign=campaign, village=world.village_a, kind="plan",
                                                        done_on=date(2021, 11, 20), document=doc))  # fmt: skip
    with pytest.raises(ValidationError, match="已登记过"):
        village_duty_record(actor=cadre_a, duty=VillageDuty(
            campaign=campaign, village=world.village_a, kind="plan", done_on=date(2021, 11, 21),
            document=SimpleUploadedFile("b.pdf", PDF)))  # fmt: skip
    with pytest.raises(ValidationError, match="成员"):
        village_duty_record(actor=cadre_a, duty=VillageDuty(campaign=campaign, village=world.village_a, kind="office",
                                                            done_on=date(2021, 11, 20)))  # fmt: skip
    with pytest.raises(ValidationError, match="无权"):
        village_duty_record(actor=cadre_a, duty=VillageDuty(campaign=campaign, village=world.village_b, kind="launch",
                                                            done_on=date(2021, 11, 25)))  # fmt: skip


def test_observation_visit_names_host_and_visitors_N6_3(campaign, world, cadre_a):
    with pytest.raises(ValidationError, match="示范单位"):
        village_duty_record(actor=cadre_a, duty=VillageDuty(campaign=campaign, village=world.village_a,
                                                            kind="observation", done_on=date(2022, 1, 5)))  # fmt: skip
    village_duty_record(actor=cadre_a, duty=VillageDuty(
        campaign=campaign, village=world.village_a, kind="observation", done_on=date(2022, 1, 5),
        host_site=world.site_b, visitors="甲村两委 6 人"))  # fmt: skip
    assert VillageDuty.objects.filter(kind="observation").count() == 1


def test_obligation_status_over_the_database_N6_1(campaign, world):
    firm = SiteFactory(village=world.village_a, kind=Site.Kind.ENTERPRISE, name="甲村企业")
    for site in (world.school_a, firm, world.site_a):
        enrolment_apply(actor=None, campaign=campaign, site=site)
    ActivityFactory(campaign=campaign, site=world.school_a, channel="event", people_reached=300,
                    households_visited=None, date=date(2021, 12, 20))  # fmt: skip
    items = obligation_status(campaign, Site.objects.all(), date(2022, 2, 5))
    status = {(o.subject_name, o.label): o.status for o in items}
    assert status[("甲村小学", "2021年秋季学期集中宣传活动")] in ("done", "late")
    assert status[("甲村企业", "2022年1月安办走访")] == "missing"
    assert status[("甲村幸福小区", "近30天入户走访或APP推广")] == "missing"
    assert status[("甲村", "工作方案")] == "missing"


@pytest.mark.parametrize("n", [1, 15])
def test_duty_lists_queries_are_bounded_N3_5(campaign, world, cadre_a, login, django_assert_max_num_queries, n):
    firm = SiteFactory(village=world.village_a, kind=Site.Kind.ENTERPRISE, name="甲村企业")
    for i in range(n):
        EnterpriseVisit.objects.create(campaign=campaign, site=firm, visited_on=date(2021, 12, 1), visitors="安办",
                                       methods_pushed="刷单")  # fmt: skip
        VillageDuty.objects.create(campaign=campaign, village=world.village_a, kind="observation",
                                   done_on=date(2022, 1, 1), host_site=world.site_a, visitors=f"{i} 人")  # fmt: skip
    client = login(cadre_a)
    with django_assert_max_num_queries(12):
        assert client.get("/campaigns/visits/").status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get("/campaigns/village-duties/").status_code == 200


def test_cadre_edits_a_visit_and_a_village_duty_within_scope_N3_5(campaign, world, cadre_a, cadre_b, login):
    from .factories import EnterpriseVisitFactory, VillageDutyFactory

    firm = SiteFactory(village=world.village_a, kind=Site.Kind.ENTERPRISE, name="甲村企业")
    visit = EnterpriseVisitFactory(campaign=campaign, site=firm)
    launch = VillageDutyFactory(campaign=campaign, village=world.village_a)
    client = login(cadre_a)
    response = client.post(f"/campaigns/visits/{visit.pk}/edit/", {
        "site": firm.pk, "visited_on": "2021-12-11", "visitors": "安办 黄丽华", "methods_pushed": "虚假贷款",
        "new_hires": 3, "risk_screening": "on",
    })  # fmt: skip
    assert response.status_code == 302
    visit.refresh_from_db()
    assert (visit.visitors, visit.risk_screening, visit.history.count()) == ("安办 黄丽华", True, 2)
    response = client.post(f"/campaigns/village-duties/{launch.pk}/edit/", {
        "village": world.village_a.pk, "kind": "launch", "done_on": "2021-11-26",
    })  # fmt: skip
    assert response.status_code == 302 and VillageDuty.objects.get(pk=launch.pk).done_on == date(2021, 11, 26)
    assert login(cadre_b).get(f"/campaigns/visits/{visit.pk}/edit/").status_code == 404
