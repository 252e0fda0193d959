"""What every page needs: the user's roles, the navigation they may use, and the demo-data notice."""
from django.core.cache import cache

from .roles import Role
from .scope import user_grants


def _demo_data_present() -> bool:
    from .models import Area

    flag = cache.get("wuzha:demo-present")
    if flag is None:
        flag = Area.objects.filter(is_demo=True).exists()
        cache.set("wuzha:demo-present", flag, 60)
    return flag


def portal(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"demo_data": False}
    roles = sorted({g.role for g in user_grants(user)})
    return {
        "demo_data": _demo_data_present(),
        "user_roles": roles,
        "user_role_labels": [Role(r).label for r in roles] or (["系统管理员"] if user.is_superuser else []),
    }


def reminders(request):
    """The bell's unread count, counted only if a page renders it (one indexed COUNT); none for anonymous users."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    from functools import cache

    from .reminders import unread_count

    return {"reminder_unread": cache(lambda: unread_count(user))}
