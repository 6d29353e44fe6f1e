from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "luoshi.demo"
    label = "demo"
