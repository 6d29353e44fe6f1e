"""Dumping and loading the database, per vendor, for luoshi/backup/services.py.

SQLite: the sqlite3 online backup API copies the database page by page into a new file as
one consistent snapshot (a read transaction; in WAL mode writers go on meanwhile). Restoring
is the same API the other way: the live file's pages are replaced in one step.
PostgreSQL: `pg_dump --format=custom` under a snapshot exported from our own REPEATABLE READ
transaction, so the manifest's table counts and migration list describe exactly the dumped
data; `pg_restore --clean --if-exists --single-transaction` loads it (all or nothing).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.db import connections
from django.utils.translation import gettext as _


class BackupError(Exception):
    """A backup or restore that cannot go on (the message is for the operator, in Chinese)."""


def tables_and_counts(cursor, tables: list[str], quote: Callable[[str], str]) -> dict[str, int]:
    counts = {}
    for table in sorted(tables):
        cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")
        counts[table] = cursor.fetchone()[0]
    return counts


def migrations_of(cursor) -> list[list[str]]:
    cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
    return [list(row) for row in cursor.fetchall()]


# --- SQLite ---------------------------------------------------------------------------------


def _sqlite_path(alias: str) -> str:
    return str(connections[alias].settings_dict["NAME"])


def _sqlite_describe(path: Path) -> tuple[dict[str, int], list[list[str]]]:
    conn = sqlite3.connect(path)
    try:
        cursor = conn.cursor()
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
        tables = [row[0] for row in cursor.fetchall()]
        counts = tables_and_counts(cursor, tables, lambda t: '"' + t.replace('"', '""') + '"')
        return counts, migrations_of(cursor) if "django_migrations" in tables else []
    finally:
        conn.close()


def sqlite_dump(alias: str, target: Path) -> dict[str, Any]:
    source = sqlite3.connect(_sqlite_path(alias), timeout=30)
    dest = sqlite3.connect(target)
    try:
        with dest:
            source.backup(dest)
    finally:
        dest.close()
        source.close()
    # the copy is a stand-alone file: no WAL beside it
    conn = sqlite3.connect(target)
    conn.execute("PRAGMA journal_mode=DELETE")
    conn.close()
    counts, migrations = _sqlite_describe(target)
    return {"counts": counts, "migrations": migrations, "file": "database.sqlite3"}


def sqlite_load(alias: str, dump: Path) -> None:
    connections[alias].close()
    source = sqlite3.connect(dump)
    dest = sqlite3.connect(_sqlite_path(alias), timeout=30)
    try:
        source.backup(dest)
    finally:
        dest.close()
        source.close()


# --- PostgreSQL ----------------------------------------------------------------------------


def _pg_tool(name: str) -> str:
    found = shutil.which(name)
    if not found:
        raise BackupError(
            _("找不到 %(tool)s：请安装 PostgreSQL 客户端工具，并确保它在 PATH 中。")
            % {"tool": name}
        )
    return found


def _pg_args_env(alias: str) -> tuple[list[str], dict[str, str]]:
    settings = connections[alias].settings_dict
    args = []
    if settings.get("HOST"):
        args += ["--host", str(settings["HOST"])]
    if settings.get("PORT"):
        args += ["--port", str(settings["PORT"])]
    if settings.get("USER"):
        args += ["--username", str(settings["USER"])]
    env = {**os.environ}
    if settings.get("PASSWORD"):
        env["PGPASSWORD"] = str(settings["PASSWORD"])
    return [*args, "--no-password", "--dbname", str(settings["NAME"])], env


def _run(command: list[str], env: dict[str, str]) -> None:
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise BackupError(
            _("%(tool)s 失败（退出码 %(code)s）：%(err)s")
            % {
                "tool": Path(command[0]).name,
                "code": done.returncode,
                "err": done.stderr.strip()[-2000:],
            }
        )


def pg_dump(alias: str, target: Path) -> dict[str, Any]:
    tool = _pg_tool("pg_dump")
    args, env = _pg_args_env(alias)
    connection = connections[alias]
    connection.ensure_connection()
    # our own transaction on a raw connection: its snapshot is what pg_dump reads, and the
    # counts below are read in it too
    raw = connection.get_new_connection(connection.get_connection_params())
    try:
        raw.autocommit = False
        with raw.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            _run(
                [
                    tool,
                    "--format=custom",
                    "--no-owner",
                    "--no-privileges",
                    f"--snapshot={snapshot}",
                    "--file",
                    str(target),
                    *args,
                ],
                env,
            )
            cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
            tables = [row[0] for row in cursor.fetchall()]
            counts = tables_and_counts(cursor, tables, connection.ops.quote_name)
            migrations = migrations_of(cursor) if "django_migrations" in tables else []
        raw.rollback()
    finally:
        raw.close()
    return {"counts": counts, "migrations": migrations, "file": "database.pgdump"}


def pg_load(alias: str, dump: Path) -> None:
    tool = _pg_tool("pg_restore")
    args, env = _pg_args_env(alias)
    connections[alias].close()
    _run(
        [
            tool,
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            *args,
            str(dump),
        ],
        env,
    )


def dump(alias: str, target_dir: Path) -> dict[str, Any]:
    vendor = connections[alias].vendor
    if vendor == "sqlite":
        return {"vendor": vendor, **sqlite_dump(alias, target_dir / "database.sqlite3")}
    if vendor == "postgresql":
        return {"vendor": vendor, **pg_dump(alias, target_dir / "database.pgdump")}
    raise BackupError(_("不支持的数据库：%(v)s") % {"v": vendor})


def load(alias: str, vendor: str, dump_file: Path) -> None:
    here = connections[alias].vendor
    if here != vendor:
        raise BackupError(
            _("备份来自 %(a)s 数据库，当前是 %(b)s：不能直接恢复。") % {"a": vendor, "b": here}
        )
    (sqlite_load if vendor == "sqlite" else pg_load)(alias, dump_file)
