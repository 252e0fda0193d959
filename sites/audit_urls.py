"""URLs of the audit pages (namespace `audit`), included from wuzha/urls.py."""
from django.urls import path

from . import views_audit

app_name = "audit"
urlpatterns = [
    path("logins/", views_audit.AuthEventListView.as_view(), name="auth_events"),
    path("history/", views_audit.RecordHistoryListView.as_view(), name="history"),
    path("security/", views_audit.AccountSecurityView.as_view(), name="security"),
]
