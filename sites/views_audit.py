"""Audit pages for staff holding the audit rights: login events, record history, locks and sessions."""
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.views.generic import TemplateView
from django_filters.views import FilterView

from .audit import user_sessions_end, user_unlock
from .audit_filters import AuthEventFilter, HistoryFilter
from .models import AuthEvent, UserSession
from .models.audit import tracked_history_models

TYPE_LABELS = {"+": "新增", "~": "修改", "-": "删除"}


class AuditPermissionMixin(PermissionRequiredMixin):
    permission_required = "sites.view_authevent"
    raise_exception = True  # a logged-in user without the right gets 403, not the login page again


class QuerystringMixin:
    def get_context_data(self, **kwargs):
        query = self.request.GET.copy()
        query.pop("page", None)
        return super().get_context_data(querystring=query.urlencode(), **kwargs)


class AuthEventListView(AuditPermissionMixin, QuerystringMixin, FilterView):
    filterset_class = AuthEventFilter
    paginate_by = 50
    template_name = "sites/audit_auth_events.html"

    def get_queryset(self):
        return AuthEvent.objects.select_related("actor").order_by("-created_at", "-pk")

    def get_context_data(self, **kwargs):
        return super().get_context_data(retention_days=settings.WUZHA_AUDIT_RETENTION_DAYS, **kwargs)


def history_models() -> dict[str, type]:
    return {m._meta.label_lower: m for m in tracked_history_models()}


class RecordHistoryListView(AuditPermissionMixin, QuerystringMixin, FilterView):
    """History of one tracked model; each row shows what changed against the previous version."""

    filterset_class = HistoryFilter
    paginate_by = 50
    template_name = "sites/audit_history.html"

    def dispatch(self, request, *args, **kwargs):
        models = history_models()
        self.models = models
        label = request.GET.get("model") or next(iter(models))
        if label not in models:
            raise Http404("没有这类记录的历史。")
        self.history_model = models[label]
        self.label = label
        return super().dispatch(request, *args, **kwargs)

    def get_filterset_class(self):
        return type("Filter", (HistoryFilter,), {"Meta": type("Meta", (), {"model": self.history_model, "fields": []})})

    def get_filterset_kwargs(self, filterset_class):
        choices = [(label, m._meta.verbose_name) for label, m in self.models.items()]
        return {**super().get_filterset_kwargs(filterset_class), "model_choices": choices}

    def get_queryset(self):
        return self.history_model.objects.select_related("history_user").order_by("-history_date", "-history_id")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rows = list(context["page_obj"].object_list) if context.get("page_obj") else []
        context.update(
            current_model=self.label,
            changes=self.with_changes(rows),
            retention_days=settings.WUZHA_AUDIT_RETENTION_DAYS,
        )
        return context

    def with_changes(self, rows):
        """Pair each row with its previous version in one query, then list the changed fields."""
        if not rows:
            return []
        pk_name = self.history_model.instance_type._meta.pk.attname
        ids = {getattr(r, pk_name) for r in rows}
        oldest = min(r.history_date for r in rows)
        earlier = {}
        for old in self.history_model.objects.filter(**{f"{pk_name}__in": ids, "history_date__lt": oldest}).order_by(
            pk_name, "history_date", "history_id"
        ):
            earlier[getattr(old, pk_name)] = old
        fields = [f for f in self.history_model.instance_type._meta.concrete_fields if f.attname != pk_name]
        result = []
        for row in sorted(rows, key=lambda r: (r.history_date, r.history_id)):
            before = earlier.get(getattr(row, pk_name))
            diffs = []
            if row.history_type == "~" and before is not None:
                for f in fields:
                    old, new = getattr(before, f.attname), getattr(row, f.attname)
                    if old != new:
                        diffs.append((f.verbose_name, old, new))
            earlier[getattr(row, pk_name)] = row
            result.append({"row": row, "type": TYPE_LABELS.get(row.history_type, row.history_type), "diffs": diffs,
                           "object_id": getattr(row, pk_name), "title": str(row.instance)[:60]})  # fmt: skip
        result.reverse()
        return result


class AccountSecurityView(AuditPermissionMixin, TemplateView):
    """Locked usernames and IPs, and open sessions; staff with the unlock right lift locks and end sessions."""

    template_name = "sites/audit_security.html"

    def get_context_data(self, **kwargs):
        from axes.models import AccessAttempt

        locked = AccessAttempt.objects.filter(failures_since_start__gte=settings.AXES_FAILURE_LIMIT).order_by(
            "-attempt_time"
        )[:100]
        sessions = UserSession.objects.select_related("user").order_by("-created_at")[:200]
        return super().get_context_data(
            locked=locked, sessions=sessions, may_act=self.request.user.has_perm("sites.unlock_user"), **kwargs
        )

    def post(self, request, *args, **kwargs):
        if not request.user.has_perm("sites.unlock_user"):
            raise PermissionDenied("您没有解除锁定或结束会话的权限。")
        action = request.POST.get("action")
        if action == "unlock" and request.POST.get("username"):
            user_unlock(actor=request.user, username=request.POST["username"], request=request)
            messages.success(request, f"已解除用户 {request.POST['username']} 的锁定。")
        elif action == "end_sessions":
            user = get_object_or_404(get_user_model(), pk=request.POST.get("user"))
            ended = user_sessions_end(actor=request.user, user=user, request=request)
            messages.success(request, f"已结束 {user.get_username()} 的 {ended} 个会话。")
        else:
            messages.error(request, "请求不完整,未执行任何操作。")
        return redirect("audit:security")
