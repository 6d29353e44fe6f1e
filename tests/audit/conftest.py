"""Building an audit chain, and tampering with it on purpose (the triggers dropped first, as
someone with the database owner's rights would; the test's transaction puts them back)."""

from __future__ import annotations

import pytest
from django.db import connection

from luoshi.audit.guard import drop_triggers
from luoshi.audit.services import audit_log
from luoshi.org.models import Role, User


@pytest.fixture
def auditor(db):
    return User.objects.create_user(
        "aud", password="pw-Secret-2026", role=Role.AUDITOR, full_name="审计员"
    )


@pytest.fixture
def chain_of_five(db):
    """Five events (seq 1…5); returns them in order."""
    return [
        audit_log(actor=None, action=f"test.step{i}", data={"i": i, "text": f"第{i}步"})
        for i in range(1, 6)
    ]


@pytest.fixture
def tamper():
    """tamper(sql, params): run raw SQL on the audit table with the triggers dropped."""

    def run(sql: str, params=None) -> None:
        drop_triggers(connection)
        with connection.cursor() as cursor:
            cursor.execute(sql, params or [])

    return run
