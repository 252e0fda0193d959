"""API fixtures: a DRF client, tokens for personas, and generous throttle rates unless a test lowers them."""
import pytest
from rest_framework.test import APIClient

from sites.api_token_services import api_token_create

RATES = {"token": "100000/hour", "user": "100000/hour", "anon": "100000/hour"}


@pytest.fixture(autouse=True)
def generous_throttle(settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": RATES}


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def token_for():
    """Make a token for a user; returns the plain key."""

    def make(user, name="测试对接"):
        return api_token_create(actor=user, user=user, name=name)[1]

    return make


@pytest.fixture
def api_as(api, token_for):
    """An API client that authenticates `user` with a fresh token (as another system would)."""

    def login(user):
        api.credentials(HTTP_AUTHORIZATION=f"Token {token_for(user)}")
        return api

    return login


@pytest.fixture(autouse=True)
def campaign_view_rights(db):
    """Until the campaigns app declares its role defaults (issue 3), every role may view campaigns here."""
    from sites.roles import Role, ensure_role_permissions

    ensure_role_permissions({role: {"campaigns.view_campaign"} for role in Role})
