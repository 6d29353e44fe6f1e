from django.apps import AppConfig
from django.db.backends.signals import connection_created


class AuditConfig(AppConfig):
    name = "luoshi.audit"
    label = "audit"

    def ready(self) -> None:
        from luoshi.audit import auth_events  # noqa: F401  (connects the auth signal receivers)
        from luoshi.audit.guard import register_sqlite_guard

        # the SQL function the append-only triggers call on SQLite (luoshi/audit/guard.py)
        connection_created.connect(register_sqlite_guard, dispatch_uid="luoshi.audit.guard")
        from luoshi.audit.settings_check import check_retention

        check_retention()
