from django.urls import path

from luoshi.home import views

urlpatterns = [
    path("", views.home, name="home"),
]
