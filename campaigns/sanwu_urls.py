"""URLs of the 三无 pages (namespace `sanwu`), included from wuzha/urls.py."""
from django.urls import path

from . import sanwu_admin  # noqa: F401  (registers SanwuOverride in the admin)
from . import sanwu_views as v

app_name = "sanwu"
urlpatterns = [
    path("", v.SanwuStatusListView.as_view(), name="status_list"),
    path("site/<int:pk>/", v.SiteSanwuPanelView.as_view(), name="site_panel"),
    path("site/<int:pk>/override/", v.OverrideRequestView.as_view(), name="override_request"),
    path("override/<int:pk>/", v.OverrideDecideView.as_view(), name="override_decide"),
]
