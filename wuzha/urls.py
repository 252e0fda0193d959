"""Top-level URLs: one namespace per app; every page needs a login unless marked otherwise."""
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from sites.auth import AdminLoginForm, PortalLoginView, PortalPasswordChangeView
from sites.totp import TotpSetupView, TotpVerifyView, admin_login
from sites.views import HomeView

admin.site.site_header = "无诈创建 · 管理后台"
admin.site.site_title = "无诈创建"
admin.site.index_title = "数据管理"
admin.site.login_form = AdminLoginForm  # the admin login refuses demo accounts too (axes guards it as well)

urlpatterns = [
    path("", HomeView.as_view(), name="home"),
    path("accounts/login/", PortalLoginView.as_view(), name="login"),
    path("accounts/2fa/", TotpVerifyView.as_view(), name="totp_verify"),
    path("accounts/2fa/setup/", TotpSetupView.as_view(), name="totp_setup"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", PortalPasswordChangeView.as_view(), name="password_change"),
    path("accounts/password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("sites/", include("sites.urls")),
    path("audit/", include("sites.audit_urls")),
    path("campaigns/", include("campaigns.urls")),
    path("sanwu/", include("campaigns.sanwu_urls")),
    path("inspections/", include("inspections.urls")),
    path("dashboard/", include("inspections.dashboard.urls")),
    path("accounts/api-tokens/", include("sites.api_token_urls")),
    path("api/v1/", include("wuzha.api_urls")),
    path("admin/login/", admin_login, name="admin_login"),  # the portal login, with its second factor
    path("admin/", admin.site.urls),
]
# No URL maps /media/: every file is served by the view of the record it belongs to (wuzha/lib/media.py),
# which finds the record through its scope; in production nginx sends the bytes (README, "Serving media").
