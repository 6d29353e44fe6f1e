"""Fast bulk writes for the generator: rows as tuples of Python values, written with COPY on
PostgreSQL (psycopg 3) and with executemany inside the one open transaction on SQLite.

A row names only the columns the generator chooses; every other column of the model gets its
Django default (auto_now fields get the generation's fixed "now", so a seed gives the same
rows). Datetimes are naive UTC: the SQLite backend stores them so, and Django sets the
PostgreSQL session's time zone to UTC, so COPY reads them as UTC too."""

from __future__ import annotations

import contextlib
import datetime as dt
import json

from django.db import connection, models

FLUSH_ROWS = 20_000


def _default(field: models.Field, now: dt.datetime):
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return now
    if field.has_default():
        value = field.get_default()
    elif field.null:
        value = None
    elif isinstance(field, models.CharField | models.TextField | models.FileField):
        value = ""
    else:
        raise ValueError(f"{field.model.__name__}.{field.name} needs a value")
    if isinstance(field, models.JSONField):
        return json.dumps(value, ensure_ascii=False)
    return value


class Table:
    """Rows for one model; `add` buffers them, `flush` writes the buffer."""

    def __init__(self, model, fields: tuple[str, ...], now: dt.datetime):
        opts = model._meta
        self.model = model
        chosen = [opts.get_field(f) for f in fields]
        rest = [
            f
            for f in opts.concrete_fields
            if f not in chosen and not (f.primary_key and isinstance(f, models.AutoField))
        ]
        self.tail = tuple(_default(f, now) for f in rest)
        self.columns = [f.column for f in chosen + rest]
        self.table = opts.db_table
        self.rows: list[tuple] = []
        self.count = 0

    def add(self, row: tuple) -> None:
        self.rows.append(row + self.tail if self.tail else row)
        if len(self.rows) >= FLUSH_ROWS:
            self.flush()

    def flush(self) -> None:
        if not self.rows:
            return
        quote = connection.ops.quote_name
        columns = ", ".join(quote(c) for c in self.columns)
        connection.ensure_connection()
        raw = connection.connection
        if connection.vendor == "postgresql":
            sql = f"COPY {quote(self.table)} ({columns}) FROM STDIN"
            with raw.cursor() as cursor, cursor.copy(sql) as copy:
                for row in self.rows:
                    copy.write_row(row)
        else:
            marks = ", ".join("?" * len(self.columns))
            raw.executemany(
                f"INSERT INTO {quote(self.table)} ({columns}) VALUES ({marks})", self.rows
            )
        self.count += len(self.rows)
        self.rows = []


def json_text(value) -> str:
    return json.dumps(value, ensure_ascii=False)


def prepare_bulk_load() -> None:
    """SQLite: no fsync while the one big transaction writes (a failed load is simply run
    again on an empty database), a larger page cache, temporary b-trees in memory."""
    if connection.vendor == "sqlite" and not connection.in_atomic_block:  # (tests: inside one)
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA synchronous=OFF")
            cursor.execute("PRAGMA cache_size=-400000")
            cursor.execute("PRAGMA temp_store=MEMORY")


def finish_bulk_load(models_with_ids: list) -> None:
    """Sequences past the ids written explicitly (PostgreSQL), fresh planner statistics,
    and SQLite back to its usual durability."""
    from django.core.management.color import no_style

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for sql in connection.ops.sequence_reset_sql(no_style(), models_with_ids):
                cursor.execute(sql)
        elif not connection.in_atomic_block:
            cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("ANALYZE")


def next_id(model) -> int:
    last = model.objects.order_by("-pk").values_list("pk", flat=True).first()
    return (last or 0) + 1


def _secondary_indexes(table: str) -> list[tuple[str, str]]:
    """(name, CREATE statement) of the table's indexes that no constraint owns."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.tablename = %s "
                "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)",
                [table],
            )
        else:
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s "
                "AND sql IS NOT NULL",
                [table],
            )
        return list(cursor.fetchall())


@contextlib.contextmanager
def indexes_deferred(models_: list):
    """Drop the secondary indexes of these tables and build them again at the end: one
    sorted build is far cheaper than millions of random inserts into each b-tree."""
    dropped = [(n, sql) for m in models_ for n, sql in _secondary_indexes(m._meta.db_table)]
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for name, _sql in dropped:
            cursor.execute(f"DROP INDEX {quote(name)}")
    yield
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":  # no index on a table with pending FK checks
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for _name, sql in dropped:
            cursor.execute(sql)
