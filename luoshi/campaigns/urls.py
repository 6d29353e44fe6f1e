from django.urls import path

from luoshi.campaigns.views import findings, inspections, plans, unit, work

app_name = "campaigns"

urlpatterns = [
    path("", inspections.inspection_list, name="list"),
    path("new/", inspections.inspection_create, name="create"),
    path("<int:pk>/", inspections.inspection_detail, name="detail"),
    path("<int:pk>/edit/", inspections.inspection_edit, name="edit"),
    path("<int:pk>/launch/", inspections.inspection_launch, name="launch"),
    path("<int:pk>/notify/", inspections.inspection_notify, name="notify"),
    path("<int:pk>/finish/", inspections.inspection_finish, name="finish"),
    path("<int:pk>/records/", work.record_create, name="record_add"),
    path("<int:pk>/findings/", work.finding_create, name="finding_add"),
    path("<int:pk>/report/preview/", work.report_preview, name="report_preview"),
    path("<int:pk>/report/", work.report_create, name="report_issue"),
    path("<int:pk>/report/download/", work.report_download, name="report_download"),
    path("<int:pk>/outcomes/", work.outcome_create, name="outcome_add"),
    path("files/<int:pk>/", work.record_file, name="record_file"),
    path("findings/<int:pk>/", findings.finding_detail, name="finding"),
    path("findings/<int:pk>/statement/", findings.statement_create, name="statement"),
    path("findings/<int:pk>/rectify/", findings.rectification_add, name="rectify"),
    path("statements/<int:pk>/answer/", findings.statement_reply, name="answer"),
    path("plans/", plans.plan_list, name="plans"),
    path("plans/<int:pk>/", plans.plan_detail, name="plan"),
    path("plans/<int:pk>/items/", plans.plan_item_add, name="plan_item_add"),
    path("plans/<int:pk>/issue/", plans.plan_issue, name="plan_issue"),
    path("unit/", unit.unit_home, name="unit_home"),
    path("notices/<int:pk>/", unit.notice_detail, name="notice"),
]
