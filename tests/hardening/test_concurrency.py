"""Two browsers saving the same record: the second gets a conflict message (wuzha.lib.concurrency)."""
import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction

from sites.forms import SiteForm
from sites.models import Site
from sites.services import site_save
from wuzha.lib.concurrency import VersionFormMixin, assert_unchanged, version_of


VersionedSiteForm = SiteForm  # the site form carries the mixin itself (on the Site.version counter)


def post_data(form, **changes):
    data = {name: form.initial.get(name, field.initial) for name, field in form.fields.items()}
    data = {k: ("" if v is None else getattr(v, "pk", v)) for k, v in data.items()}
    return {**data, **changes}


def test_second_save_of_the_same_record_is_refused(world, cadre_a):
    site = world.site_a
    first = VersionedSiteForm(instance=Site.objects.get(pk=site.pk), user=cadre_a)
    second = VersionedSiteForm(instance=Site.objects.get(pk=site.pk), user=cadre_a)
    assert 'type="hidden" name="version"' in str(first["version"])
    saved = VersionedSiteForm(post_data(first, households=200), instance=Site.objects.get(pk=site.pk), user=cadre_a)
    assert saved.is_valid(), saved.errors
    site_save(actor=cadre_a, site=saved.instance, expected_version=saved.cleaned_data["version"])  # as the view does
    late = VersionedSiteForm(post_data(second, households=300), instance=Site.objects.get(pk=site.pk), user=cadre_a)
    assert not late.is_valid()
    assert "在您编辑期间" in late.non_field_errors()[0]
    assert Site.objects.get(pk=site.pk).households == 200


def test_service_check_under_row_lock(world):
    site = world.site_a
    opened_at = version_of(site)
    Site.objects.filter(pk=site.pk).update(households=7)  # someone else saved: auto_now does not run on update()
    Site.objects.get(pk=site.pk).save()
    with transaction.atomic():
        locked = Site.objects.select_for_update().get(pk=site.pk)
        with pytest.raises(ValidationError) as excinfo:
            assert_unchanged(locked, opened_at)
    assert excinfo.value.code == "conflict"
    assert_unchanged(Site.objects.get(pk=site.pk), version_of(Site.objects.get(pk=site.pk)))


def test_plain_form_gets_the_field():
    class F(VersionFormMixin, forms.Form):
        name = forms.CharField()

    assert "version" in F().fields
