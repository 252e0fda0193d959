"""Generated scope crawl over every API route (the router's registry) for every persona.

- anonymous callers get 401 everywhere;
- an object outside a persona's part of the tree is 404 for GET, and PUT/PATCH/DELETE answer
  404 or 403 (405 where the endpoint has no such method) — never 2xx, and the row is unchanged;
- lists never hold rows of another village or town;
- every viewset reads through the shared scoped `get_queryset` and orders only by indexed fields.
"""
import pytest
from django.db import models
from django.urls import reverse

from sites.scope import user_has_role_perm
from tests.conftest import MARK_B, MARK_Y
from tests.scope_registry import OBJECT_IN_VILLAGE
from wuzha.api import ScopedViewSetMixin
from wuzha.api_urls import router

from .scope import API_OBJECT_IN_VILLAGE

REGISTRY = {**API_OBJECT_IN_VILLAGE, **OBJECT_IN_VILLAGE}
ROUTES = sorted(((basename, viewset) for _, viewset, basename in router.registry), key=lambda r: r[0])
IDS = [basename for basename, _ in ROUTES]

# (persona, village where the persona must reach nothing of any model)
OUT_OF_SCOPE = [
    ("cadre_a", "village_b"),
    ("cadre_a", "village_c"),
    ("cadre_b", "village_a"),
    ("town_staff", "village_c"),
    ("other_town_staff", "village_a"),
    ("inspector", "village_c"),
    ("school_liaison", "village_b"),
    ("school_liaison", "village_c"),
]
FORBIDDEN_MARKS = {
    "cadre_a": {MARK_B, MARK_Y},
    "town_staff": {MARK_Y},
    "inspector": {MARK_Y},
    "school_liaison": {MARK_B, MARK_Y},
    "other_town_staff": {MARK_B, "甲村"},
}


def allowed_methods(viewset) -> set[str]:
    detail = {"retrieve": "GET", "update": "PUT", "partial_update": "PATCH", "destroy": "DELETE"}
    return {method for action, method in detail.items() if hasattr(viewset, action)}


def test_router_has_routes():
    assert {"area", "site", "campaign", "enrolment", "activity", "premises", "sweep", "clue-rectification", "incident",
            "keyperson", "inspection", "rectification"} <= set(IDS)


@pytest.mark.parametrize("basename,viewset", ROUTES, ids=IDS)
def test_viewset_is_scoped_and_registered(basename, viewset):
    assert viewset.model is not None, f"{viewset.__name__} must declare `model`"
    assert hasattr(viewset.model.objects, "visible_to") and hasattr(viewset.model.objects, "editable_by")
    assert viewset.get_queryset is ScopedViewSetMixin.get_queryset, (
        f"{viewset.__name__} overrides get_queryset: narrow rows with `narrow()` instead"
    )
    assert viewset.model in REGISTRY, f"add {viewset.model.__name__} to tests/<app>/scope.py OBJECT_IN_VILLAGE"


def indexed_fields(model) -> set[str]:
    names = {"id", "pk"}
    for field in model._meta.concrete_fields:
        if field.primary_key or field.unique or field.db_index:
            names.add(field.name)
    for index in model._meta.indexes:
        names.add(index.fields[0].lstrip("-"))
    for constraint in model._meta.constraints:
        if isinstance(constraint, models.UniqueConstraint) and constraint.fields and constraint.condition is None:
            names.add(constraint.fields[0])
    return names


@pytest.mark.parametrize("basename,viewset", ROUTES, ids=IDS)
def test_ordering_only_by_indexed_fields(basename, viewset):
    """Cursor pages stay fast at a million rows only when the order follows an index."""
    unindexed = set(viewset.ordering_fields) - indexed_fields(viewset.model)
    assert not unindexed, f"{basename}: ordering by unindexed {unindexed}"
    assert {f.lstrip("-") for f in viewset.ordering} <= indexed_fields(viewset.model)


@pytest.mark.parametrize("basename,viewset", ROUTES, ids=IDS)
def test_anonymous_gets_401(api, world, basename, viewset):
    obj = REGISTRY[viewset.model](world.village_a)
    for url in (reverse(f"api:{basename}-list"), reverse(f"api:{basename}-detail", args=[obj.pk])):
        response = api.get(url)
        assert response.status_code == 401, url
        assert "令牌" in response.json()["detail"]


@pytest.mark.parametrize("persona,village", OUT_OF_SCOPE)
@pytest.mark.parametrize("basename,viewset", ROUTES, ids=IDS)
def test_out_of_scope_object_is_404_and_unwritable(api, world, request, persona, village, basename, viewset):
    user = request.getfixturevalue(persona)
    obj = REGISTRY[viewset.model](getattr(world, village))
    before = {f.attname: getattr(obj, f.attname) for f in viewset.model._meta.concrete_fields}
    url = reverse(f"api:{basename}-detail", args=[obj.pk])
    api.force_authenticate(user)
    meta = viewset.model._meta
    # 404 when the role may view such rows somewhere; a role without the right gets 403 before any lookup.
    expected_get = 404 if user_has_role_perm(user, f"{meta.app_label}.view_{meta.model_name}") else 403
    assert api.get(url).status_code == expected_get, f"GET {url} as {persona}"
    allowed = allowed_methods(viewset)
    payload = {"name": "越权修改"}
    for method in ("PUT", "PATCH", "DELETE", "POST"):
        status = getattr(api, method.lower())(url, payload, format="json").status_code
        # A method the endpoint lacks: 405, or 403 first when the role lacks that right anyway.
        expected = {403, 404} if method in allowed else {403, 405}
        assert status in expected, f"{method} {url} as {persona}: {status}"
    obj.refresh_from_db()
    assert before == {f.attname: getattr(obj, f.attname) for f in viewset.model._meta.concrete_fields}


@pytest.mark.parametrize("basename,viewset", ROUTES, ids=IDS)
def test_in_scope_object_is_readable(api, world, cadre_a, town_staff, basename, viewset):
    obj = REGISTRY[viewset.model](world.village_a)
    url = reverse(f"api:{basename}-detail", args=[obj.pk])
    meta = viewset.model._meta
    for user in (cadre_a, town_staff):
        api.force_authenticate(user)
        response = api.get(url)
        if not user_has_role_perm(user, f"{meta.app_label}.view_{meta.model_name}"):
            assert response.status_code == 403, f"GET {url} as {user} (the role has no view right)"
            continue
        assert response.status_code == 200, f"GET {url} as {user}"
        assert response.json()["id"] == obj.pk


@pytest.mark.parametrize("persona", sorted(FORBIDDEN_MARKS))
@pytest.mark.parametrize("basename,viewset", ROUTES, ids=IDS)
def test_lists_hold_no_out_of_scope_rows(api, world, request, persona, basename, viewset):
    for village in (world.village_a, world.village_b, world.village_c):
        REGISTRY[viewset.model](village)
    api.force_authenticate(request.getfixturevalue(persona))
    url = reverse(f"api:{basename}-list")
    for query in ("", "?page_size=200", "?ordering=id"):
        response = api.get(url + query)
        assert response.status_code in (200, 403), f"{url}{query} as {persona}: {response.status_code}"
        body = response.content.decode()
        for mark in FORBIDDEN_MARKS[persona]:
            assert mark not in body, f"{url}{query} shows '{mark}' to {persona}"


@pytest.mark.parametrize("basename,viewset", ROUTES, ids=IDS)
def test_create_without_the_role_right_is_403(api, world, inspector, basename, viewset):
    """Inspectors may add nothing through the API (today); a POST is refused before any lookup."""
    api.force_authenticate(inspector)
    if not hasattr(viewset, "create"):
        assert api.post(reverse(f"api:{basename}-list"), {}, format="json").status_code in (403, 405)
        return
    assert api.post(reverse(f"api:{basename}-list"), {"name": "x"}, format="json").status_code == 403


@pytest.mark.parametrize("basename,viewset", ROUTES, ids=IDS)
def test_list_queries_do_not_grow_with_rows(api, world, town_staff, basename, viewset):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import AreaFactory

    counts = []
    for size in (1, 12):
        api.force_authenticate(type(town_staff).objects.get(pk=town_staff.pk))  # fresh: no cached grants
        for n in range(size):
            village = AreaFactory.village(world.town_x, 300 + size + n, name=f"加测村{size}-{n}")
            REGISTRY[viewset.model](village)
        with CaptureQueriesContext(connection) as queries:
            response = api.get(reverse(f"api:{basename}-list"))
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1] <= 6, f"{basename}: {counts} queries"


WRITABLE = [(basename, viewset) for basename, viewset in ROUTES if hasattr(viewset, "create")]
RENAMED = ("name", "title", "team", "summary")


def copy_payload(viewset, obj) -> dict:
    """What a caller would send to create a copy of `obj`: its writable fields as the API shows them,
    references included (so a copy of an out-of-scope row points at out-of-scope rows)."""
    serializer = viewset.serializer_class(obj)
    data = serializer.data
    payload = {name: data[name] for name, field in serializer.fields.items() if not field.read_only}
    for name in RENAMED:
        if isinstance(payload.get(name), str):
            payload[name] = f"{payload[name]}副本"
    return payload


@pytest.mark.parametrize("basename,viewset", WRITABLE, ids=[b for b, _ in WRITABLE])
def test_copy_of_an_in_scope_row_is_created(api, world, town_staff, basename, viewset):
    """The positive control of the test below: the same kind of body, in scope, is accepted."""
    obj = REGISTRY[viewset.model](world.village_a)
    api.force_authenticate(town_staff)
    response = api.post(reverse(f"api:{basename}-list"), copy_payload(viewset, obj), format="json")
    assert response.status_code == 201, response.json()


@pytest.mark.parametrize("persona,village", OUT_OF_SCOPE)
@pytest.mark.parametrize("basename,viewset", WRITABLE, ids=[b for b, _ in WRITABLE])
def test_create_pointing_out_of_scope_is_refused(api, world, request, persona, village, basename, viewset):
    """POST a copy of a row the persona must not reach (its village, site, campaign…): never 2xx."""
    obj = REGISTRY[viewset.model](getattr(world, village))
    payload = copy_payload(viewset, obj)
    before = viewset.model.objects.count()
    api.force_authenticate(request.getfixturevalue(persona))
    response = api.post(reverse(f"api:{basename}-list"), payload, format="json")
    assert response.status_code in (400, 403), f"POST {basename} as {persona}: {response.status_code}"
    assert viewset.model.objects.count() == before
