"""“我的 API 令牌” pages: list, create (the key is shown once), revoke. Administrators see everyone's."""
from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.generic import FormView, ListView, TemplateView

from .api_token_services import api_token_create, api_token_revoke
from .models import ApiToken


class ApiTokenForm(forms.Form):
    name = forms.CharField(label="用途", max_length=60, help_text="如“县平台数据对接”,便于日后识别和吊销。")
    user = forms.ModelChoiceField(label="令牌所属用户", queryset=get_user_model().objects.none(), required=False,
                                  help_text="管理员可为其他用户创建;留空则为自己创建。")  # fmt: skip

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        if actor.is_staff or actor.is_superuser:
            self.fields["user"].queryset = get_user_model().objects.filter(is_active=True).order_by("username")
        else:
            del self.fields["user"]


class ApiTokenListView(ListView):
    template_name = "sites/api_token_list.html"
    paginate_by = 50

    def get_queryset(self):
        return ApiToken.objects.visible_to(self.request.user).select_related("user")

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            is_admin=self.request.user.is_staff or self.request.user.is_superuser, **kwargs
        )


class ApiTokenCreateView(FormView):
    form_class = ApiTokenForm
    template_name = "sites/api_token_form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "actor": self.request.user}

    def form_valid(self, form):
        owner = form.cleaned_data.get("user") or self.request.user
        token, key = api_token_create(actor=self.request.user, user=owner, name=form.cleaned_data["name"])
        # Rendered, not redirected: the key must not travel through the session or a URL.
        response = render(self.request, "sites/api_token_created.html", {"token": token, "key": key})
        response["Cache-Control"] = "no-store"
        return response


class ApiTokenRevokeView(TemplateView):
    """GET asks to confirm; POST revokes. Someone else's token is 404."""

    model = ApiToken
    template_name = "sites/api_token_confirm_revoke.html"

    def get_token(self):
        return get_object_or_404(ApiToken.objects.editable_by(self.request.user).select_related("user"),
                                 pk=self.kwargs["pk"])  # fmt: skip

    def get_context_data(self, **kwargs):
        return super().get_context_data(token=self.get_token(), **kwargs)

    def post(self, request, pk):
        token = api_token_revoke(actor=request.user, token=self.get_token())
        messages.success(request, f"已吊销令牌“{token.name}”,使用它的请求会立即被拒绝。")
        return redirect(reverse("api_tokens:list"))
