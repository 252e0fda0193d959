"""Public tip-offs (N5.3): the no-login report and receipt-status pages, and the town staff's follow-up."""
import hashlib

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.decorators import method_decorator
from django.views import View
from django.views.generic import DetailView, FormView, ListView

from .forms_keypersons import ReasonForm
from .forms_tipoffs import AssignForm, CloseForm, LinkForm, NoteForm, ReceiptLookupForm, TipOffForm
from .models import TipOff
from .services_tipoffs import (
    tipoff_assign, tipoff_close, tipoff_contact_full_view, tipoff_link, tipoff_note, tipoff_submit,
)  # fmt: skip
from .views_common import RolePermRequiredMixin, SensitivePostMixin, client_ip

SUBMIT_LIMIT = 3  # tips per client per hour
LOOKUP_LIMIT = 20  # receipt look-ups per client per hour (codes cannot be guessed by trying)
WINDOW = 60 * 60


def _client_key(request, what: str) -> str:
    """A hashed, short-lived key for the client; the address itself is never stored."""
    raw = f"{client_ip(request) or ''}|{request.META.get('HTTP_USER_AGENT', '')[:200]}"
    return f"tipoff-{what}:{hashlib.sha256(raw.encode()).hexdigest()[:24]}"


def _over_limit(request, what: str, limit: int) -> bool:
    return cache.get(_client_key(request, what), 0) >= limit


def _count(request, what: str) -> None:
    key = _client_key(request, what)
    cache.add(key, 0, WINDOW)
    try:
        cache.incr(key)
    except ValueError:
        cache.set(key, 1, WINDOW)


@method_decorator(login_not_required, name="dispatch")
class TipOffCreateView(SensitivePostMixin, View):
    template_name = "sites/tipoffs/public_form.html"

    def get(self, request):
        return render(request, self.template_name, {"form": TipOffForm()})

    def post(self, request):
        form = TipOffForm(request.POST, request.FILES)
        if _over_limit(request, "submit", SUBMIT_LIMIT):
            form.add_error(None, "提交过于频繁,请一小时后再试;情况紧急请直接拨打 110 或 96110。")
            return render(request, self.template_name, {"form": form}, status=429)
        if form.is_valid():
            try:
                tip = tipoff_submit(**form.cleaned_data)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                _count(request, "submit")
                return render(request, "sites/tipoffs/public_done.html", {"tip": tip})
        return render(request, self.template_name, {"form": form}, status=400)


@method_decorator(login_not_required, name="dispatch")
class TipOffStatusView(View):
    """The reporter's status page: status and outcome label only (no notes, assignee or links)."""

    template_name = "sites/tipoffs/public_status.html"

    def get(self, request):
        return render(request, self.template_name, {"form": ReceiptLookupForm()})

    def post(self, request):
        form = ReceiptLookupForm(request.POST)
        if _over_limit(request, "lookup", LOOKUP_LIMIT):
            form.add_error(None, "查询过于频繁,请稍后再试。")
            return render(request, self.template_name, {"form": form}, status=429)
        tip = None
        if form.is_valid():
            _count(request, "lookup")
            tip = TipOff.objects.filter(receipt_code=form.cleaned_data["code"]).only(
                "receipt_code", "kind", "status", "outcome", "submitted_at", "closed_at"
            ).first()  # fmt: skip
            if tip is None:
                form.add_error("code", "没有找到该回执码,请核对后重新输入。")
        return render(request, self.template_name, {"form": form, "tip": tip})


class TipOffListView(RolePermRequiredMixin, ListView):
    role_perm = "sites.view_tipoff"
    template_name = "sites/tipoffs/list.html"
    paginate_by = 25

    def get_queryset(self):
        qs = TipOff.objects.visible_to(self.request.user).select_related("village__parent", "site", "assignee")
        status = self.request.GET.get("status")
        if status in TipOff.Status.values:
            qs = qs.filter(status=status)
        return qs

    def get_context_data(self, **kwargs):
        query = self.request.GET.copy()
        query.pop("page", None)
        return super().get_context_data(statuses=TipOff.Status.choices, querystring=query.urlencode(), **kwargs)


class TipOffDetailView(RolePermRequiredMixin, DetailView):
    role_perm = "sites.view_tipoff"
    model = TipOff
    template_name = "sites/tipoffs/detail.html"

    def get_queryset(self):
        return TipOff.objects.visible_to(self.request.user).select_related(
            "village__parent", "site", "assignee", "premises", "sweep", "incident"
        )  # fmt: skip

    def get_context_data(self, **kwargs):
        tip, user = self.object, self.request.user
        may_edit = TipOff.objects.editable_by(user).filter(pk=tip.pk).exists()
        ctx = {"notes": tip.notes.select_related("author"), "photos": tip.photos.all(), "may_edit": may_edit,
               "may_full": user.has_perm("sites.view_full_pii")}  # fmt: skip
        if may_edit and tip.status != TipOff.Status.CLOSED:
            ctx |= {"assign_form": AssignForm(tip=tip), "note_form": NoteForm(), "close_form": CloseForm(),
                    "link_form": LinkForm(tip=tip, user=user,
                                          initial={"premises": tip.premises, "sweep": tip.sweep, "incident": tip.incident})}  # fmt: skip
        return super().get_context_data(**ctx, **kwargs)


class TipOffActionView(RolePermRequiredMixin, DetailView):
    """One POST endpoint for assign / note / link / close; GET goes back to the tip."""

    role_perm = "sites.change_tipoff"
    model = TipOff
    FORMS = {"assign": AssignForm, "note": NoteForm, "link": LinkForm, "close": CloseForm}

    def get_queryset(self):
        return TipOff.objects.editable_by(self.request.user).select_related("village")

    def get(self, request, *args, **kwargs):
        return redirect(self.get_object())

    def post(self, request, *args, **kwargs):
        tip = self.get_object()
        action = request.POST.get("action")
        if action not in self.FORMS:
            return redirect(tip)
        kw = {"tip": tip} if action == "assign" else {"tip": tip, "user": request.user} if action == "link" else {}
        form = self.FORMS[action](request.POST, **kw)
        if not form.is_valid():
            messages.error(request, ";".join(e for errs in form.errors.values() for e in errs))
            return redirect(tip)
        data, actor = form.cleaned_data, request.user
        try:
            if action == "assign":
                tipoff_assign(actor=actor, tip=tip, assignee=data["assignee"])
            elif action == "note":
                tipoff_note(actor=actor, tip=tip, text=data["text"])
            elif action == "link":
                tipoff_link(actor=actor, tip=tip, **data)
            else:
                tipoff_close(actor=actor, tip=tip, outcome=data["outcome"], note=data["note"])
        except ValidationError as exc:
            messages.error(request, ";".join(exc.messages))
        else:
            messages.success(request, "已保存。")
        return redirect(tip)


class TipOffContactView(RolePermRequiredMixin, FormView):
    """The audited full view of the reporter's contact: a reason first, then the values once, logged."""

    role_perm = "sites.view_tipoff"
    model = TipOff
    form_class = ReasonForm
    template_name = "sites/tipoffs/contact.html"

    def dispatch(self, request, *args, **kwargs):
        response = super().dispatch(request, *args, **kwargs)
        response["Cache-Control"] = "no-store"
        return response

    def get_tip(self):
        tip = TipOff.objects.visible_to(self.request.user).filter(pk=self.kwargs["pk"]).first()
        if tip is None:
            from django.http import Http404

            raise Http404
        if not self.request.user.has_perm("sites.view_full_pii"):
            raise PermissionDenied
        return tip

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "label": "查看理由", "submit": "查看完整联系方式",
                "help_text": "理由、时间、您的账号和 IP 将记入访问日志,综治办可查。"}  # fmt: skip

    def get_context_data(self, **kwargs):
        return super().get_context_data(tip=self.get_tip(), **kwargs)

    def form_valid(self, form):
        tip = self.get_tip()
        try:
            name, phone = tipoff_contact_full_view(actor=self.request.user, tip=tip, reason=form.cleaned_data["reason"],
                                                   ip=client_ip(self.request))  # fmt: skip
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        return render(self.request, self.template_name, {"tip": tip, "full_name": name, "full_phone": phone, "shown": True})
