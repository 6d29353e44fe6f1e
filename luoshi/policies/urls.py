from django.urls import path

from luoshi.policies import views

app_name = "policies"
urlpatterns = [
    path("", views.policy_list, name="list"),
    path("export/", views.export_policies, name="export"),
    path("new/", views.policy_create, name="create"),
    path("row/", views.deliverable_row, name="row"),
    path("<int:pk>/", views.policy_detail, name="detail"),
    path("<int:pk>/edit/", views.policy_edit, name="edit"),
    path("<int:pk>/deliverables/", views.deliverables_add, name="deliverables_add"),
    path("<int:pk>/assign/", views.deliverables_assign, name="assign"),
    path("<int:pk>/goals/", views.goal_link, name="goal_link"),
    path("<int:pk>/goals/<int:link>/remove/", views.goal_unlink, name="goal_unlink"),
    path("<int:pk>/status/", views.policy_status, name="status"),
    path("<int:pk>/file/", views.policy_file, name="file"),
    path("<int:pk>/export/", views.export_deliverables, name="export_deliverables"),
]
