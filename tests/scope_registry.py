"""For every model a URL can address by pk: how to make one inside a given village.

The generated scope crawl (tests/test_scope_crawl.py) uses this to put an object where a persona
must not reach it. A new view over a new model fails the crawl until its model is listed here.
"""
from sites.models import Site

from .factories import SiteFactory

OBJECT_IN_VILLAGE = {
    Site: lambda village: SiteFactory(village=village, name=f"{village.name}的单位"),
}

# URL names any visitor may open without logging in.
PUBLIC_URL_NAMES = {"login"}
