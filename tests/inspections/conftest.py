"""A town-X setup shared by the inspections tests: campaign, standards, crew and one sealed plan."""

from dataclasses import dataclass

import pytest

from inspections.models import Inspection, InspectionPlan, PlanInspector
from sites.models import Site
from sites.roles import Role
from tests.factories import SiteFactory, user_with_role

from .factories import campaign_for, plan_in, standard_for

SEALED_PLAN = "春季暗访密封计划"
SECRET_INSPECTOR = "神秘督查员"


@dataclass
class Setup:
    campaign: object
    standard: object
    plan: InspectionPlan
    inspection: Inspection
    crew_inspector: object


@pytest.fixture
def setup(world, town_staff):
    campaign = campaign_for(world.town_x)
    standard = standard_for(campaign, Site.Kind.COMMUNITY)
    standard_for(campaign, Site.Kind.CAMPUS)
    crew = user_with_role(Role.INSPECTOR, area=world.town_x, username="crew", first_name=SECRET_INSPECTOR)
    plan = plan_in(world.town_x, campaign=campaign, created_by=town_staff, name=SEALED_PLAN)
    PlanInspector.objects.create(plan=plan, user=crew)
    inspection = Inspection.objects.create(plan=plan, site=world.site_a, inspector=crew, standard=standard)
    return Setup(campaign, standard, plan, inspection, crew)


@pytest.fixture
def more_sites(world):
    return [
        SiteFactory(village=v, name=f"{v.name}候选{i}") for v in (world.village_a, world.village_b) for i in range(4)
    ]
