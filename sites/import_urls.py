"""URLs of ledger import and export (included into the sites namespace)."""
from django.urls import path

from . import import_views as views

urlpatterns = [
    path("data/", views.ImportListView.as_view(), name="import_list"),
    path("data/<str:ledger>/template/", views.ImportTemplateView.as_view(), name="import_template"),
    path("data/<str:ledger>/upload/", views.ImportUploadView.as_view(), name="import_upload"),
    path("data/<str:ledger>/export/", views.LedgerExportView.as_view(), name="ledger_export"),
    path("data/jobs/<int:pk>/", views.ImportJobView.as_view(), name="import_job"),
    path("data/jobs/<int:pk>/progress/", views.ImportJobProgressView.as_view(), name="import_job_progress"),
    path("data/jobs/<int:pk>/confirm/", views.ImportJobConfirmView.as_view(), name="import_job_confirm"),
]
