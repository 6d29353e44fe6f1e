from django.urls import path

from luoshi.workcal import views

app_name = "workcal"
urlpatterns = [
    path("", views.calendar_page, name="calendar"),
    path("days/set/", views.day_set, name="day_set"),
    path("days/clear/", views.day_clear, name="day_clear"),
]
