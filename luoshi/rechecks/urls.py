from django.urls import path

from luoshi.rechecks import views

app_name = "rechecks"
urlpatterns = [
    path("", views.recheck_list, name="list"),
    path("tasks/<int:pk>/new/", views.schedule, name="schedule"),
    path("tasks/<int:pk>/open/", views.open_for_task, name="open_for_task"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/answer/", views.answer, name="answer"),
    path("<int:pk>/verdict/", views.verdict, name="verdict"),
    path("<int:pk>/cancel/", views.cancel, name="cancel"),
    path("evidence/<int:pk>/", views.evidence, name="evidence"),
]
