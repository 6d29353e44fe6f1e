"""Task URLs that change things: sources, task fields, decomposition and the loop."""

from django.urls import path

from luoshi.tasks.views import decompose, loop, sources_edit, task_edit

urlpatterns = [
    path("sources/new/", sources_edit.source_create, name="source_create"),
    path("new/", task_edit.task_create, name="create"),
    path("sources/<int:source_pk>/new/", task_edit.task_create, name="task_create"),
    path("people/", task_edit.owner_options, name="owner_options"),
    path("<int:pk>/edit/", task_edit.task_edit, name="task_edit"),
    path("<int:pk>/decompose/", decompose.decompose, name="decompose"),
    path("<int:pk>/assign/", loop.assign, name="assign"),
    path("<int:pk>/acknowledge/", loop.acknowledge, name="acknowledge"),
    path("<int:pk>/closure/", loop.closure_request, name="closure_request"),
    path("<int:pk>/head-approve/", loop.head_approve, name="head_approve"),
    path("<int:pk>/head-return/", loop.head_return, name="head_return"),
    path("<int:pk>/verify/", loop.verify, name="verify"),
    path("<int:pk>/return/", loop.closure_return, name="return"),
    path("<int:pk>/suspend/", loop.suspend, name="suspend"),
    path("<int:pk>/resume/", loop.resume, name="resume"),
    path("<int:pk>/cancel/", loop.cancel, name="cancel"),
    path("milestones/<int:pk>/done/", loop.milestone_done, name="milestone_done"),
]
