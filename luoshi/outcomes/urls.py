from django.urls import path

from luoshi.outcomes import views

app_name = "outcomes"
urlpatterns = [
    path("", views.outcome_list, name="list"),
    path("export/", views.outcome_export, name="export"),
    path("new/", views.outcome_new, name="new"),
    path("tasks/<int:pk>/new/", views.outcome_new_for_task, name="new_for_task"),
    path("<int:pk>/", views.outcome_detail, name="detail"),
    path("<int:pk>/revoke/", views.outcome_revoke, name="revoke"),
    path("<int:pk>/correct/", views.outcome_correct, name="correct"),
]
