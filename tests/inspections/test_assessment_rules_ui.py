"""Staff edit a campaign's assessment rules (weights, title threshold, gates) in a form; each save is a version."""
import pytest
from django.urls import reverse

from inspections.assessment import services
from inspections.models import AssessmentRules

from .assessment_helpers import AS_OF, assessment_world

pytestmark = pytest.mark.usefixtures("in_process_tasks")

VALID = {
    "weight_inspection": "50", "weight_completion": "20", "weight_on_time": "10", "weight_app_install": "10",
    "weight_satisfaction": "10", "inspection_score": "mean", "app_install_target": "50", "satisfied_at_least": "4",
    "title_min_score": "80", "title_all_gates": "on", "sanwu_zeroes": "on", "village_sites_weight": "70",
    "village_own_weight": "30", "appeal_days": "10", "note": "按县里新通知调整",
}  # fmt: skip


def test_staff_save_rules_as_a_new_version_N6_4(client, world, county_staff):
    campaign = assessment_world(world)  # version 1: the simple rules
    url = reverse("inspections:assessment_rules", args=[campaign.pk])
    client.force_login(county_staff)
    page = client.get(url)
    assert page.status_code == 200 and "第 1 版" in page.content.decode()
    assert page.context["form"].initial["weight_inspection"] == 100  # the stored version's weights
    response = client.post(url, VALID)
    assert response.status_code == 302
    row = AssessmentRules.objects.get(campaign=campaign, version=2)
    assert row.created_by == county_staff and row.note == "按县里新通知调整"
    assert row.rules == {
        "weights": {"inspection": 50, "completion": 20, "on_time": 10, "app_install": 10, "satisfaction": 10},
        "inspection_score": "mean", "app_install_target": 50, "satisfied_at_least": 4, "sanwu_zeroes": True,
        "title": {"min_score": 80, "all_gates": True, "no_open_rectification": False},
        "village": {"sites_weight": 70, "own_weight": 30}, "appeal_days": 10,
    }  # fmt: skip
    assert "已保存考核规则第 2 版" in client.get(url).content.decode()
    run = services.assessment_start(actor=county_staff, campaign=campaign, scope=world.county, as_of=AS_OF)
    assert run.rules_version == 2 and run.rules["title"]["min_score"] == 80


@pytest.mark.parametrize("change,message", [
    ({"weight_inspection": "0", "weight_completion": "0", "weight_on_time": "0", "weight_app_install": "0",
      "weight_satisfaction": "0"}, "各计分项的权重之和须大于 0"),
    ({"village_sites_weight": "0", "village_own_weight": "0"}, "村(社区)得分的两项权重不能都为 0"),
    ({"title_min_score": "120"}, "100"),
    ({"inspection_score": "best"}, "best"),
    ({"weight_inspection": "-5"}, "0"),
])  # fmt: skip
def test_invalid_rules_are_refused_in_chinese_N6_4(client, world, county_staff, change, message):
    campaign = assessment_world(world)
    client.force_login(county_staff)
    response = client.post(reverse("inspections:assessment_rules", args=[campaign.pk]), VALID | change)
    assert response.status_code == 200 and message in response.content.decode()
    assert not AssessmentRules.objects.filter(campaign=campaign, version=2).exists()


@pytest.mark.parametrize("persona", ["town_staff", "cadre_a", "inspector"])
def test_rules_page_only_for_staff_over_the_campaign_scope_N6_4(client, world, request, persona):
    campaign = assessment_world(world)  # a county campaign: town staff may not change its rules
    client.force_login(request.getfixturevalue(persona))
    url = reverse("inspections:assessment_rules", args=[campaign.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, VALID).status_code == 404
    assert AssessmentRules.objects.filter(campaign=campaign).count() == 1
