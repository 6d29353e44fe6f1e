from django.urls import path

from luoshi.bulletins import views

app_name = "bulletins"
urlpatterns = [
    path("", views.bulletin_list, name="list"),
    path("new/", views.bulletin_new, name="new"),
    path("<int:pk>/", views.bulletin_detail, name="detail"),
    path("<int:pk>/download/", views.bulletin_download, name="download"),
    path("<int:pk>/issue/", views.bulletin_issue, name="issue"),
]
