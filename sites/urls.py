from django.urls import path

from . import import_urls, views, views_abroad, views_areas, views_incidents, views_keypersons, views_pii

app_name = "sites"
urlpatterns = [
    path("", views.SiteListView.as_view(), name="site_list"),
    path("new/", views.SiteCreateView.as_view(), name="site_create"),
    path("<int:pk>/", views.SiteDetailView.as_view(), name="site_detail"),
    path("<int:pk>/edit/", views.SiteUpdateView.as_view(), name="site_update"),
    path("<int:pk>/active/", views.SiteActiveView.as_view(), name="site_active"),
    path("<int:pk>/areas-panel/", views_incidents.SiteAreasPanelView.as_view(), name="site_areas_panel"),
]

kp = views_keypersons
urlpatterns += [
    path("keypersons/", kp.KeyPersonListView.as_view(), name="keyperson_list"),
    path("keypersons/new/", kp.KeyPersonCreateView.as_view(), name="keyperson_create"),
    path("keypersons/lookup/", views_pii.KeyPersonLookupView.as_view(), name="keyperson_lookup"),
    path("keypersons/export/", views_pii.KeyPersonExportView.as_view(), name="keyperson_export"),
    path("keypersons/<int:pk>/", kp.KeyPersonDetailView.as_view(), name="keyperson_detail"),
    path("keypersons/<int:pk>/edit/", kp.KeyPersonUpdateView.as_view(), name="keyperson_update"),
    path("keypersons/<int:pk>/full/", views_pii.KeyPersonFullView.as_view(), name="keyperson_full"),
    path("keypersons/<int:pk>/close/", kp.KeyPersonCloseView.as_view(), name="keyperson_close"),
    path("keypersons/<int:pk>/annul/", kp.KeyPersonAnnulView.as_view(), name="keyperson_annul"),
    path("keypersons/<int:pk>/relatives/new/", kp.RelativeCreateView.as_view(), name="relative_create"),
    path("relatives/<int:pk>/edit/", kp.RelativeUpdateView.as_view(), name="relative_update"),
    path("keypersons/<int:pk>/measures/new/", kp.MeasureCreateView.as_view(), name="measure_create"),
    path("keypersons/<int:pk>/abroad/", views_abroad.AbroadCaseEditView.as_view(), name="abroad_edit"),
    path("abroad/", views_abroad.AbroadListView.as_view(), name="abroad_list"),
    path("abroad/<int:pk>/attempts/new/", views_abroad.AttemptCreateView.as_view(), name="attempt_create"),
    path("keypersons/home-panel/", kp.HomePanelView.as_view(), name="keyperson_home_panel"),
    path("access-log/", views_pii.AccessLogListView.as_view(), name="accesslog_list"),
]

ar = views_areas
urlpatterns += [
    path("premises/", ar.PremisesListView.as_view(), name="premises_list"),
    path("premises/new/", ar.PremisesCreateView.as_view(), name="premises_create"),
    path("premises/<int:pk>/", ar.PremisesDetailView.as_view(), name="premises_detail"),
    path("premises/<int:pk>/edit/", ar.PremisesUpdateView.as_view(), name="premises_update"),
    path("sweeps/", ar.SweepListView.as_view(), name="sweep_list"),
    path("sweeps/new/", ar.SweepCreateView.as_view(), name="sweep_create"),
    path("sweeps/revisit/", ar.RevisitListView.as_view(), name="revisit_list"),
    path("sweeps/<int:pk>/", ar.SweepDetailView.as_view(), name="sweep_detail"),
    path("sweeps/<int:pk>/visits/", ar.SweepVisitsView.as_view(), name="sweep_visits"),
    path("sweeps/<int:pk>/findings/new/", ar.FindingCreateView.as_view(), name="finding_create"),
    path("rectifications/", ar.RectificationListView.as_view(), name="rectification_list"),
    path("rectifications/new/", ar.RectificationCreateView.as_view(), name="rectification_create"),
    path("rectifications/<int:pk>/edit/", ar.RectificationUpdateView.as_view(), name="rectification_update"),
]

inc = views_incidents
urlpatterns += [
    path("incidents/", inc.IncidentListView.as_view(), name="incident_list"),
    path("incidents/new/", inc.IncidentCreateView.as_view(), name="incident_create"),
    path("incidents/<int:pk>/", inc.IncidentDetailView.as_view(), name="incident_detail"),
    path("incidents/<int:pk>/edit/", inc.IncidentUpdateView.as_view(), name="incident_update"),
    path("incidents/<int:pk>/annul/", inc.IncidentAnnulView.as_view(), name="incident_annul"),
]
urlpatterns += import_urls.urlpatterns  # ledger import/export (issue 7)

from . import views_tipoffs as tips  # noqa: E402  (public tip-offs, issue 10)

urlpatterns += [
    path("tip/", tips.TipOffCreateView.as_view(), name="tipoff_create"),
    path("tip/status/", tips.TipOffStatusView.as_view(), name="tipoff_status"),
    path("tipoffs/", tips.TipOffListView.as_view(), name="tipoff_list"),
    path("tipoffs/<int:pk>/", tips.TipOffDetailView.as_view(), name="tipoff_detail"),
    path("tipoffs/<int:pk>/act/", tips.TipOffActionView.as_view(), name="tipoff_act"),
    path("tipoffs/<int:pk>/contact/", tips.TipOffContactView.as_view(), name="tipoff_contact"),
]

from . import views_reminders as rem  # noqa: E402  (reminders, issue 8)

urlpatterns += [
    path("reminders/", rem.ReminderListView.as_view(), name="reminder_list"),
    path("reminders/read-all/", rem.ReminderBulkView.as_view(action="read_all"), name="reminder_read_all"),
    path("reminders/clear-read/", rem.ReminderBulkView.as_view(action="clear_read"), name="reminder_clear_read"),
    path("reminders/<int:pk>/open/", rem.ReminderOpenView.as_view(), name="reminder_open"),
    path("reminders/<int:pk>/clear/", rem.ReminderClearView.as_view(), name="reminder_clear"),
]

from . import views_files as files  # noqa: E402  (files served through their records' scope, issue 18)

urlpatterns += [
    path("tipoffs/<int:pk>/photos/<int:photo>/<str:field>/", files.TipPhotoFileView.as_view(), name="tipoff_photo"),
    path("sweeps/<int:pk>/findings/<int:finding>/photo/", files.FindingPhotoFileView.as_view(), name="finding_photo"),
]
