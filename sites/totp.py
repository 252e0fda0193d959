"""Second factor (TOTP, RFC 6238): enrolment, the code step after the password, and who must use it.

After a correct password, a user with an authenticator (or staff, when WUZHA_REQUIRE_2FA_FOR_STAFF is
on) is not logged in yet: the pending login waits in the session for a 6-digit code. Five wrong
codes drop the pending login; the password must then be entered again (and counts toward lockout).
"""
import base64
import time

import pyotp
import qrcode
import qrcode.image.svg
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.views.generic import FormView

from wuzha.lib import crypto

from .audit import AuthEvent, auth_event_record
from .models import Membership, TotpDevice
from .roles import Role

PENDING = "_wuzha_2fa_pending"
SETUP_SECRET = "_wuzha_2fa_secret"
MAX_TRIES = 5
PENDING_SECONDS = 300
ISSUER = "无诈创建"


def must_use_2fa(user) -> bool:
    if not settings.WUZHA_REQUIRE_2FA_FOR_STAFF:
        return False
    return user.is_staff or Membership.objects.filter(user=user, role=Role.STAFF).exists()


def needs_second_step(user) -> bool:
    return TotpDevice.objects.filter(user=user).exists() or must_use_2fa(user)


def code_accepted(device: TotpDevice, code: str) -> bool:
    """Accept the current code (±30 s), each time step once only, so a seen code cannot be replayed."""
    totp = pyotp.TOTP(device.secret)
    now = time.time()
    for offset in (0, -1, 1):
        step = int(now // 30) + offset
        if step > device.last_step and totp.at(step * 30) == code.strip():
            device.last_step = step
            if device.pk:
                device.save(update_fields=["last_step"])
            return True
    return False


def qr_data_uri(uri: str) -> str:
    svg = qrcode.make(uri, image_factory=qrcode.image.svg.SvgPathImage, box_size=8).to_string()
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode()


def start_pending_login(request, user, next_url: str):
    """Called by the login view instead of login(): remember who passed the password, ask for the code."""
    request.session.cycle_key()
    request.session[PENDING] = {"user": user.pk, "backend": user.backend, "next": next_url, "at": int(time.time()),
                                "tries": 0}  # fmt: skip
    if TotpDevice.objects.filter(user=user).exists():
        return redirect("totp_verify")
    return redirect("totp_setup")


def pending_user(request):
    pending = request.session.get(PENDING)
    if not pending or time.time() - pending["at"] > PENDING_SECONDS:
        request.session.pop(PENDING, None)
        return None, None
    return get_user_model().objects.filter(pk=pending["user"], is_active=True).first(), pending


def finish_login(request, user, pending):
    request.session.pop(PENDING, None)
    login(request, user, backend=pending["backend"])
    return redirect(pending["next"] or settings.LOGIN_REDIRECT_URL)


@login_not_required
def admin_login(request, *args, **kwargs):
    """The admin's own login page would log in with the password alone (no second factor, no pending step):
    every admin login goes through the portal login instead, then back to the admin page asked for."""
    return redirect_to_login(request.GET.get("next") or reverse("admin:index"), reverse("login"))


class CodeForm(forms.Form):
    code = forms.CharField(label="动态口令", max_length=6, min_length=6,
                           widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
                           help_text="打开手机上的身份验证器应用,输入显示的 6 位数字。")  # fmt: skip


@method_decorator(login_not_required, name="dispatch")
class TotpVerifyView(FormView):
    form_class = CodeForm
    template_name = "registration/totp_verify.html"

    def dispatch(self, request, *args, **kwargs):
        self.user, self.pending = pending_user(request)
        if self.user is None or not TotpDevice.objects.filter(user=self.user).exists():
            return redirect("login")
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        if code_accepted(self.user.totp_device, form.cleaned_data["code"]):
            return finish_login(self.request, self.user, self.pending)
        self.pending["tries"] += 1
        self.request.session[PENDING] = self.pending
        auth_event_record(kind=AuthEvent.Kind.FAILURE, request=self.request, user=self.user, success=False,
                          detail=f"动态口令错误(第 {self.pending['tries']} 次)")  # fmt: skip
        if self.pending["tries"] >= MAX_TRIES:
            self.request.session.pop(PENDING, None)
            messages.error(self.request, "动态口令连续错误,请重新输入用户名和密码。")
            return redirect("login")
        form.add_error("code", "动态口令不正确或已使用过,请输入验证器上当前显示的数字。")
        return self.form_invalid(form)


@method_decorator(login_not_required, name="dispatch")
class TotpSetupView(FormView):
    """Enrol an authenticator: for a logged-in user, or for staff who must enrol before their first login."""

    form_class = CodeForm
    template_name = "registration/totp_setup.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.user, self.pending = request.user, None
        else:
            self.user, self.pending = pending_user(request)
            if self.user is None:
                return redirect("login")
        if TotpDevice.objects.filter(user=self.user).exists():
            messages.info(request, "已绑定动态口令。")
            return redirect("totp_verify" if self.pending else "home")
        return super().dispatch(request, *args, **kwargs)

    def secret(self) -> str:
        """The secret being enrolled, kept in the session (stored in the database) as a Fernet token too."""
        if not self.request.session.get(SETUP_SECRET):
            self.request.session[SETUP_SECRET] = crypto.encrypt(pyotp.random_base32())
        return crypto.decrypt(self.request.session[SETUP_SECRET])

    def get_context_data(self, **kwargs):
        uri = pyotp.TOTP(self.secret()).provisioning_uri(name=self.user.get_username(), issuer_name=ISSUER)
        return super().get_context_data(secret=self.secret(), qr=qr_data_uri(uri), required=self.pending, **kwargs)

    def form_valid(self, form):
        device = TotpDevice(user=self.user, secret=self.secret())
        if not code_accepted(device, form.cleaned_data["code"]):
            form.add_error("code", "动态口令不正确,请确认手机时间准确后重试。")
            return self.form_invalid(form)
        device.save()
        self.request.session.pop(SETUP_SECRET, None)
        auth_event_record(kind=AuthEvent.Kind.TOTP_ENROLLED, request=self.request, user=self.user)
        if self.pending:
            return finish_login(self.request, self.user, self.pending)
        messages.success(self.request, "动态口令已绑定,今后登录需要输入验证器上的数字。")
        return redirect(reverse("home"))
