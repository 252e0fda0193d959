"""Tasks: the site census, in-process without a broker and through Redis to a real worker in CI."""
import os

import pytest
from django.conf import settings

from sites.tasks import site_census
from tests.factories import SiteFactory


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)  # a worker in another process sees committed rows only
def test_site_census_round_trip(world):
    require_worker = os.environ.get("WUZHA_REQUIRE_WORKER") == "1"
    if require_worker:
        assert not settings.CELERY_TASK_ALWAYS_EAGER, "WUZHA_REQUIRE_WORKER=1 but CELERY_BROKER_URL is not set"
        assert settings.CELERY_BROKER_URL.startswith("redis://")
    SiteFactory(village=world.village_a, kind="enterprise", name="甲村工厂", households=None, residents=None)
    result = site_census.delay(world.town_x.pk)
    counts = result.get(timeout=60)
    assert counts == {"area": world.town_x.code, "by_kind": {"community": 2, "campus": 1, "enterprise": 1}}
    if require_worker:
        # The answer came back through the result backend, from another process.
        assert site_census.AsyncResult(result.id).state == "SUCCESS"
