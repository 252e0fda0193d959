"""Small form helpers shared by the apps."""
from django import forms


def style_filter_form(form: forms.Form) -> forms.Form:
    """Give a filter form's widgets Bootstrap's compact classes, for includes/filter_bar.html."""
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, (forms.Select, forms.SelectMultiple)):
            widget.attrs.setdefault("class", "form-select form-select-sm")
        elif isinstance(widget, forms.CheckboxInput):
            widget.attrs.setdefault("class", "form-check-input")
        else:
            widget.attrs.setdefault("class", "form-control form-control-sm")
    return form
