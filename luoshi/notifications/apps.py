from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "luoshi.notifications"
    label = "notifications"
    verbose_name = _("消息通知")

    def ready(self) -> None:
        from luoshi.notifications import signals

        signals.connect()
