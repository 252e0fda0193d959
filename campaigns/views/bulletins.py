"""Bulletins (N3.4, N3.5): staff publish and follow acknowledgements; cadres and liaisons confirm from the
home page; anyone may open the public page (content only) from the QR poster."""
import io

import qrcode
import qrcode.image.svg
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.views import View
from django.views.generic import CreateView, DetailView, ListView, UpdateView

from sites.outbox import task_enqueue
from sites.views_common import RolePermRequiredMixin

from ..bulletin_forms import AcknowledgeForm, BulletinForm
from ..bulletin_services import bulletin_publish, receipt_acknowledge
from ..models import Bulletin, BulletinReceipt
from ..tasks import bulletin_reminders


class BulletinListView(RolePermRequiredMixin, ListView):
    role_perm = "campaigns.view_bulletin"
    template_name = "campaigns/bulletins/list.html"
    paginate_by = 25

    def get_queryset(self):
        return (
            Bulletin.objects.visible_to(self.request.user).select_related("area")
            .annotate(n_total=Count("receipts"), n_done=Count("receipts", filter=Q(receipts__acknowledged_at__isnull=False)))
            .order_by("-published_at", "-pk")
        )  # fmt: skip


class BulletinCreateView(RolePermRequiredMixin, CreateView):
    role_perm = "campaigns.add_bulletin"
    model = Bulletin
    form_class = BulletinForm
    template_name = "campaigns/bulletins/form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def form_valid(self, form):
        bulletin = form.save(commit=False)
        bulletin.site_kinds = form.cleaned_data["site_kinds"]
        try:
            bulletin_publish(actor=self.request.user, bulletin=bulletin, images=form.cleaned_data["images"])
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        messages.success(self.request, f"已发布,推送至 {bulletin.receipts.count()} 个单位/村(社区)。")
        return redirect(bulletin)


class BulletinDetailView(RolePermRequiredMixin, DetailView):
    """Who has and has not confirmed; overdue ones marked; a button queues the reminder."""

    role_perm = "campaigns.view_bulletin"
    model = Bulletin
    template_name = "campaigns/bulletins/detail.html"

    def get_queryset(self):
        return Bulletin.objects.visible_to(self.request.user).select_related("area", "created_by")

    def get_context_data(self, **kwargs):
        today = timezone.localdate()
        receipts = list(self.object.receipts.select_related("site", "village", "acknowledged_by").order_by(
            "acknowledged_at", "village__code", "site__name"))  # fmt: skip
        for r in receipts:
            r.bulletin = self.object
            r.is_overdue = r.overdue_on(today)
        done = [r for r in receipts if r.acknowledged_at]
        return super().get_context_data(
            receipts=receipts, n_done=len(done), n_overdue=sum(r.is_overdue for r in receipts),
            reached=sum(r.people_reached or 0 for r in done), images=self.object.images.all(),
            public_url=self.request.build_absolute_uri(reverse("campaigns:bulletin_public", args=[self.object.public_token])),
            **kwargs,
        )  # fmt: skip


class BulletinRemindView(RolePermRequiredMixin, DetailView):
    role_perm = "campaigns.change_bulletin"
    model = Bulletin

    def get_queryset(self):
        return Bulletin.objects.editable_by(self.request.user)

    def get(self, request, *args, **kwargs):
        return redirect(self.get_object())

    def post(self, request, *args, **kwargs):
        bulletin = self.get_object()
        task_enqueue(bulletin_reminders)
        messages.success(request, "已安排催办:逾期未确认的单位将收到邮件,并在首页看到催办提示。")
        return redirect(bulletin)


@method_decorator(login_not_required, name="dispatch")
class BulletinPublicView(View):
    """Public, phone-friendly: title, type, what happened, how to guard, images. Nothing internal."""

    def get(self, request, token):
        bulletin = Bulletin.objects.prefetch_related("images").filter(public_token=token).first()
        return render(request, "campaigns/bulletins/public.html", {"bulletin": bulletin})


def _public_url(request, bulletin) -> str:
    return request.build_absolute_uri(reverse("campaigns:bulletin_public", args=[bulletin.public_token]))


class BulletinPosterView(RolePermRequiredMixin, DetailView):
    role_perm = "campaigns.view_bulletin"
    model = Bulletin
    template_name = "campaigns/bulletins/poster.html"

    def get_queryset(self):
        return Bulletin.objects.visible_to(self.request.user)

    def get_context_data(self, **kwargs):
        return super().get_context_data(public_url=_public_url(self.request, self.object), **kwargs)


class BulletinQrView(RolePermRequiredMixin, DetailView):
    role_perm = "campaigns.view_bulletin"
    model = Bulletin

    def get_queryset(self):
        return Bulletin.objects.visible_to(self.request.user)

    def render_to_response(self, context, **kwargs):
        img = qrcode.make(_public_url(self.request, self.object), image_factory=qrcode.image.svg.SvgPathImage,
                          box_size=20, border=2)  # fmt: skip
        buffer = io.BytesIO()
        img.save(buffer)
        return HttpResponse(buffer.getvalue(), content_type="image/svg+xml")


class ReceiptAcknowledgeView(RolePermRequiredMixin, UpdateView):
    role_perm = "campaigns.change_bulletinreceipt"
    model = BulletinReceipt
    form_class = AcknowledgeForm
    template_name = "campaigns/bulletins/acknowledge.html"

    def get_queryset(self):
        return BulletinReceipt.objects.editable_by(self.request.user).select_related("bulletin", "site", "village")

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            receipt_acknowledge(actor=self.request.user, receipt=self.object, channel=data["channel"],
                                people_reached=data["people_reached"], evidence=data.get("evidence"),
                                note=data.get("note", ""))  # fmt: skip
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        messages.success(self.request, "已确认传达,谢谢!")
        return redirect("home")


class BulletinHomePanelView(RolePermRequiredMixin, ListView):
    """The home panel of cadres and liaisons: bulletins still to confirm (overdue and reminded ones first)."""

    role_perm = "campaigns.change_bulletinreceipt"
    template_name = "campaigns/bulletins/home_panel.html"

    def get_queryset(self):
        return (BulletinReceipt.objects.editable_by(self.request.user).pending()
                .select_related("bulletin", "site", "village").order_by("-reminded_at", "bulletin__published_at")[:10])  # fmt: skip

    def get_context_data(self, **kwargs):
        today = timezone.localdate()
        for r in self.object_list:
            r.is_overdue = r.overdue_on(today)
        return super().get_context_data(**kwargs)
