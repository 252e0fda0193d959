from django.urls import path

from .views import home as h
from .views import inspections as i
from .views import plans as p
from .views import rectifications as r
from .views import standards as s

app_name = "inspections"
urlpatterns = [
    path("", i.InspectionListView.as_view(), name="inspection_list"),
    path("<int:pk>/", i.InspectionDetailView.as_view(), name="inspection_detail"),
    path("<int:pk>/score/", i.InspectionScoreView.as_view(), name="inspection_score"),
    path("<int:pk>/review/", i.InspectionReviewView.as_view(), name="inspection_review"),
    path("photos/<int:pk>/", i.EvidenceFileView.as_view(), name="evidence_file"),
    path("panel/home/", i.HomePanelView.as_view(), name="home_panel"),
    path("panel/rectifications/", h.RectificationHomePanelView.as_view(), name="rectification_home_panel"),
    path("panel/site/<int:pk>/", i.SitePanelView.as_view(), name="site_panel"),
    path("plans/", p.PlanListView.as_view(), name="plan_list"),
    path("plans/new/", p.PlanCreateView.as_view(), name="plan_create"),
    path("plans/<int:pk>/", p.PlanDetailView.as_view(), name="plan_detail"),
    path("plans/<int:pk>/draw/", p.PlanDrawView.as_view(), name="plan_draw"),
    path("plans/<int:pk>/add/", p.PlanAddSiteView.as_view(), name="plan_add_site"),
    path("plans/<int:pk>/audit/", p.PlanDrawAuditView.as_view(), name="plan_draw_audit"),
    path("plans/<int:pk>/publish/", p.PlanPublishView.as_view(), name="plan_publish"),
    path("standards/", s.StandardListView.as_view(), name="standard_list"),
    path("standards/new/", s.StandardEditView.as_view(), name="standard_create"),
    path("standards/<int:pk>/", s.StandardDetailView.as_view(), name="standard_detail"),
    path("standards/<int:pk>/edit/", s.StandardEditView.as_view(), name="standard_update"),
    path("standards/<int:pk>/copy/", s.StandardCopyView.as_view(), name="standard_copy"),
    path("standards/<int:pk>/export/", s.StandardExportView.as_view(), name="standard_export"),
    path("standards/<int:pk>/import/", s.StandardImportView.as_view(), name="standard_import"),
    path("rectifications/", r.RectificationListView.as_view(), name="rectification_list"),
    path("rectifications/<int:pk>/", r.RectificationDetailView.as_view(), name="rectification_detail"),
]

from .assessment_urls import urlpatterns as assessment_urlpatterns  # noqa: E402  (issue 6)

urlpatterns += assessment_urlpatterns
