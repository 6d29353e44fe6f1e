from django.apps import AppConfig


class GeneratorConfig(AppConfig):
    name = "luoshi.generator"
    label = "generator"
