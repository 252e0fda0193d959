"""`Cache-Control: no-store` for pages with personal data or sealed plans.

Every HTML response to a logged-in user is marked no-store by `NoStoreForUsersMiddleware`; views that
serve personal data to anyone else (a download, a public page with names) use `never_store` or
`NoStoreMixin` explicitly.
"""
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.decorators import method_decorator


def mark_no_store(response):
    add_never_cache_headers(response)  # no-cache, no-store, must-revalidate, private, Expires
    patch_cache_control(response, no_store=True, private=True)
    return response


def never_store(view):
    """Decorator for function views: the response is never stored by a browser or a proxy."""

    def wrapped(request, *args, **kwargs):
        return mark_no_store(view(request, *args, **kwargs))

    wrapped.__name__ = getattr(view, "__name__", "view")
    wrapped.__doc__ = view.__doc__
    wrapped.__dict__.update(getattr(view, "__dict__", {}))
    return wrapped


class NoStoreMixin:
    """Mixin for class-based views (put it first): responses are never stored."""

    @method_decorator(never_store)
    def dispatch(self, request, *args, **kwargs):
        return super().dispatch(request, *args, **kwargs)


class NoStoreForUsersMiddleware:
    """Every response to a logged-in user that is not a static file is marked no-store."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            mark_no_store(response)
        return response
