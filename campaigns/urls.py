from django.urls import path

from . import views
from .views.home import QuickAddPanelView, RecentPanelView

app_name = "campaigns"
urlpatterns = [
    path("", views.CampaignListView.as_view(), name="campaign_list"),
    path("new/", views.CampaignCreateView.as_view(), name="campaign_create"),
    path("<int:pk>/", views.CampaignDetailView.as_view(), name="campaign_detail"),
    path("<int:pk>/edit/", views.CampaignUpdateView.as_view(), name="campaign_update"),
    path("<int:pk>/status/", views.CampaignStatusView.as_view(), name="campaign_status"),
    path("<int:pk>/rules/", views.CampaignRulesView.as_view(), name="campaign_rules"),
    path("<int:pk>/enrol/", views.EnrolView.as_view(), name="enrol"),
    path("enrolments/<int:pk>/", views.EnrolmentDetailView.as_view(), name="enrolment_detail"),
    path("enrolments/<int:pk>/move/", views.EnrolmentMoveView.as_view(), name="enrolment_move"),
    path("enrolments/<int:pk>/poster/", views.PosterView.as_view(), name="poster"),
    path("enrolments/<int:pk>/qr.svg", views.PosterQrView.as_view(), name="poster_qr"),
    path("activities/", views.ActivityListView.as_view(), name="activity_list"),
    path("activities/export/", views.ActivityExportView.as_view(), name="activity_export"),
    path("activities/new/", views.ActivityCreateView.as_view(), name="activity_create"),
    path("activities/<int:pk>/", views.ActivityDetailView.as_view(), name="activity_detail"),
    path("activities/<int:pk>/edit/", views.ActivityUpdateView.as_view(), name="activity_update"),
    path("schools/<int:pk>/", views.SchoolDutyView.as_view(), name="school_duty"),
    path("visits/", views.VisitListView.as_view(), name="visit_list"),
    path("visits/new/", views.VisitCreateView.as_view(), name="visit_create"),
    path("visits/<int:pk>/edit/", views.VisitUpdateView.as_view(), name="visit_update"),
    path("village-duties/<int:pk>/edit/", views.VillageDutyUpdateView.as_view(), name="village_duty_update"),
    path("village-duties/", views.VillageDutyListView.as_view(), name="village_duty_list"),
    path("village-duties/new/", views.VillageDutyCreateView.as_view(), name="village_duty_create"),
    path("missing/", views.ObligationView.as_view(), name="obligations"),
    path("home-panel/", views.HomePanelView.as_view(), name="home_panel"),
    path("home-recent/", RecentPanelView.as_view(), name="home_recent"),
    path("home-quick/", QuickAddPanelView.as_view(), name="home_quick"),
    path("sites/<int:pk>/panel/", views.SitePanelView.as_view(), name="site_panel"),
    path("survey/", views.SurveyView.as_view(), name="survey"),
]

from .bulletin_urls import urlpatterns as _bulletin_urls  # noqa: E402  (bulletins, issue 10)

urlpatterns += _bulletin_urls

from .views import files as _files  # noqa: E402  (files served through their records' scope, issue 18)

urlpatterns += [
    path("activities/<int:pk>/photos/<int:photo>/<str:field>/", _files.ActivityPhotoFileView.as_view(),
         name="activity_photo"),  # fmt: skip
    path("schools/<int:pk>/duties/<int:duty>/document/", _files.SchoolDutyFileView.as_view(), name="school_duty_file"),
    path("village-duties/<int:pk>/files/<str:field>/", _files.VillageDutyFileView.as_view(), name="village_duty_file"),
    path("bulletins/<int:pk>/attachment/", _files.BulletinAttachmentView.as_view(), name="bulletin_attachment"),
    path("bulletins/<int:pk>/images/<int:image>/<str:field>/", _files.BulletinImageFileView.as_view(),
         name="bulletin_image"),  # fmt: skip
    path("bulletins/receipts/<int:pk>/evidence/", _files.ReceiptEvidenceFileView.as_view(), name="bulletin_evidence"),
    path("b/<uuid:token>/images/<int:image>/", _files.BulletinPublicImageView.as_view(), name="bulletin_public_image"),
]
