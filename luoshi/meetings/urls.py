from django.urls import path

from luoshi.meetings import views

app_name = "meetings"
urlpatterns = [
    path("", views.meeting_list, name="list"),
    path("new/", views.meeting_create, name="meeting_create"),
    path("item-row/", views.item_row, name="item_row"),
    path("<int:pk>/", views.meeting_detail, name="detail"),
    path("<int:pk>/edit/", views.meeting_edit, name="meeting_edit"),
    path("<int:pk>/items/", views.items_add, name="items_add"),
    path("<int:pk>/generate/", views.generate, name="generate"),
    path("items/<int:pk>/edit/", views.item_edit, name="item_edit"),
    path("items/<int:pk>/remove/", views.item_remove, name="item_remove"),
    path("<int:pk>/minutes/", views.minutes_file, name="minutes_file"),
    path("instructions/", views.instruction_list, name="instructions"),
    path("instructions/new/", views.instruction_create, name="instruction_create"),
    path("instructions/<int:pk>/", views.instruction_detail, name="instruction_detail"),
    path("instructions/<int:pk>/edit/", views.instruction_edit, name="instruction_edit"),
    path("instructions/<int:pk>/report/", views.instruction_report, name="instruction_report"),
    path("instructions/<int:pk>/file/", views.instruction_file, name="instruction_file"),
    path("reports/<int:pk>/read/", views.report_read, name="report_read"),
]
