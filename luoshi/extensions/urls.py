from django.urls import path

from luoshi.extensions import views

app_name = "extensions"
urlpatterns = [
    path("", views.extension_list, name="list"),
    path("tasks/<int:pk>/new/", views.request_form, name="request"),
    path("tasks/<int:pk>/open/", views.open_for_task, name="open_for_task"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/decide/", views.decide, name="decide"),
]
