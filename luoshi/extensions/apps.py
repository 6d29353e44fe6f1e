from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExtensionsConfig(AppConfig):
    name = "luoshi.extensions"
    label = "extensions"
    verbose_name = _("延期申请")
