"""Admin of the audit trail: read-only event and history lists, user actions to unlock and end sessions."""
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin

from .audit import user_sessions_end, user_unlock
from .models import AuthEvent, TaskOutbox, TotpDevice, UserSession
from .models.audit import tracked_history_models


class ReadOnlyAdmin(admin.ModelAdmin):
    """Audit rows are append-only: the admin may look, never add, change or delete."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuthEvent)
class AuthEventAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "kind", "success", "username", "ip", "actor", "request_id"]
    list_filter = ["kind", "success", "created_at"]
    search_fields = ["username", "ip", "request_id", "detail"]
    list_select_related = ["actor"]
    date_hierarchy = "created_at"


@admin.register(UserSession)
class UserSessionAdmin(ReadOnlyAdmin):
    list_display = ["user", "created_at", "ip", "user_agent"]
    list_filter = ["created_at"]
    search_fields = ["user__username", "ip"]
    list_select_related = ["user"]


@admin.register(TaskOutbox)
class TaskOutboxAdmin(ReadOnlyAdmin):
    list_display = ["task", "created_at", "attempts", "last_error"]
    list_filter = ["task"]
    search_fields = ["task", "last_error"]


@admin.register(TotpDevice)
class TotpDeviceAdmin(admin.ModelAdmin):
    """Staff remove a lost authenticator (the user enrols again); the secret is never shown."""

    list_display = ["user", "created_at"]
    list_filter = ["created_at"]
    search_fields = ["user__username"]
    list_select_related = ["user"]
    fields = ["user", "created_at"]
    readonly_fields = ["user", "created_at"]

    def has_add_permission(self, request, obj=None):
        return False


for _history in tracked_history_models():
    admin.site.register(
        _history,
        type(
            f"{_history.__name__}Admin",
            (ReadOnlyAdmin,),
            {
                "list_display": ["history_date", "history_type", "history_user", "request_id", "history_change_reason"],
                "list_filter": ["history_type", "history_date"],
                "search_fields": ["request_id", "history_user__username"],
                "list_select_related": ["history_user"],
            },
        ),
    )

User = get_user_model()


@admin.action(description="解除所选用户的登录锁定", permissions=["change"])
def unlock_users(modeladmin, request, queryset):
    for user in queryset:
        user_unlock(actor=request.user, username=user.get_username(), request=request)
    messages.success(request, f"已解除 {queryset.count()} 个用户的锁定。")


@admin.action(description="结束所选用户的全部会话", permissions=["change"])
def end_sessions(modeladmin, request, queryset):
    ended = sum(user_sessions_end(actor=request.user, user=user, request=request) for user in queryset)
    messages.success(request, f"已结束 {ended} 个会话。")


if admin.site.is_registered(User):
    _base = type(admin.site._registry[User])
    admin.site.unregister(User)
else:
    _base = UserAdmin


@admin.register(User)
class PortalUserAdmin(_base):
    actions = [*(_base.actions or []), unlock_users, end_sessions]
