"""Persons abroad (N4.3): the case of one key person, the persuasion attempts and the list."""
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.views.generic import FormView

from .filters_keypersons import AbroadFilter
from .forms_keypersons import AbroadCaseForm, AttemptForm
from .models import AbroadCase
from .services_keypersons import abroad_case_save, attempt_record
from .views_common import PagedFilterView, RolePermRequiredMixin
from .views_keypersons import PersonActionView


class AbroadCaseEditView(PersonActionView):
    form_class = AbroadCaseForm
    title = "境外情况"

    def get_form_kwargs(self):
        case = AbroadCase.objects.filter(person=self.get_person()).first()
        return {**super().get_form_kwargs(), "instance": case or AbroadCase(person=self.get_person())}

    def act(self, form):
        form.instance.person = self.get_person()
        abroad_case_save(actor=self.request.user, case=form.instance)
        messages.success(self.request, "已保存境外情况。")


class AttemptCreateView(RolePermRequiredMixin, FormView):
    model = AbroadCase
    form_class = AttemptForm
    template_name = "sites/simple_form.html"

    def get_case(self):
        if not hasattr(self, "_case"):
            qs = AbroadCase.objects.editable_by(self.request.user).select_related("person")
            self._case = get_object_or_404(qs.filter(person__annulled_at__isnull=True), pk=self.kwargs["pk"])
        return self._case

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "case": self.get_case()}

    def get_initial(self):
        return {"done_on": timezone.localdate()}

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=f"记录劝返工作:{self.get_case().person.name}", **kwargs)

    def form_valid(self, form):
        form.instance.case, form.instance.done_by = self.get_case(), self.request.user
        try:
            attempt_record(actor=self.request.user, attempt=form.instance)
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        messages.success(self.request, "已记录劝返工作。")
        return redirect(self.get_case().person.get_absolute_url())


class AbroadListView(PagedFilterView):
    filterset_class = AbroadFilter
    template_name = "sites/abroad_list.html"

    def get_queryset(self):
        return (
            AbroadCase.objects.visible_to(self.request.user).filter(person__annulled_at__isnull=True)
            .select_related("person__village").order_by("person__village__code", "person__name")
        )  # fmt: skip
