"""Browsing tasks: the ledger (台账), a task's page, the sources and their task trees."""

from django.urls import path

from luoshi.tasks.views import ledger, sources, task_page

urlpatterns = [
    path("", ledger.task_list, name="list"),
    path("<int:pk>/", task_page.task_detail, name="detail"),
    path("sources/", sources.source_list, name="sources"),
    path("sources/<int:pk>/", sources.source_detail, name="source_detail"),
]
