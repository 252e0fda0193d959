"""Generated scope tests over every URL pattern of the portal (the admin has its own staff gate).

- anonymous visitors are sent to the login page everywhere but the public pages;
- a persona gets 404 (GET and POST) for every object outside its part of the tree;
- list pages, with and without a search, never show rows of another village or town.
"""
import uuid

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from .conftest import MARK_B, MARK_Y
from .scope_registry import AREA_CODE_URL_NAMES, OBJECT_IN_VILLAGE, PUBLIC_FILE_URL_NAMES, PUBLIC_URL_NAMES

DUMMY = {"int": 1, "str": "x", "slug": "x", "uuid": uuid.UUID(int=1), "path": "x"}


def walk(patterns, namespace=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            if p.namespace in ("admin", "api"):  # the API has its own generated crawl: tests/api/
                continue
            ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
            yield from walk(p.url_patterns, ns)
        elif isinstance(p, URLPattern) and p.name:
            converters = getattr(p.pattern, "converters", {})
            kinds = {k: type(c).__name__.replace("Converter", "").lower() for k, c in converters.items()}
            yield f"{namespace}{p.name}", p, kinds


ROUTES = sorted(walk(get_resolver().url_patterns), key=lambda r: r[0])
OBJECT_ROUTES = [(name, p) for name, p, kinds in ROUTES if "pk" in kinds]
LIST_ROUTES = [name for name, p, kinds in ROUTES if not kinds and name not in PUBLIC_URL_NAMES]
CODE_ROUTES = [name for name, p, kinds in ROUTES if "code" in kinds]


def url_for(name, kinds, **given):
    kwargs = {k: given.get(k, DUMMY.get(kind, "x")) for k, kind in kinds.items()}
    return reverse(name, kwargs=kwargs or None)


def view_model(pattern):
    view = getattr(pattern.callback, "view_class", None)
    model = getattr(view, "model", None)
    assert model is not None, f"{pattern.name}: a view addressed by pk must declare `model` for the scope crawl"
    assert model in OBJECT_IN_VILLAGE, f"{model.__name__}: add it to tests/scope_registry.OBJECT_IN_VILLAGE"
    return model


def test_every_route_is_classified():
    assert ROUTES, "no URL patterns found"
    for name, pattern, kinds in ROUTES:
        if "pk" in kinds:
            view_model(pattern)
        if "code" in kinds:
            assert name in AREA_CODE_URL_NAMES, f"{name}: add it to AREA_CODE_URL_NAMES in tests/<app>/scope.py"


@pytest.mark.parametrize("name,kinds", [(n, k) for n, _, k in ROUTES], ids=[n for n, _, _ in ROUTES])
def test_anonymous_is_sent_to_login(client, db, name, kinds):
    url = url_for(name, kinds)
    response = client.get(url)
    if name in PUBLIC_FILE_URL_NAMES:  # a public file behind a token nobody was given: 404, not the login page
        assert response.status_code == 404, url
    elif name in PUBLIC_URL_NAMES:
        assert response.status_code == 200
    else:
        assert response.status_code == 302 and response.url.startswith(reverse("login")), url


# (persona, village attribute where the persona must reach nothing)
OUT_OF_SCOPE = [
    ("cadre_a", "village_b"),
    ("cadre_a", "village_c"),
    ("town_staff", "village_c"),
    ("inspector", "village_c"),
    ("school_liaison", "village_a"),
    ("school_liaison", "village_b"),
]


@pytest.mark.parametrize("persona,village", OUT_OF_SCOPE)
@pytest.mark.parametrize("name,pattern", OBJECT_ROUTES, ids=[n for n, _ in OBJECT_ROUTES])
def test_out_of_scope_object_is_404(client, world, request, persona, village, name, pattern):
    user = request.getfixturevalue(persona)
    obj = OBJECT_IN_VILLAGE[view_model(pattern)](getattr(world, village))
    kinds = {k: type(c).__name__.replace("Converter", "").lower() for k, c in pattern.pattern.converters.items()}
    url = url_for(name, kinds, pk=obj.pk)
    client.force_login(user)
    assert client.get(url).status_code == 404, f"GET {url} as {persona}"
    # A read-only view answers POST with 405 before looking anything up: that leaks nothing either.
    assert client.post(url, {}).status_code in (404, 405), f"POST {url} as {persona}"


@pytest.mark.parametrize("persona,village", OUT_OF_SCOPE)
@pytest.mark.parametrize("name", CODE_ROUTES)
def test_out_of_scope_area_code_is_404(client, world, request, persona, village, name):
    client.force_login(request.getfixturevalue(persona))
    area = getattr(world, village)
    for code in (area.code, area.parent.code):  # the village, and its town
        if persona == "town_staff" and code == world.town_x.code:
            continue  # village_c's town is town Y; town X is town staff's own
        url = reverse(name, kwargs={"code": code})
        assert client.get(url).status_code == 404, f"GET {url} as {persona}"
        assert client.post(url, {}).status_code in (404, 405), f"POST {url} as {persona}"


@pytest.mark.parametrize("persona", ["cadre_a", "town_staff", "inspector", "school_liaison", "other_town_staff"])
@pytest.mark.parametrize("name", LIST_ROUTES)
def test_lists_hold_no_out_of_scope_rows(client, world, request, persona, name):
    user = request.getfixturevalue(persona)
    client.force_login(user)
    forbidden = {MARK_Y} if persona in ("town_staff", "inspector") else {MARK_B, MARK_Y}
    if persona == "other_town_staff":
        forbidden = {MARK_B, "甲村"}
    # Search for a part of the markers (the search box echoes the term itself).
    for query in ("", "?q=专属", "?q=乙"):
        response = client.get(reverse(name) + query)
        if response.status_code != 200:
            assert response.status_code in (302, 403, 404, 405), f"{name}{query} as {persona}: {response.status_code}"
            continue
        body = response.content.decode()
        for mark in forbidden:
            assert mark not in body, f"{name}{query} shows '{mark}' to {persona}"
