"""GET never changes state (issue 18): every GET route of the portal, opened by a user of each role, leaves every
table as it was: the same row count and the same checksum of all rows.

Generated from the URL patterns (as tests/test_scope_crawl.py and test_headers.py are): list pages, pages
addressed by an area code, and every object page for an object of that model in the persona's village.
Excluded, on purpose: the session bookkeeping (the session row and its user's last activity) and the read
audit logs whose whole point is to record a reading (who opened a sealed plan, N6.4; who downloaded personal
data, `AccessLog`, as the assessment's ledger workbook does).
"""
import hashlib

import pytest
from django.db import connection

from tests.scope_registry import OBJECT_IN_VILLAGE
from tests.test_scope_crawl import ROUTES, url_for, view_model

PERSONAS = ["town_staff", "county_staff", "cadre_a", "inspector", "school_liaison", "superuser"]
# Tables a GET may write by design: the session and its user's last-seen time, and the logs of readings.
READ_BOOKKEEPING = {"django_session", "sites_usersession", "inspections_sealedviewlog", "sites_accesslog"}
SKIP_ROUTES = {"logout"}


def database_state() -> dict[str, tuple[int, str]]:
    """{table: (row count, sha256 of all rows in primary-key order)} for every table but the bookkeeping."""
    state = {}
    with connection.cursor() as cursor:
        for table in sorted(set(connection.introspection.table_names()) - READ_BOOKKEEPING):
            cursor.execute(f'SELECT * FROM "{table}" ORDER BY 1')  # noqa: S608 (names from the catalogue)
            rows = cursor.fetchall()
            state[table] = (len(rows), hashlib.sha256(repr(rows).encode()).hexdigest())
    return state


def get_urls(world, user) -> list[str]:
    """One URL per GET route: objects made first (in village A), so that opening them creates nothing.

    What belongs to one user (a reminder, an import job, a token) is handed to `user`, who may then open it:
    opening one's own reminder must not mark it read."""
    made = {}
    urls = []
    for name, pattern, kinds in ROUTES:
        if name in SKIP_ROUTES:
            continue
        given = {}
        if "pk" in kinds:
            model = view_model(pattern)
            if model not in made:
                made[model] = OBJECT_IN_VILLAGE[model](world.village_a)
                owner = next((f for f in model._meta.concrete_fields if f.name == "user" and f.is_relation), None)
                if owner is not None and owner.related_model == type(user):
                    model.objects.filter(pk=made[model].pk).update(user=user)
            given["pk"] = made[model].pk
        if "code" in kinds:
            given["code"] = world.village_a.code
        urls.append(url_for(name, kinds, **given))
    return urls


@pytest.fixture
def superuser(db):
    from tests.factories import UserFactory

    return UserFactory(username="get_root", is_superuser=True, is_staff=True)


@pytest.mark.parametrize("persona", PERSONAS)
def test_no_get_route_changes_the_database_N6_4(client, world, request, persona):
    user = request.getfixturevalue(persona)
    urls = get_urls(world, user)
    client.force_login(user)
    client.get("/")  # the first request of a session settles its bookkeeping
    before = database_state()
    answered = 0
    for url in urls:
        response = client.get(url)
        answered += response.status_code == 200
        after = database_state()  # after every request, so a failure names its route
        changed = sorted(t for t in before if after[t] != before[t])
        assert not changed, f"GET {url} as {persona} changed {changed}"
    assert answered > 20, f"only {answered} pages answered 200 to {persona}"
