"""The REST API machinery (/api/v1/): token auth, role permissions, scoped viewsets, cursor pages,
per-token throttling, Chinese errors, masked fields and the router every app registers into.

An app adds endpoints in its own `<app>/api.py` (a serializer and a viewset subclass naming its
`model`) and one `router.register(...)` line in `wuzha/api_urls.py`. Scope never lives here: the
viewsets fetch rows only through `Model.objects.visible_to(user)` / `editable_by(user)`.
"""
from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
import django_filters
from django import forms
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import extend_schema_field
from rest_framework import mixins, permissions, serializers, viewsets
from rest_framework.filters import OrderingFilter
from rest_framework.routers import DefaultRouter
from rest_framework.settings import api_settings

from .api_policy import (  # noqa: F401 (re-exported: the API's public names live here)
    ApiTokenAuthentication,
    IdCursorPagination,
    RolePermission,
    TokenRateThrottle,
    exception_handler,
)


class ApiTokenScheme(OpenApiAuthenticationExtension):
    """Documents the token header in the schema (policies live in wuzha/api_policy.py)."""

    target_class = "wuzha.api_policy.ApiTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "在“我的 API 令牌”页面创建令牌,请求时带上请求头 `Authorization: Token <密钥>`"
            "(也接受 `Bearer <密钥>`)。",
        }


# ---------------------------------------------------------------------------------------------
# Schema: Chinese summaries from the model's verbose name


class WuzhaAutoSchema(AutoSchema):
    VERBS = {"list": "列出", "retrieve": "查看", "create": "新增", "update": "修改", "partial_update": "部分修改",
             "destroy": "删除"}  # fmt: skip

    def get_summary(self):
        model = getattr(self.view, "model", None)
        action = getattr(self.view, "action", None)
        if model is not None and action in self.VERBS:
            return f"{self.VERBS[action]}{model._meta.verbose_name}"
        return super().get_summary()

    def get_tags(self):
        model = getattr(self.view, "model", None)
        return [str(model._meta.verbose_name_plural)] if model is not None else super().get_tags()


# ---------------------------------------------------------------------------------------------
# Serializer helpers


class ScopedPrimaryKeyRelatedField(serializers.PrimaryKeyRelatedField):
    """A reference that accepts only rows the requesting user may see (`visible_to`) or, with
    `editable=True`, change (`editable_by`); anything else reads as “does not exist”."""

    def __init__(self, *, model, editable=False, narrow=None, **kwargs):
        self.model, self.editable, self.narrow = model, editable, narrow
        kwargs.setdefault("queryset", model.objects.all())
        super().__init__(**kwargs)

    def get_queryset(self):
        request = self.context.get("request")
        user = getattr(request, "user", None)
        qs = self.model.objects.editable_by(user) if self.editable else self.model.objects.visible_to(user)
        return self.narrow(qs) if self.narrow else qs


def mask_value(value, kind: str = "text") -> str:
    """Keep just enough to recognise a record: 138****0000, 350***********1234, 张*, 甲村***路.

    The one masking rule of the pages and exports (sites.masking), so the API never shows more than a page does.
    """
    from sites.masking import mask

    return mask(value, kind)


@extend_schema_field({"type": "string", "readOnly": True, "description": "已脱敏,接口不提供完整值。"})
class MaskedField(serializers.Field):
    """A read-only field that always emits the masked value; no parameter, role or request unmasks it.

    `MaskedField(kind="phone")`, `kind` one of phone / id_number / name / text.
    """

    def __init__(self, *, kind: str = "text", **kwargs):
        self.kind = kind
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, value):
        return mask_value(value, self.kind)


def validation_detail(exc: DjangoValidationError) -> dict:
    """A Django ValidationError as DRF's error body: model-wide errors under `non_field_errors`."""
    if not hasattr(exc, "error_dict"):
        return {api_settings.NON_FIELD_ERRORS_KEY: exc.messages}
    detail = dict(exc.message_dict)
    if NON_FIELD_ERRORS in detail:
        detail.setdefault(api_settings.NON_FIELD_ERRORS_KEY, []).extend(detail.pop(NON_FIELD_ERRORS))
    return detail


class ServiceModelSerializer(serializers.ModelSerializer):
    """Writes through the app's service `<entity>_<verb>(*, actor, <entity>=instance)`, never `.save()`.

    Subclasses set `service` (e.g. `staticmethod(site_save)`); the service runs `full_clean()` and
    the scope check, so the API and the forms share one validation. Django `ValidationError`s come
    back as 400 with the service's Chinese message.
    """

    service = None
    service_kwarg: str | None = None  # the service's keyword for the instance; default: the model name

    def _run_service(self, instance):
        name = self.service_kwarg or instance._meta.model_name
        try:
            return type(self).service(actor=self.context["request"].user, **{name: instance})
        except DjangoValidationError as exc:
            raise serializers.ValidationError(validation_detail(exc)) from exc

    def create(self, validated_data):
        return self._run_service(self.Meta.model(**validated_data))

    def update(self, instance, validated_data):
        for field, value in validated_data.items():
            setattr(instance, field, value)
        return self._run_service(instance)


# ---------------------------------------------------------------------------------------------
# Viewsets


class ScopedViewSetMixin:
    """Rows come only from `model.objects.visible_to(user)` (reads) or `editable_by(user)` (writes).

    Subclasses declare `model`, `serializer_class` and optionally `select_related`,
    `filterset_fields` / `filterset_class`, `ordering_fields` (indexed fields only: the crawl
    checks) and `narrow()`.
    """

    model = None
    select_related: tuple[str, ...] = ()
    prefetch_related: tuple[str, ...] = ()
    permission_classes = [RolePermission]
    filter_backends = [DjangoFilterBackend, OrderingFilter]
    pagination_class = IdCursorPagination
    ordering_fields = ["id"]
    ordering = ["-id"]

    def get_queryset(self):
        user = self.request.user
        manager = self.model.objects
        write = self.request.method not in permissions.SAFE_METHODS
        qs = self.narrow(manager.editable_by(user) if write else manager.visible_to(user))
        if self.select_related:
            qs = qs.select_related(*self.select_related)
        if self.prefetch_related:
            qs = qs.prefetch_related(*self.prefetch_related)
        return qs

    def narrow(self, queryset):
        """Hook to narrow the scoped rows further (e.g. published results only); never to widen them.
        Do not override `get_queryset`: the API crawl checks that every viewset uses this one."""
        return queryset


class ScopedReadOnlyViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """List and retrieve, scoped."""


class ScopedWriteViewSet(ScopedViewSetMixin, mixins.CreateModelMixin, mixins.UpdateModelMixin,
                         viewsets.ReadOnlyModelViewSet):  # fmt: skip
    """List, retrieve, create and update, scoped; writes go through the serializer's service.
    No delete: records are deactivated through their own endpoints, never removed."""


class ApiRouter(DefaultRouter):
    """The v1 router (instantiated in wuzha/api_urls.py); no `.json` suffix routes."""

    include_format_suffixes = False


class IdFilter(django_filters.NumberFilter):
    """A filter on a row id: a whole number within the database's range, else a 400 (never a 500)."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", 2**63 - 1)  # BigAutoField ids; SQLite's INTEGER is 64-bit too
        super().__init__(*args, **kwargs)
