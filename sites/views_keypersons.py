"""Key-person pages (N4.2): masked everywhere; the audited full view and export live in views_pii."""
import datetime as dt

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Max, Q
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.views.generic import CreateView, DetailView, FormView, TemplateView, UpdateView

from wuzha.lib.crypto import keyed_hash

from .filters_keypersons import PII_RE, KeyPersonFilter
from .forms_keypersons import KeyPersonForm, MeasureForm, ReasonForm, RelativeForm
from .models import AbroadCase, KeyPerson, Measure, Relative
from .scope import user_has_role_perm
from .services_keypersons import (
    keyperson_annul, keyperson_close, keyperson_duplicates, keyperson_save, measure_record, relative_save,
)  # fmt: skip
from .views_common import PagedFilterView, RolePermRequiredMixin, SensitivePostMixin


class KeyPersonListView(PagedFilterView):
    filterset_class = KeyPersonFilter
    template_name = "sites/keyperson_list.html"

    def get(self, request, *args, **kwargs):
        # A full number typed into the name box: swap it for its keyed hash, so that no link on the
        # page (pagination, export) and no later URL carries it.
        value = "".join(request.GET.get("q", "").split())
        if PII_RE.fullmatch(value):
            query = request.GET.copy()
            query.pop("q")
            query["h"] = keyed_hash(value)
            return redirect(f"{request.path}?{query.urlencode()}")
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        persons = KeyPerson.objects.visible_to(self.request.user).current()
        digest = self.request.GET.get("h", "")
        if digest:  # exact lookup by keyed hash (see KeyPersonLookupView)
            persons = persons.filter(Q(id_number_hash=digest) | Q(phone_hash=digest))
        return persons.select_related("village", "cadre").order_by("village__code", "name")

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            today=timezone.localdate(),
            may_add=user_has_role_perm(self.request.user, "sites.add_keyperson"),
            may_export=self.request.user.has_perm("sites.export_keyperson"),
            **kwargs,
        )


class KeyPersonDetailView(RolePermRequiredMixin, DetailView):
    model = KeyPerson
    template_name = "sites/keyperson_detail.html"

    def get_queryset(self):
        return KeyPerson.objects.visible_to(self.request.user).select_related("village__parent", "cadre")

    def get_context_data(self, **kwargs):
        person = self.object
        return super().get_context_data(
            relatives=person.relatives.all(),
            measures=person.measures.select_related("done_by"),
            abroad=AbroadCase.objects.filter(person=person).first(),
            duplicates=keyperson_duplicates(person=person),
            may_edit=not person.annulled_at
            and KeyPerson.objects.editable_by(self.request.user).filter(pk=person.pk).exists(),
            may_full=self.request.user.has_perm("sites.view_full_pii"),
            today=timezone.localdate(),
            **kwargs,
        )


class KeyPersonFormMixin(SensitivePostMixin, RolePermRequiredMixin):
    model = KeyPerson
    form_class = KeyPersonForm
    template_name = "sites/simple_form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def form_valid(self, form):
        try:
            self.object = keyperson_save(
                actor=self.request.user, person=form.instance, expected_version=form.cleaned_data.get("version")
            )
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        messages.success(self.request, f"已保存“{self.object.name}”的档案。")
        return redirect(self.object.get_absolute_url())

    def get_context_data(self, **kwargs):
        title = f"编辑档案:{self.object.name}" if getattr(self, "object", None) else "新建重点人员档案"
        return super().get_context_data(title=title, **kwargs)


class KeyPersonCreateView(KeyPersonFormMixin, CreateView):
    role_perm = "sites.add_keyperson"


class KeyPersonUpdateView(KeyPersonFormMixin, UpdateView):
    def get_queryset(self):
        return KeyPerson.objects.editable_by(self.request.user).current()


class PersonActionView(RolePermRequiredMixin, FormView):
    """A form about one file in the user's editable scope (subclasses set form, title and `act`)."""

    model = KeyPerson
    template_name = "sites/simple_form.html"
    title = ""

    def get_person(self):
        if not hasattr(self, "_person"):
            qs = KeyPerson.objects.editable_by(self.request.user).current().select_related("village")
            self._person = get_object_or_404(qs, pk=self.kwargs["pk"])
        return self._person

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=f"{self.title}:{self.get_person().name}", person=self.get_person(),
                                        **kwargs)  # fmt: skip

    def form_valid(self, form):
        try:
            self.act(form)
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        return redirect(self.get_person().get_absolute_url())


class KeyPersonCloseView(PersonActionView):
    form_class = ReasonForm
    title = "注销档案"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "label": "注销原因", "submit": "确认注销",
                "help_text": "如:已死亡、户籍迁出且不再居住。档案注销后仍保留可查。"}  # fmt: skip

    def act(self, form):
        keyperson_close(actor=self.request.user, person=self.get_person(), reason=form.cleaned_data["reason"])
        messages.success(self.request, "档案已注销。")


class KeyPersonAnnulView(KeyPersonCloseView):
    title = "作废档案"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "label": "作废原因", "submit": "确认作废",
                "help_text": "仅用于录入错误的档案。作废后不再出现在名单中,记录和原因保留。"}  # fmt: skip

    def act(self, form):
        keyperson_annul(actor=self.request.user, person=self.get_person(), reason=form.cleaned_data["reason"])
        messages.success(self.request, "档案已作废。")


class RelativeCreateView(SensitivePostMixin, PersonActionView):
    form_class = RelativeForm
    title = "添加亲属"

    def act(self, form):
        form.instance.person = self.get_person()
        relative_save(actor=self.request.user, relative=form.instance)
        messages.success(self.request, "已添加亲属。")


class RelativeUpdateView(SensitivePostMixin, RolePermRequiredMixin, UpdateView):
    """Correct a relative; a blank phone keeps the stored one (it is never put back into the form)."""

    model = Relative
    form_class = RelativeForm
    template_name = "sites/simple_form.html"

    def get_queryset(self):
        return Relative.objects.editable_by(self.request.user).filter(person__annulled_at__isnull=True).select_related(
            "person"
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=f"修改亲属:{self.object.name}", person=self.object.person, **kwargs)

    def form_valid(self, form):
        try:
            relative_save(actor=self.request.user, relative=form.instance)
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        messages.success(self.request, "已保存亲属信息。")
        return redirect(form.instance.person.get_absolute_url())


class MeasureCreateView(PersonActionView):
    form_class = MeasureForm
    title = "记录管控措施"

    def get_initial(self):
        today = timezone.localdate()
        return {"kind": Measure.Kind.VISIT, "done_on": today, "next_due_on": today + dt.timedelta(days=30)}

    def act(self, form):
        form.instance.person, form.instance.done_by = self.get_person(), self.request.user
        measure_record(actor=self.request.user, measure=form.instance)
        messages.success(self.request, "已记录措施。")


class HomePanelView(RolePermRequiredMixin, TemplateView):
    """htmx panel on the home page: the follow-ups due — my key persons (overdue or due within a week) and
    persons abroad nobody has contacted for 30 days (N4.2, N4.3). Five queries whatever the size."""

    template_name = "sites/partials/_home_keypersons_panel.html"
    ABROAD_QUIET_DAYS = 30

    def get_context_data(self, **kwargs):
        today = timezone.localdate()
        persons = KeyPerson.objects.visible_to(self.request.user)
        mine = persons.overdue(today).filter(cadre=self.request.user).select_related("village")
        soon = (persons.current().exclude(status=KeyPerson.Status.CLOSED).filter(cadre=self.request.user)
                .filter(next_followup_on__gte=today, next_followup_on__lte=today + dt.timedelta(days=7))
                .select_related("village").order_by("next_followup_on"))  # fmt: skip
        quiet = today - dt.timedelta(days=self.ABROAD_QUIET_DAYS)
        abroad = (AbroadCase.objects.visible_to(self.request.user).open().filter(person__annulled_at__isnull=True)
                  .annotate(last=Max("attempts__done_on")).filter(Q(last__isnull=True) | Q(last__lte=quiet))
                  .select_related("person__village").order_by("last", "pk"))  # fmt: skip
        abroad_rows = list(abroad[:6])
        return super().get_context_data(
            mine=mine.order_by("next_followup_on")[:8],
            mine_count=mine.count(),
            soon=soon[:5],
            overdue_count=persons.overdue(today).count(),
            abroad_due=abroad_rows[:5],
            abroad_more=len(abroad_rows) > 5,
            abroad_open=AbroadCase.objects.visible_to(self.request.user).open().count(),
            today=today,
            **kwargs,
        )
