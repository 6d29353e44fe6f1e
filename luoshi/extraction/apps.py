from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExtractionConfig(AppConfig):
    name = "luoshi.extraction"
    label = "extraction"
    verbose_name = _("从文件生成任务")
