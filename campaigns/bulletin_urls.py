"""URL patterns of bulletins, appended to campaigns/urls.py (namespace campaigns)."""
from django.urls import path

from .views import bulletins as v
from .views.installs import InstallReconciliationView

urlpatterns = [
    path("bulletins/", v.BulletinListView.as_view(), name="bulletin_list"),
    path("bulletins/new/", v.BulletinCreateView.as_view(), name="bulletin_create"),
    path("bulletins/<int:pk>/", v.BulletinDetailView.as_view(), name="bulletin_detail"),
    path("bulletins/<int:pk>/remind/", v.BulletinRemindView.as_view(), name="bulletin_remind"),
    path("bulletins/<int:pk>/poster/", v.BulletinPosterView.as_view(), name="bulletin_poster"),
    path("bulletins/<int:pk>/qr.svg", v.BulletinQrView.as_view(), name="bulletin_qr"),
    path("bulletins/receipts/<int:pk>/", v.ReceiptAcknowledgeView.as_view(), name="bulletin_acknowledge"),
    path("bulletins/home-panel/", v.BulletinHomePanelView.as_view(), name="bulletin_home_panel"),
    path("b/<uuid:token>/", v.BulletinPublicView.as_view(), name="bulletin_public"),
    path("installs/", InstallReconciliationView.as_view(), name="installs"),
]
