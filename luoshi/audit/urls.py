from django.urls import path

from luoshi.audit import views

app_name = "audit"
urlpatterns = [
    path("", views.audit_log_list, name="log"),
    path("export/", views.audit_log_export, name="export"),
    path("<int:pk>/", views.audit_event_detail, name="event"),
]
