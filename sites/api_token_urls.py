from django.urls import path

from . import api_token_views as views

app_name = "api_tokens"
urlpatterns = [
    path("", views.ApiTokenListView.as_view(), name="list"),
    path("new/", views.ApiTokenCreateView.as_view(), name="create"),
    path("<int:pk>/revoke/", views.ApiTokenRevokeView.as_view(), name="revoke"),
]
