"""The API's policies, free of DRF views so settings can name them without an import cycle:
token authentication, role permissions, cursor pages, per-token throttling, Chinese errors.
"""
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, permissions
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.pagination import CursorPagination
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from sites.scope import user_has_role_perm

# ---------------------------------------------------------------------------------------------
# Authentication


class ApiTokenAuthentication(BaseAuthentication):
    """`Authorization: Token <key>` or `Authorization: Bearer <key>`; the key is looked up by its SHA-256.

    A revoked token or an inactive user fails at once: nothing is cached between requests.
    """

    keywords = ("token", "bearer")

    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].decode(errors="replace").lower() not in self.keywords:
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed("令牌格式不正确:应为“Authorization: Token <密钥>”。")
        try:
            key = parts[1].decode()
        except UnicodeError:
            raise exceptions.AuthenticationFailed("令牌含有无效字符。") from None
        from sites.models import ApiToken
        from sites.models.api_tokens import hash_key

        token = ApiToken.objects.select_related("user").filter(hashed_key=hash_key(key)).first()
        if token is None or token.revoked_at is not None:
            raise exceptions.AuthenticationFailed("令牌无效或已吊销。")
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed("该令牌所属账号已停用。")
        token.mark_used()
        return token.user, token

    def authenticate_header(self, request):
        return 'Token realm="api"'


# ---------------------------------------------------------------------------------------------
# Permissions: the HTTP method picks the action, the role decides; scope is the queryset's job.

METHOD_ACTIONS = {"GET": "view", "HEAD": "view", "OPTIONS": "view", "POST": "add", "PUT": "change",
                  "PATCH": "change", "DELETE": "delete"}  # fmt: skip


class RolePermission(permissions.BasePermission):
    """Allow a request when one of the user's roles holds `<app>.<action>_<model>` somewhere.

    Whether a given object lies in the user's part of the tree is decided by the queryset
    (`visible_to` / `editable_by`): outside is 404, never 403, so existence does not leak.
    """

    message = "您的角色没有此项操作的权限。"

    def has_permission(self, request, view):
        if not (request.user and request.user.is_authenticated):
            return False
        model = getattr(view, "model", None)
        if model is None:
            return True
        action = METHOD_ACTIONS.get(request.method)
        if action is None:
            return False
        meta = model._meta
        return user_has_role_perm(request.user, f"{meta.app_label}.{action}_{meta.model_name}")


# ---------------------------------------------------------------------------------------------
# Pagination and throttling


class IdCursorPagination(CursorPagination):
    """Cursor pages over an indexed key (`-id` unless the client orders by another indexed field):
    the database seeks instead of counting and skipping, so page 10 000 costs what page 1 costs."""

    ordering = "-id"
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
    invalid_cursor_message = "无效的翻页游标。"


class TokenRateThrottle(SimpleRateThrottle):
    """Per-token limit (scope `token`); session users are limited per user (`user`), others per IP (`anon`).

    Rates are read at request time, so `override_settings(REST_FRAMEWORK=...)` works in tests.
    """

    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def allow_request(self, request, view):
        from sites.models import ApiToken

        if isinstance(request.auth, ApiToken):
            self.scope, self.ident = "token", f"{request.auth.pk}-{request.auth.prefix}"
        elif request.user and request.user.is_authenticated:
            self.scope, self.ident = "user", str(request.user.pk)
        else:
            self.scope, self.ident = "anon", self.get_ident(request)
        self.rate = self.get_rate()
        if self.rate is None:
            return True
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.ident}


# ---------------------------------------------------------------------------------------------
# Errors in Chinese, with Django's own exceptions mapped like DRF's


def exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        from .api import validation_detail

        exc = exceptions.ValidationError(validation_detail(exc))
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound("未找到该记录,或它不在您的辖区内。")
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied("您的角色没有此项操作的权限。")
    elif isinstance(exc, exceptions.Throttled):
        wait = f",请在 {int(exc.wait) + 1} 秒后再试" if exc.wait is not None else ""
        exc = exceptions.Throttled(wait=exc.wait, detail=f"请求过于频繁{wait}。")
    elif isinstance(exc, exceptions.NotAuthenticated):
        exc = exceptions.NotAuthenticated("请先登录,或在请求头中提供 API 令牌。")
    from rest_framework.views import exception_handler as drf_exception_handler

    return drf_exception_handler(exc, context)
