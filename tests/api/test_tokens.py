"""API tokens: shown once, stored hashed, Token or Bearer, revocation at once, owner or staff only."""
import hashlib

from django.urls import reverse

from sites.api_token_services import api_token_revoke
from sites.models import ApiToken
from tests.factories import UserFactory


def test_token_page_shows_key_once_and_stores_only_its_hash(client, cadre_a):
    client.force_login(cadre_a)
    response = client.post(reverse("api_tokens:create"), {"name": "县平台对接"})
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    key = response.context["key"]
    assert key in response.content.decode()
    token = ApiToken.objects.get(user=cadre_a)
    assert token.hashed_key == hashlib.sha256(key.encode()).hexdigest()
    assert key not in {str(getattr(token, f.attname)) for f in ApiToken._meta.concrete_fields}
    listing = client.get(reverse("api_tokens:list")).content.decode()
    assert "县平台对接" in listing and key not in listing and token.prefix in listing


def test_token_and_bearer_headers_authenticate(api, world, cadre_a, token_for):
    key = token_for(cadre_a)
    for scheme in ("Token", "Bearer"):
        api.credentials(HTTP_AUTHORIZATION=f"{scheme} {key}")
        response = api.get(reverse("api:site-list"))
        assert response.status_code == 200, scheme
        assert {row["name"] for row in response.json()["results"]} == {"甲村幸福小区", "甲村小学"}
    assert ApiToken.objects.get(user=cadre_a).last_used_at is not None


def test_wrong_or_malformed_token_is_401_in_chinese(api, world):
    for header in ("Token nope", "Token a b", "Bearer "):
        api.credentials(HTTP_AUTHORIZATION=header)
        response = api.get(reverse("api:site-list"))
        assert response.status_code == 401, header
        assert "令牌" in response.json()["detail"]


def test_revocation_takes_effect_at_once(api, world, cadre_a, token_for):
    key = token_for(cadre_a)
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.get(reverse("api:site-list")).status_code == 200
    api_token_revoke(actor=cadre_a, token=ApiToken.objects.get(user=cadre_a))
    response = api.get(reverse("api:site-list"))
    assert response.status_code == 401
    assert response.json()["detail"] == "令牌无效或已吊销。"


def test_revocation_through_the_page(client, api, world, cadre_a, token_for):
    key = token_for(cadre_a)
    token = ApiToken.objects.get(user=cadre_a)
    client.force_login(cadre_a)
    assert "确认吊销" in client.get(reverse("api_tokens:revoke", args=[token.pk])).content.decode()
    assert client.post(reverse("api_tokens:revoke", args=[token.pk])).status_code == 302
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.get(reverse("api:site-list")).status_code == 401


def test_inactive_owner_token_is_refused(api, world, cadre_a, token_for):
    api.credentials(HTTP_AUTHORIZATION=f"Token {token_for(cadre_a)}")
    cadre_a.is_active = False
    cadre_a.save()
    assert api.get(reverse("api:site-list")).status_code == 401


def test_someone_elses_token_is_404_but_staff_may_revoke(client, world, cadre_a, cadre_b, token_for):
    token_for(cadre_b)
    token = ApiToken.objects.get(user=cadre_b)
    client.force_login(cadre_a)
    assert client.get(reverse("api_tokens:revoke", args=[token.pk])).status_code == 404
    assert client.post(reverse("api_tokens:revoke", args=[token.pk])).status_code == 404
    assert "对接" not in client.get(reverse("api_tokens:list")).content.decode()
    admin = UserFactory(username="admin", is_staff=True)
    client.force_login(admin)
    assert client.post(reverse("api_tokens:revoke", args=[token.pk])).status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_staff_may_create_a_token_for_another_user(client, world, cadre_b):
    admin = UserFactory(username="admin", is_staff=True)
    client.force_login(admin)
    response = client.post(reverse("api_tokens:create"), {"name": "代建", "user": cadre_b.pk})
    assert response.status_code == 200
    assert ApiToken.objects.get().user == cadre_b


def test_plain_user_cannot_pick_another_owner(client, world, cadre_a, cadre_b):
    client.force_login(cadre_a)
    client.post(reverse("api_tokens:create"), {"name": "想代建", "user": cadre_b.pk})
    assert ApiToken.objects.get().user == cadre_a


def test_token_list_query_count(client, world, cadre_a, token_for, django_assert_max_num_queries):
    client.force_login(cadre_a)
    for n in (1, 12):
        while ApiToken.objects.filter(user=cadre_a).count() < n:
            token_for(cadre_a)
        with django_assert_max_num_queries(8):
            assert client.get(reverse("api_tokens:list")).status_code == 200
