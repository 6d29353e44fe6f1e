from django.urls import path

from luoshi.cockpit import views

app_name = "cockpit"
urlpatterns = [
    path("", views.cockpit, name="index"),
    path("tasks/", views.drill, name="drill"),
    path("goals/<int:pk>/timeline/", views.timeline, name="timeline"),
    path("tasks/<int:pk>/comment/", views.comment_add, name="comment"),
]
