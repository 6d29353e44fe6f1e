"""Django's `flush`, which empties every table, refused for the audit log unless the setting
LUOSHI_AUDIT_ALLOW_FLUSH is on (settings_test only: the test suite empties the database
between transactional tests). Elsewhere the append-only triggers refuse to delete audit rows,
so a production `flush` fails and changes nothing."""

from __future__ import annotations

from django.conf import settings
from django.core.management.commands.flush import Command as DjangoFlush
from django.db import connections

from luoshi.audit.guard import audit_unsealed


class Command(DjangoFlush):
    def handle(self, **options):
        if not getattr(settings, "LUOSHI_AUDIT_ALLOW_FLUSH", False):
            return super().handle(**options)
        with audit_unsealed(connections[options["database"]]):
            return super().handle(**options)
