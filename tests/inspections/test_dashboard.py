"""The progress dashboard (issue 8): same numbers as the assessment, scope, sealing, drill-down, query bounds."""
import datetime as dt
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.urls import reverse

from campaigns.models import Enrolment, SurveyResponse
from inspections.assessment.compute import rank_villages, site_result, town_rollup, village_result
from inspections.assessment.figures import figures_for_villages
from inspections.assessment.services import current_rules
from inspections.dashboard.builder import Node, build, light
from inspections.models import Inspection, InspectionPlan, Rectification
from sites.models import Area
from tests.campaigns.factories import ActivityFactory

from .assessment_helpers import AS_OF, assessment_world
from .factories import plan_in, rectification_in


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def url(area=None, campaign=None, as_of=AS_OF):
    base = reverse("dashboard:area", args=[area.code]) if area else reverse("dashboard:home")
    return f"{base}?campaign={campaign.pk}&as_of={as_of.isoformat()}" if campaign else base


def test_town_dashboard_renders_for_town_staff(client, world, town_staff):
    campaign = assessment_world(world)
    client.force_login(town_staff)
    response = client.get(url(world.town_x, campaign))
    assert response.status_code == 200
    body = response.content.decode()
    assert "甲村" in body and "外镇专属" not in body
