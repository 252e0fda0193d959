"""Rectification pages: the list (with overdue) and one task with the respond and verify forms."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.generic import TemplateView
from django_filters.views import FilterView

from sites.scope import user_scope

from ..exports import RECTIFICATION_COLUMNS, XlsxExportMixin
from ..filters import RectificationFilter
from ..forms import RespondForm, VerifyForm
from ..models import Rectification
from ..services import evidence_add, rectification_respond, rectification_verify
from .common import NoStoreMixin, querystring


def _may(user, perm, rect) -> bool:
    q = user_scope(user, perm).q(area_code="site__village__code", site="site")
    return Rectification.objects.filter(pk=rect.pk).filter(q).exists()


class RectificationListView(NoStoreMixin, XlsxExportMixin, FilterView):
    export_columns, export_name = RECTIFICATION_COLUMNS, "rectifications"
    filterset_class = RectificationFilter
    paginate_by = 25
    template_name = "inspections/rectification_list.html"

    def get_filterset_kwargs(self, filterset_class):
        return {**super().get_filterset_kwargs(filterset_class), "user": self.request.user}

    def get_queryset(self):
        return Rectification.objects.visible_to(self.request.user).select_related("site__village", "inspection__plan")

    def get_context_data(self, **kwargs):
        return super().get_context_data(querystring=querystring(self.request), today=timezone.localdate(), **kwargs)


class RectificationDetailView(NoStoreMixin, TemplateView):
    model = Rectification
    template_name = "inspections/rectification_detail.html"

    def get_rect(self):
        qs = Rectification.objects.visible_to(self.request.user).select_related(
            "site__village", "inspection__plan", "item"
        )
        return get_object_or_404(qs, pk=self.kwargs["pk"])

    def page(self, rect, respond_form=None, verify_form=None):
        user = self.request.user
        may_respond = rect.status == rect.Status.OPEN and _may(user, "inspections.respond_rectification", rect)
        may_verify = rect.status == rect.Status.RESPONDED and _may(user, "inspections.verify_rectification", rect)
        return render(self.request, self.template_name, {
            "rect": rect, "photos": rect.photos.all(), "today": timezone.localdate(),
            "respond_form": (respond_form or RespondForm()) if may_respond else None,
            "verify_form": (verify_form or VerifyForm()) if may_verify else None,
        })  # fmt: skip

    def get(self, request, pk):
        return self.page(self.get_rect())

    def post(self, request, pk):
        rect = self.get_rect()
        if request.POST.get("action") == "respond":
            form = RespondForm(request.POST, request.FILES)
            if not form.is_valid():
                return self.page(rect, respond_form=form)
            try:
                with transaction.atomic():
                    rectification_respond(
                        actor=request.user, rectification=rect, response=form.cleaned_data["response"]
                    )
                    for upload in request.FILES.getlist("photos"):
                        evidence_add(actor=request.user, upload=upload, rectification=rect)
            except ValidationError as exc:
                form.add_error(None, exc)
                return self.page(self.get_rect(), respond_form=form)
            messages.success(request, "已提交整改情况,等待验收。")
        else:
            form = VerifyForm(request.POST)
            if not form.is_valid():
                return self.page(rect, verify_form=form)
            try:
                rectification_verify(
                    actor=request.user,
                    rectification=rect,
                    accept=form.cleaned_data["accept"],
                    note=form.cleaned_data["note"],
                    restore_points=form.cleaned_data["restore_points"] or 0,
                )
            except ValidationError as exc:
                form.add_error(None, exc)
                return self.page(rect, verify_form=form)
            messages.success(request, "已验收。" if form.cleaned_data["accept"] else "已退回整改。")
        return redirect(rect.get_absolute_url())
