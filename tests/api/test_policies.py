"""Throttling per token (429), masked fields, Chinese errors."""
import pytest
from django.urls import reverse
from rest_framework import serializers

from tests.api.conftest import RATES
from wuzha.api import MaskedField, mask_value


@pytest.fixture
def low_rates(settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {**RATES, "token": "3/minute"}}


def test_throttle_per_token_answers_429(api, world, cadre_a, token_for, low_rates):
    first, second = token_for(cadre_a, "甲"), token_for(cadre_a, "乙")
    url = reverse("api:site-list")
    api.credentials(HTTP_AUTHORIZATION=f"Token {first}")
    assert [api.get(url).status_code for _ in range(3)] == [200, 200, 200]
    response = api.get(url)
    assert response.status_code == 429
    assert response.json()["detail"].startswith("请求过于频繁") and int(response["Retry-After"]) > 0
    # Another token of the same user has its own budget.
    api.credentials(HTTP_AUTHORIZATION=f"Token {second}")
    assert api.get(url).status_code == 200


class PersonRecord:
    name = "张三丰"
    phone = "13812345678"
    id_number = "350521199001011234"
    note = "甲村幸福路18号"


class DummySerializer(serializers.Serializer):
    name = MaskedField(kind="name")
    phone = MaskedField(kind="phone")
    id_number = MaskedField(kind="id_number")
    note = MaskedField()


def test_masked_field_never_emits_the_full_value():
    data = DummySerializer(PersonRecord()).data
    assert data == {"name": "张**", "phone": "138****5678", "id_number": "350***********1234", "note": "甲村******"}
    for field, value in data.items():
        assert value != getattr(PersonRecord, field)


def test_masked_field_cannot_be_written_or_unmasked():
    serializer = DummySerializer(data={"phone": "13900000000"}, context={"unmask": True})
    assert serializer.is_valid() and serializer.validated_data == {}
    assert all(f.read_only for f in DummySerializer().fields.values())
    with pytest.raises(TypeError):
        MaskedField(kind="phone", read_only=False, unmask=True)


@pytest.mark.parametrize("value,kind,masked", [(None, "phone", ""), ("123", "phone", "***"), ("张", "name", "张*"),
                                              ("12345", "id_number", "*****")])  # fmt: skip
def test_mask_value_short_values(value, kind, masked):
    assert mask_value(value, kind) == masked


def test_not_found_and_forbidden_speak_chinese(api, world, cadre_a, inspector):
    api.force_authenticate(cadre_a)
    missing = api.get(reverse("api:site-detail", args=[world.site_c.pk]))
    assert missing.status_code == 404 and "辖区" in missing.json()["detail"]
    api.force_authenticate(inspector)
    refused = api.post(reverse("api:site-list"), {}, format="json")
    assert refused.status_code == 403 and refused.json()["detail"] == "您的角色没有此项操作的权限。"


def test_id_filters_refuse_out_of_range_numbers_with_400(client, town_staff):
    """Found by the fuzzer: an id beyond 64 bits reached the database and answered 500."""
    client.force_login(town_staff)
    for url in ("/api/v1/campaigns/?scope=", "/api/v1/sites/?village=", "/api/v1/areas/?parent="):
        response = client.get(url + str(2**70))
        assert response.status_code == 400, url
