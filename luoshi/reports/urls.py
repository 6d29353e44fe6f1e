from django.urls import path

from luoshi.reports import views

app_name = "reports"
urlpatterns = [
    path("tasks/<int:pk>/new/", views.submit, name="submit"),
    path("attachments/<int:pk>/", views.attachment, name="attachment"),
]
