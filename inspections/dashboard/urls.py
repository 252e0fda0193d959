"""/dashboard/…: the progress dashboard (issue 8), one view at every level of the tree."""
from django.urls import path

from .views import DashboardView

app_name = "dashboard"
urlpatterns = [
    path("", DashboardView.as_view(), name="home"),
    path("site/<int:pk>/", DashboardView.as_view(), name="site"),
    path("<str:code>/", DashboardView.as_view(), name="area"),
]
