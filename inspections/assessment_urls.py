"""URLs of the assessment pages (added to inspections/urls.py)."""
from django.urls import path

from . import views_assessment as a

urlpatterns = [
    path("assessments/", a.AssessmentListView.as_view(), name="assessment_list"),
    path("assessments/<int:pk>/", a.AssessmentDetailView.as_view(), name="assessment_detail"),
    path("assessments/<int:pk>/progress/", a.AssessmentProgressView.as_view(), name="assessment_progress"),
    path("assessments/<int:pk>/villages/<int:village>/", a.RunVillageView.as_view(), name="assessment_run_village"),
    path("assessments/<int:pk>/files/<str:kind>/", a.AssessmentFileView.as_view(), name="assessment_file"),
    path("assessments/<int:pk>/ledgers/", a.AssessmentLedgersView.as_view(), name="assessment_ledgers"),
    path("assessments/<int:pk>/print/", a.AssessmentPrintView.as_view(), name="assessment_print"),
    path("assessments/<int:pk>/compare/", a.AssessmentCompareView.as_view(), name="assessment_compare"),
    path("assessments/results/", a.MyResultsView.as_view(), name="assessment_my_results"),
    path("assessments/results/<int:pk>/", a.VillageResultView.as_view(), name="assessment_village"),
    path("assessments/appeals/<int:pk>/", a.AppealResolveView.as_view(), name="assessment_appeal"),
    path("assessments/rules/<int:pk>/", a.AssessmentRulesView.as_view(), name="assessment_rules"),
]
