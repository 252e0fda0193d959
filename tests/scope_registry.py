"""For every model a URL can address by pk: how to make one inside a given village.

Each app keeps its part in tests/<app>/scope.py. The generated scope crawl
(tests/test_scope_crawl.py) puts such an object where a persona must not reach it; a new view over
a new model fails the crawl until its model is listed.
"""
from .campaigns import scope as campaigns_scope
from .inspections import scope as inspections_scope
from .sites import scope as sites_scope

_APPS = (sites_scope, campaigns_scope, inspections_scope)

OBJECT_IN_VILLAGE = {model: make for app in _APPS for model, make in app.OBJECT_IN_VILLAGE.items()}

# URL names any visitor may open without logging in.
PUBLIC_URL_NAMES = set().union(*(app.PUBLIC_URL_NAMES for app in _APPS))

# Public files (no login) behind a token: an unknown token is 404.
PUBLIC_FILE_URL_NAMES = set().union(*(getattr(app, "PUBLIC_FILE_URL_NAMES", set()) for app in _APPS))

# URL names addressed by an area code (the crawl tries the codes of villages and towns out of scope).
AREA_CODE_URL_NAMES = set().union(*(getattr(app, "AREA_CODE_URL_NAMES", set()) for app in _APPS))
