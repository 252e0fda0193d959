"""Login pieces: the backend that refuses demo accounts in production, the login form, password change."""
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import LoginView, PasswordChangeView
from django.core.exceptions import ValidationError

from .audit import AuthEvent, auth_event_record, demo_logins_allowed, is_demo_account
from .models import UserSession

DEMO_REFUSED = "演示账号只能在演示环境中使用,本系统已停用演示账号登录。请使用分配给您的个人账号。"


class DemoAwareModelBackend(ModelBackend):
    """ModelBackend that also refuses the seeded demo accounts unless demo logins are allowed."""

    def user_can_authenticate(self, user):
        if not super().user_can_authenticate(user):
            return False
        return demo_logins_allowed() or not is_demo_account(user)


class DemoRefusalMixin:
    """Says plainly why a demo account is refused, before any password is checked or counted."""

    def clean(self):
        username = self.cleaned_data.get("username")
        if username and not demo_logins_allowed():
            from django.contrib.auth import get_user_model

            user = get_user_model()._default_manager.filter(username=username).first()
            if is_demo_account(user):
                auth_event_record(kind=AuthEvent.Kind.DEMO_REFUSED, request=self.request, user=user, success=False)
                raise ValidationError(DEMO_REFUSED, code="demo")
        return super().clean()


class LoginForm(DemoRefusalMixin, AuthenticationForm):
    pass


class AdminLoginForm(DemoRefusalMixin, AdminAuthenticationForm):
    pass


class PortalLoginView(LoginView):
    form_class = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        from .totp import needs_second_step, start_pending_login

        user = form.get_user()
        if needs_second_step(user):
            return start_pending_login(self.request, user, self.get_success_url())
        return super().form_valid(form)


class PortalPasswordChangeView(PasswordChangeView):
    """Other sessions end (see sites.audit); this one continues under its new key."""

    def form_valid(self, form):
        old_key = self.request.session.session_key
        response = super().form_valid(form)
        UserSession.objects.filter(session_key=old_key).update(session_key=self.request.session.session_key)
        return response
