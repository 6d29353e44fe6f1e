"""Bulk INSERT statements for the daily work, which writes hundreds of thousands of rows:
a model instance for each, or a round trip per row, costs more than the insert itself.

Rows are tuples of values ready for the database (dates and times already adapted with
`connection.ops`, foreign keys as ids), `fields` the model's attribute names (task_id…)."""

from __future__ import annotations

from django.db import connection

ROWS_PER_STATEMENT = 1000


def statements(model, fields: tuple[str, ...], rows: list[tuple], tail: str = ""):
    """(sql, params) inserting `rows` many per statement. PostgreSQL gets one array per
    column (INSERT … SELECT FROM unnest(…)): a short statement its driver parses once, not
    thousands of placeholders parsed again for each; SQLite gets multi-row VALUES."""
    opts = model._meta
    quote = connection.ops.quote_name
    db_fields = [opts.get_field(f) for f in fields]
    columns = ", ".join(quote(f.column) for f in db_fields)
    head = f"INSERT INTO {quote(opts.db_table)} ({columns}) "
    if connection.vendor == "postgresql":
        arrays = ", ".join(f"%s::{f.db_type(connection)}[]" for f in db_fields)
        sql = f"{head}SELECT * FROM unnest({arrays}) {tail}"
        for start in range(0, len(rows), ROWS_PER_STATEMENT):
            chunk = rows[start : start + ROWS_PER_STATEMENT]
            yield sql, [list(column) for column in zip(*chunk, strict=True)]
        return
    one = "(" + ", ".join(["%s"] * len(fields)) + ")"
    for start in range(0, len(rows), ROWS_PER_STATEMENT):
        chunk = rows[start : start + ROWS_PER_STATEMENT]
        yield (
            f"{head}VALUES {', '.join([one] * len(chunk))} {tail}",
            [value for row in chunk for value in row],
        )


def bulk_cursor():
    """A cursor for the bulk statements. On PostgreSQL one that binds its parameters on the
    server: the arrays then travel as data, where Django's usual client-side binding would
    quote every element of them into the statement's text."""
    if connection.vendor == "postgresql":
        import psycopg

        connection.ensure_connection()
        return psycopg.Cursor(connection.connection)
    return connection.cursor()


def insert_rows(model, fields: tuple[str, ...], rows: list[tuple]) -> None:
    """INSERT many rows."""
    if not rows:
        return
    with bulk_cursor() as cursor:
        for sql, params in statements(model, fields, rows):
            cursor.execute(sql, params)


def insert_new(
    model, fields: tuple[str, ...], rows: list[tuple], returning: tuple[str, ...]
) -> list[tuple]:
    """Insert rows, skipping any that a unique constraint already holds, and return the
    `returning` columns of the rows inserted now: INSERT … ON CONFLICT DO NOTHING RETURNING,
    on SQLite (3.35+) and PostgreSQL alike."""
    if not rows:
        return []
    quote = connection.ops.quote_name
    back = ", ".join(quote(model._meta.get_field(f).column) for f in returning)
    made: list[tuple] = []
    with bulk_cursor() as cursor:
        for sql, params in statements(
            model, fields, rows, f"ON CONFLICT DO NOTHING RETURNING {back}"
        ):
            cursor.execute(sql, params)
            made.extend(cursor.fetchall())
    return made
