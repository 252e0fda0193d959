from django.urls import path

from . import import_urls, views

app_name = "sites"
urlpatterns = [
    path("", views.SiteListView.as_view(), name="site_list"),
    path("new/", views.SiteCreateView.as_view(), name="site_create"),
    path("<int:pk>/", views.SiteDetailView.as_view(), name="site_detail"),
    path("<int:pk>/edit/", views.SiteUpdateView.as_view(), name="site_update"),
    path("<int:pk>/active/", views.SiteActiveView.as_view(), name="site_active"),
]
urlpatterns += import_urls.urlpatterns  # ledger import/export (issue 7)
