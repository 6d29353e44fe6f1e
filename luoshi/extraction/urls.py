from django.urls import path

from luoshi.extraction import views

app_name = "extraction"
urlpatterns = [
    path("", views.upload, name="upload"),
    path("<int:pk>/", views.preview, name="preview"),
    path("<int:pk>/update/", views.update, name="update"),
    path("<int:pk>/confirm/", views.confirm, name="confirm"),
]
