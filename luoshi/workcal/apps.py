from django.apps import AppConfig


class WorkcalConfig(AppConfig):
    name = "luoshi.workcal"
    label = "workcal"
