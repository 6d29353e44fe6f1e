from django.apps import AppConfig


class HomeConfig(AppConfig):
    name = "luoshi.home"
    label = "home"
