from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RechecksConfig(AppConfig):
    name = "luoshi.rechecks"
    label = "rechecks"
    verbose_name = _("回头看")
