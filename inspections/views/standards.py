"""Standard pages: list, detail, create, edit with an item formset, new version, Excel export and import."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.generic import DetailView, ListView, TemplateView, View

from sites.scope import user_has_role_perm
from sites.services import require_perm

from ..forms import StandardForm, StandardImportForm, StandardItemFormSet
from ..models import Standard
from ..services import standard_copy_as_new_version, standard_save, standard_set_items
from ..services.standards import standard_frozen_for
from ..xlsx import export_standard, parse_items
from .common import NoStoreMixin


class StandardListView(NoStoreMixin, ListView):
    template_name = "inspections/standard_list.html"
    paginate_by = 50

    def get_queryset(self):
        return Standard.objects.visible_to(self.request.user).select_related("campaign").prefetch_related("items")

    def get_context_data(self, **kwargs):
        may_add = user_has_role_perm(self.request.user, "inspections.add_standard")
        return super().get_context_data(may_add=may_add, **kwargs)


class StandardMixin(NoStoreMixin):
    model = Standard

    def get_standard(self, editable=False):
        qs = (
            Standard.objects.editable_by(self.request.user)
            if editable
            else Standard.objects.visible_to(self.request.user)
        )
        return get_object_or_404(qs.select_related("campaign"), pk=self.kwargs["pk"])


class StandardDetailView(StandardMixin, DetailView):
    template_name = "inspections/standard_detail.html"

    def get_object(self, queryset=None):
        return self.get_standard()

    def get_context_data(self, **kwargs):
        may_edit = Standard.objects.editable_by(self.request.user).filter(pk=self.object.pk).exists()
        return super().get_context_data(items=self.object.items.all(), may_edit=may_edit,
                                        frozen=standard_frozen_for(self.request.user, self.object),
                                        **kwargs)  # fmt: skip


class StandardEditView(StandardMixin, TemplateView):
    """Create (no pk) or edit a standard: its header and the whole item list, saved all or nothing."""

    template_name = "inspections/standard_form.html"

    def get_instance(self):
        if "pk" in self.kwargs:
            return self.get_standard(editable=True)
        require_perm(self.request.user, "inspections.add_standard")
        return Standard()

    def get(self, request, **kwargs):
        standard = self.get_instance()
        return self.render(StandardForm(instance=standard, user=request.user), StandardItemFormSet(instance=standard))

    def render(self, form, formset):
        return render(self.request, self.template_name, {"form": form, "formset": formset, "object": form.instance})

    def post(self, request, **kwargs):
        standard = self.get_instance()
        form = StandardForm(request.POST, instance=standard, user=request.user)
        formset = StandardItemFormSet(request.POST, instance=standard)
        if not (form.is_valid() and formset.is_valid()):
            return self.render(form, formset)
        items = [f.instance for f in formset.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
        try:
            with transaction.atomic():
                standard = standard_save(actor=request.user, standard=form.instance)
                standard_set_items(actor=request.user, standard=standard, items=[_fresh(i) for i in items])
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.render(form, formset)
        messages.success(request, f"已保存“{standard}”,共 {len(items)} 项。")
        return redirect(standard.get_absolute_url())


def _fresh(item):
    item.pk = None
    item.id = None
    return item


class StandardCopyView(StandardMixin, View):
    def get(self, request, pk):
        return redirect(self.get_standard().get_absolute_url())

    def post(self, request, pk):
        new = standard_copy_as_new_version(actor=request.user, standard=self.get_standard(editable=True))
        messages.success(request, f"已另存为第 {new.version} 版,可以修改。")
        return redirect(new.get_absolute_url())


class StandardExportView(StandardMixin, TemplateView):
    def get(self, request, pk):
        standard = self.get_standard()
        response = HttpResponse(
            export_standard(standard), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        response["Content-Disposition"] = f"attachment; filename=standard-{standard.pk}-v{standard.version}.xlsx"
        return response


class StandardImportView(StandardMixin, TemplateView):
    template_name = "inspections/standard_import.html"

    def get(self, request, pk):
        return render(
            request, self.template_name, {"object": self.get_standard(editable=True), "form": StandardImportForm()}
        )

    def post(self, request, pk):
        standard = self.get_standard(editable=True)
        form = StandardImportForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                items = parse_items(form.cleaned_data["file"])
                standard_set_items(actor=request.user, standard=standard, items=items)
                messages.success(request, f"已导入 {len(items)} 个评分项。")
                return redirect(standard.get_absolute_url())
            except ValidationError as exc:
                for message in exc.messages:
                    form.add_error("file", message)
        return render(request, self.template_name, {"object": standard, "form": form})
