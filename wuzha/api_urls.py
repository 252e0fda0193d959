"""/api/v1/: the router (one line per endpoint family), the OpenAPI schema and its two readers."""
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView

from campaigns.api import CampaignViewSet
from sites.api import AreaViewSet, SiteViewSet

from .api import ApiRouter

router = ApiRouter()

router.register("areas", AreaViewSet, basename="area")
router.register("sites", SiteViewSet, basename="site")
router.register("campaigns", CampaignViewSet, basename="campaign")

app_name = "api"
urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(api_version="v1"), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="swagger"),
    path("redoc/", SpectacularRedocView.as_view(url_name="api:schema", template_name="api/redoc.html"), name="redoc"),
    path("", include(router.urls)),
]
