"""Personas and a small two-town world that every scope test reuses.

Town X has villages A and B; town Y has village C. Records of village B and town Y carry the
marker strings below in their names, so a page that leaks them can be caught by a text search.
"""
from dataclasses import dataclass

import pytest

from sites.models import Area, Site
from sites.roles import Role

from .factories import AreaFactory, SiteFactory, user_with_role

MARK_B = "乙村专属"
MARK_Y = "外镇专属"


@dataclass
class World:
    county: Area
    town_x: Area
    town_y: Area
    village_a: Area
    village_b: Area
    village_c: Area
    site_a: Site
    school_a: Site
    site_b: Site
    site_c: Site


@pytest.fixture
def world(db) -> World:
    county = AreaFactory(code="350521000000", name="测试县")
    town_x = AreaFactory.town(county, 101, name="甲镇")
    town_y = AreaFactory.town(county, 102, name=f"{MARK_Y}乙镇")
    village_a = AreaFactory.village(town_x, 201, name="甲村")
    village_b = AreaFactory.village(town_x, 202, name=f"{MARK_B}乙村")
    village_c = AreaFactory.village(town_y, 201, name=f"{MARK_Y}丙村")
    return World(
        county=county,
        town_x=town_x,
        town_y=town_y,
        village_a=village_a,
        village_b=village_b,
        village_c=village_c,
        site_a=SiteFactory(village=village_a, name="甲村幸福小区"),
        school_a=SiteFactory(
            village=village_a, name="甲村小学", kind=Site.Kind.CAMPUS, school_level="primary", students=500
        ),
        site_b=SiteFactory(village=village_b, name=f"{MARK_B}小区"),
        site_c=SiteFactory(village=village_c, name=f"{MARK_Y}小区"),
    )


@pytest.fixture
def town_staff(world):
    return user_with_role(Role.STAFF, area=world.town_x, username="town_staff")


@pytest.fixture
def county_staff(world):
    return user_with_role(Role.STAFF, area=world.county, username="county_staff")


@pytest.fixture
def other_town_staff(world):
    return user_with_role(Role.STAFF, area=world.town_y, username="other_town_staff")


@pytest.fixture
def cadre_a(world):
    return user_with_role(Role.CADRE, area=world.village_a, username="cadre_a")


@pytest.fixture
def cadre_b(world):
    return user_with_role(Role.CADRE, area=world.village_b, username="cadre_b")


@pytest.fixture
def inspector(world):
    return user_with_role(Role.INSPECTOR, area=world.town_x, username="inspector")


@pytest.fixture
def school_liaison(world):
    return user_with_role(Role.LIAISON, site=world.school_a, username="school_liaison")


PERSONAS = ["town_staff", "county_staff", "other_town_staff", "cadre_a", "cadre_b", "inspector", "school_liaison"]


@pytest.fixture
def login(client):
    """Log a persona in on the test client and return the client."""

    def _login(user):
        client.force_login(user)
        return client

    return _login


@pytest.fixture
def in_process_tasks(monkeypatch):
    """Run Celery tasks in this process even when a broker is configured (CI's worker run): the test's rows
    are uncommitted, so a worker in another process could not see them. Worker round trips have their own tests."""
    from wuzha.celery import app

    monkeypatch.setitem(app.conf, "task_always_eager", True)
    monkeypatch.setitem(app.conf, "task_eager_propagates", True)
