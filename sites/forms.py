"""Forms for sites: fields validate here; scope and invariants live in the service and the model."""
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Fieldset, Layout, Submit
from django import forms

from wuzha.lib.concurrency import VersionFormMixin

from .models import Area, Site


class SiteForm(VersionFormMixin, forms.ModelForm):
    """The version it was opened at travels in a hidden field: a second, stale save is refused."""

    version_field = "version"

    class Meta:
        model = Site
        fields = [
            "village", "kind", "name", "address", "contact_name", "contact_phone",
            "households", "residents", "residents_16_60", "school_level", "teachers", "students",
            "employees", "new_hires_this_year", "latitude", "longitude",
        ]  # fmt: skip
        widgets = {"contact_phone": forms.TextInput(attrs={"inputmode": "tel"})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        perm = "sites.change_site" if self.instance.pk else "sites.add_site"
        villages = Area.objects.where_user_may(user, perm).villages().select_related("parent")
        self.fields["village"].queryset = villages
        self.fields["village"].label_from_instance = lambda a: f"{a.parent.name} · {a.name}"
        if not self.instance.pk and len(villages) == 1:
            self.fields["village"].initial = villages[0]
        for name in ("households", "residents", "residents_16_60", "teachers", "students", "employees", "new_hires_this_year"):
            self.fields[name].widget.attrs["inputmode"] = "numeric"
        kind_group = {f: k for k, fields in Site.SIZE_FIELDS.items() for f in fields}
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Fieldset("基本信息", "village", "kind", "name", "address", "contact_name", "contact_phone"),
            Fieldset(
                "规模",
                *[
                    Div(f, css_class="kind-field", data_kinds=" ".join(
                        k for k, fields in Site.SIZE_FIELDS.items() if f in fields
                    ))
                    for f in kind_group
                ],
            ),
            Fieldset("位置(选填)", "latitude", "longitude"),
            "version",
            Submit("submit", "保存", css_class="btn-primary w-100 w-md-auto"),
        )
