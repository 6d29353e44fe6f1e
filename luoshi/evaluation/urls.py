from django.urls import path

from luoshi.evaluation import views

app_name = "evaluation"
urlpatterns = [
    path("", views.period_list, name="periods"),
    path("periods/new/", views.period_create, name="period_create"),
    path("periods/<int:pk>/", views.period_detail, name="period"),
    path("periods/<int:pk>/score/", views.period_score, name="period_score"),
    path("periods/<int:pk>/freeze/", views.period_freeze, name="period_freeze"),
    path("periods/<int:pk>/adjust/", views.period_adjust, name="period_adjust"),
    path("periods/<int:pk>/export/", views.period_export, name="period_export"),
    path("periods/<int:pk>/units/<int:unit_id>/", views.unit_breakdown, name="unit"),
    path("periods/<int:pk>/units/<int:unit_id>/export/", views.unit_export, name="unit_export"),
    path("schemes/", views.scheme_list, name="schemes"),
    path("schemes/new/", views.scheme_edit, name="scheme_create"),
    path("schemes/<int:pk>/", views.scheme_edit, name="scheme_edit"),
    path("tasks/<int:pk>/grade/", views.task_grade, name="task_grade"),
]
