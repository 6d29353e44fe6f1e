from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutcomesConfig(AppConfig):
    name = "luoshi.outcomes"
    label = "outcomes"
    verbose_name = _("表彰与问责")
