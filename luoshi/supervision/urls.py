from django.urls import path

from luoshi.supervision import views

app_name = "supervision"
urlpatterns = [
    path("ladder/", views.ladder, name="ladder"),
    path("ladder/reset/", views.ladder_reset, name="ladder_reset"),
    path("urge/", views.urge_many, name="urge_many"),
    path("tasks/<int:pk>/urge/", views.urge, name="urge"),
    path("tasks/<int:pk>/notice/", views.notice_new, name="notice_new"),
    path("tasks/<int:pk>/records/new/", views.record_new, name="record_new"),
    path("notices/", views.notice_list, name="notices"),
    path("notices/<int:pk>/", views.notice_detail, name="notice"),
    path("notices/<int:pk>/issue/", views.notice_issue, name="notice_issue"),
    path("notices/<int:pk>/reply/", views.notice_reply, name="notice_reply"),
    path("notices/<int:pk>/close/", views.notice_close, name="notice_close"),
    path("files/<int:pk>/", views.file_download, name="file"),
]
