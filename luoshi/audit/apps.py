from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "luoshi.audit"
    label = "audit"

    def ready(self) -> None:
        from luoshi.audit import auth_events  # noqa: F401  (connects the auth signal receivers)
