"""Two people editing the same creation site: the second save gets a conflict message, nothing is overwritten."""
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from sites.models import Site
from sites.services import site_bulk_save, site_save


def form_data(response, **changes):
    """What a browser posts back: the form's initial values (incl. the hidden version) plus the user's edits."""
    form = response.context["form"]
    data = {name: form.initial.get(name, field.initial) for name, field in form.fields.items()}
    data = {k: ("" if v is None else getattr(v, "pk", v)) for k, v in data.items()}
    return {**data, **changes}


def test_second_of_two_saves_is_refused_N1(client, town_staff, world):
    client.force_login(town_staff)
    url = reverse("sites:site_update", args=[world.site_a.pk])
    first = form_data(client.get(url), households=200)
    second = form_data(client.get(url), households=300, contact_name="王五")
    assert first["version"] == second["version"] == "1"

    assert client.post(url, first).status_code == 302
    response = client.post(url, second)

    assert response.status_code == 200
    body = response.content.decode()
    assert "在您编辑期间" in body and "请刷新页面" in body
    site = Site.objects.get(pk=world.site_a.pk)
    assert site.households == 200 and site.contact_name != "王五" and site.version == 2
    reopened = form_data(client.get(url), households=300)  # after a refresh the edit goes through
    assert client.post(url, reopened).status_code == 302
    assert Site.objects.get(pk=world.site_a.pk).households == 300


def test_service_refuses_stale_version_and_counts_saves_N1(world, town_staff):
    site = Site.objects.get(pk=world.site_a.pk)
    site.households = 11
    site_save(actor=town_staff, site=site, expected_version=1)
    stale = Site.objects.get(pk=world.site_a.pk)
    stale.households = 99
    with pytest.raises(ValidationError) as excinfo:
        site_save(actor=town_staff, site=stale, expected_version=1)
    assert excinfo.value.code == "conflict"
    assert Site.objects.get(pk=world.site_a.pk).households == 11
    unchecked = Site.objects.get(pk=world.site_a.pk)  # API and import writes pass no version: last one wins
    site_save(actor=town_staff, site=unchecked)
    assert Site.objects.get(pk=world.site_a.pk).version == 3


def test_bulk_save_bumps_versions_so_open_forms_go_stale_N1(world, town_staff):
    site = Site.objects.get(pk=world.site_a.pk)
    site.households = 42
    site_bulk_save(actor=town_staff, sites=[site])
    assert Site.objects.get(pk=world.site_a.pk).version == 2
    stale = Site.objects.get(pk=world.site_a.pk)
    with pytest.raises(ValidationError):
        site_save(actor=town_staff, site=stale, expected_version=1)
