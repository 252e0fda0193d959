"""Two people saving the same record: the second gets a conflict message instead of overwriting.

Optimistic locking on a model's `updated_at` (auto_now): the edit form carries the version it was
opened at; the save is refused if the row has changed since.

    class SiteForm(VersionFormMixin, forms.ModelForm): ...       # adds a hidden `version` field

    @transaction.atomic
    def site_save(*, actor, site, expected_version=None):
        before = Site.objects.select_for_update().get(pk=site.pk)   # the lock closes the race
        assert_unchanged(before, expected_version)
        ...

The view passes `form.cleaned_data.get("version")` as `expected_version`.
"""
from django import forms
from django.core.exceptions import ValidationError

CONFLICT = "保存失败:在您编辑期间,{who}已修改了这条记录。请刷新页面查看最新内容后再修改。"


def version_of(instance, field: str = "updated_at") -> str:
    return _as_version(getattr(instance, field, None))


def _as_version(value) -> str:
    """A timestamp (`updated_at`) or a counter (an integer `version` field) as the form's hidden string."""
    if value is None:
        return ""
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def assert_unchanged(locked_instance, expected_version: str | None, field: str = "updated_at") -> None:
    """Raise a Chinese ValidationError if the (row-locked) instance changed since `expected_version`."""
    if expected_version not in (None, "") and version_of(locked_instance, field) != str(expected_version):
        raise ValidationError(CONFLICT.format(who="其他人"), code="conflict")


class VersionFormMixin:
    """Adds a hidden `version` field holding the record's `updated_at` (or the field named by
    `version_field`, e.g. an integer `version` counter) when the form was opened."""

    version_field = "updated_at"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"] = forms.CharField(required=False, widget=forms.HiddenInput)
        if getattr(self, "instance", None) is not None and self.instance.pk:
            self.initial["version"] = version_of(self.instance, self.version_field)
        helper = getattr(self, "helper", None)
        if helper is not None and getattr(helper, "layout", None) is not None:
            from crispy_forms.layout import Field

            helper.layout.append(Field("version"))

    def clean(self):
        cleaned = super().clean()
        instance = getattr(self, "instance", None)
        expected = cleaned.get("version")
        if instance is not None and instance.pk and expected:
            current = type(instance)._base_manager.filter(pk=instance.pk).values_list(self.version_field, flat=True).first()
            if current is not None and _as_version(current) != str(expected):
                raise ValidationError(CONFLICT.format(who="其他人"), code="conflict")
        return cleaned
