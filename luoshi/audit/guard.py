"""Append-only at the database level: triggers refuse UPDATE and DELETE of audit rows (and
TRUNCATE on PostgreSQL), whoever sends them — the app, a shell, a script (migration 0004).

SQLite: the triggers call the SQL function `luoshi_audit_sealed()`, which every Django
connection registers (`register_sqlite_guard`, on connection_created). It answers 1 (sealed)
except inside `audit_unsealed()`. A connection without the function (the sqlite3 shell, a
script) fails with "no such function" — also a refusal.
PostgreSQL: the trigger function lets a change through only when the session variable
`luoshi.audit_unsealed` is 'on'.

`audit_unsealed()` is used by one thing only: the test suite's `flush` between transactional
tests (luoshi/audit/management/commands/flush.py, allowed by the setting
LUOSHI_AUDIT_ALLOW_FLUSH, on in settings_test only). Someone who can run SQL as the table's
owner can always drop a trigger; the hash chain is what then tells (`luoshi audit verify`).
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Iterator

_unsealed: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "luoshi_audit_unsealed", default=False
)

REFUSED = "audit log is append-only"

SQLITE_TRIGGERS = [
    f"""CREATE TRIGGER IF NOT EXISTS audit_auditevent_no_{op.lower()}
    BEFORE {op} ON audit_auditevent WHEN luoshi_audit_sealed()
    BEGIN SELECT RAISE(ABORT, '{REFUSED}: {op} refused'); END"""
    for op in ("UPDATE", "DELETE")
]
SQLITE_DROP = [f"DROP TRIGGER IF EXISTS audit_auditevent_no_{op}" for op in ("update", "delete")]

PG_FUNCTION = f"""
CREATE OR REPLACE FUNCTION luoshi_audit_refuse() RETURNS trigger AS $$
BEGIN
    IF coalesce(current_setting('luoshi.audit_unsealed', true), '') = 'on' THEN
        IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
        IF TG_OP = 'UPDATE' THEN RETURN NEW; END IF;
        RETURN NULL;
    END IF;
    RAISE EXCEPTION '{REFUSED}: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql"""
PG_TRIGGERS = [
    PG_FUNCTION,
    """CREATE TRIGGER audit_auditevent_no_change BEFORE UPDATE OR DELETE ON audit_auditevent
    FOR EACH ROW EXECUTE FUNCTION luoshi_audit_refuse()""",
    """CREATE TRIGGER audit_auditevent_no_truncate BEFORE TRUNCATE ON audit_auditevent
    FOR EACH STATEMENT EXECUTE FUNCTION luoshi_audit_refuse()""",
]
PG_DROP = [
    "DROP TRIGGER IF EXISTS audit_auditevent_no_change ON audit_auditevent",
    "DROP TRIGGER IF EXISTS audit_auditevent_no_truncate ON audit_auditevent",
    "DROP FUNCTION IF EXISTS luoshi_audit_refuse()",
]


def _sealed() -> int:
    return 0 if _unsealed.get() else 1


def register_sqlite_guard(sender, connection, **kwargs) -> None:
    """connection_created: give every SQLite connection the function the triggers call."""
    if connection.vendor == "sqlite":
        connection.connection.create_function("luoshi_audit_sealed", 0, _sealed)


@contextlib.contextmanager
def audit_unsealed(connection) -> Iterator[None]:
    """Let UPDATE/DELETE/TRUNCATE of audit rows through on `connection` for the block."""
    token = _unsealed.set(True)
    pg = connection.vendor == "postgresql"
    try:
        if pg:
            with connection.cursor() as cursor:
                cursor.execute("SELECT set_config('luoshi.audit_unsealed', 'on', false)")
        yield
    finally:
        _unsealed.reset(token)
        if pg:
            with connection.cursor() as cursor:
                cursor.execute("SELECT set_config('luoshi.audit_unsealed', '', false)")


def install_triggers(connection) -> None:
    statements = PG_TRIGGERS if connection.vendor == "postgresql" else SQLITE_TRIGGERS
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def drop_triggers(connection) -> None:
    """For tests that tamper with rows on purpose (and nothing else)."""
    statements = PG_DROP if connection.vendor == "postgresql" else SQLITE_DROP
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)
