"""`luoshi backup` and `luoshi restore`: one file holding the database, the uploads and a
manifest (docs/BACKUP.md).

The backup file is a gzip'd tar:
  manifest.json        format, Luoshi version, database vendor, applied migrations, row
                       counts per table (of the dumped snapshot), SHA-256 and size of every
                       other member, created at / by
  database.sqlite3     (SQLite) or database.pgdump (PostgreSQL, pg_dump custom format)
  uploads/…            MEDIA_ROOT as it was

Order makes it consistent: the database snapshot is taken first, then the uploads copied. An
upload is written before the row that names it commits and is never changed afterwards, so
every file the snapshot names is in the copy (a file uploaded meanwhile may be in it too,
named by no row: harmless).
"""

from __future__ import annotations

import datetime as dt
import getpass
import hashlib
import io
import json
import shutil
import tarfile
import tempfile
from importlib import metadata
from pathlib import Path, PurePosixPath
from typing import Any

from django.conf import settings
from django.db import connections
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone
from django.utils.translation import gettext as _

from luoshi.audit import chain
from luoshi.audit.services import audit_log
from luoshi.backup import databases
from luoshi.backup.databases import BackupError

FORMAT = "luoshi-backup"
VERSION = 1
CHUNK = 1024 * 1024


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while block := handle.read(CHUNK):
            digest.update(block)
    return digest.hexdigest()


def _luoshi_version() -> str:
    try:
        return metadata.version("luoshi")
    except metadata.PackageNotFoundError:
        return "unknown"


def default_backup_name(now: dt.datetime | None = None) -> str:
    now = timezone.localtime(now or timezone.now())
    return f"luoshi-{now:%Y%m%d-%H%M%S}.tar.gz"


def backup_create(
    *, output: Path | None = None, actor: Any = None, using: str = "default"
) -> tuple[Path, dict]:
    """Write a backup file; returns its path and its manifest."""
    if output is None:
        folder = Path(settings.LUOSHI_BACKUP_DIR)
        folder.mkdir(parents=True, exist_ok=True)
        output = folder / default_backup_name()
    output = Path(output)
    if not output.parent.is_dir():
        raise BackupError(_("输出目录不存在：%(p)s") % {"p": output.parent})
    media = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory(prefix="luoshi-backup-", dir=output.parent) as tmp:
        work = Path(tmp)
        db = databases.dump(using, work)
        members: dict[str, dict[str, Any]] = {}
        db_file = work / db["file"]
        members[db["file"]] = {"sha256": _sha256(db_file), "size": db_file.stat().st_size}
        partial = work / "backup.tar.gz"
        with tarfile.open(partial, "w:gz", compresslevel=6) as tar:
            tar.add(db_file, arcname=db["file"])
            if media.is_dir():
                for path in sorted(media.rglob("*")):
                    if not path.is_file():
                        continue
                    name = "uploads/" + path.relative_to(media).as_posix()
                    members[name] = {"sha256": _sha256(path), "size": path.stat().st_size}
                    tar.add(path, arcname=name)
            manifest = {
                "format": FORMAT,
                "version": VERSION,
                "luoshi_version": _luoshi_version(),
                "vendor": db["vendor"],
                "database_file": db["file"],
                "migrations": db["migrations"],
                "counts": db["counts"],
                "members": members,
                "created_at": timezone.now().isoformat(),
                "created_by": str(actor) if actor is not None else getpass.getuser(),
            }
            data = json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True).encode()
            info = tarfile.TarInfo("manifest.json")
            info.size = len(data)
            info.mtime = int(timezone.now().timestamp())
            tar.addfile(info, io.BytesIO(data))
        partial.replace(output)  # all or nothing: a half-written backup never has the name
    audit_log(
        actor=actor,
        action="backup.create",
        data={
            "file": output.name,
            "size": output.stat().st_size,
            "tables": len(manifest["counts"]),
            "files": len(members) - 1,
        },
    )
    return output, manifest


# --- restore -------------------------------------------------------------------------------


def _safe_name(name: str) -> bool:
    path = PurePosixPath(name)
    return not path.is_absolute() and ".." not in path.parts and name == path.as_posix()


def backup_read_manifest(tar: tarfile.TarFile) -> dict[str, Any]:
    try:
        member = tar.getmember("manifest.json")
        manifest = json.load(tar.extractfile(member))
    except (KeyError, ValueError):
        raise BackupError(_("不是落实系统的备份文件：缺少或无法读取 manifest.json。")) from None
    if manifest.get("format") != FORMAT:
        raise BackupError(_("不是落实系统的备份文件（格式标记不符）。"))
    if manifest.get("version", 0) > VERSION:
        raise BackupError(_("备份文件格式比本程序新，请先升级落实系统。"))
    return manifest


def backup_check(path: Path, extract_to: Path) -> dict[str, Any]:
    """Open the backup, check every member against the manifest (name, size, SHA-256) while
    extracting it into `extract_to`; returns the manifest. Raises BackupError on any
    mismatch, a member the manifest does not list, or one it lists that is missing."""
    try:
        tar = tarfile.open(path, "r:*")  # noqa: SIM115  (closed by the with below)
    except (tarfile.TarError, OSError) as exc:
        raise BackupError(_("无法打开备份文件：%(e)s") % {"e": exc}) from None
    with tar:
        manifest = backup_read_manifest(tar)
        listed = manifest.get("members", {})
        seen = set()
        for member in tar:
            if member.name == "manifest.json":
                continue
            if not member.isfile() or not _safe_name(member.name):
                raise BackupError(_("备份中有不允许的条目：%(n)s") % {"n": member.name})
            if member.name not in listed:
                raise BackupError(_("备份中有清单未列出的文件：%(n)s") % {"n": member.name})
            target = extract_to / member.name
            target.parent.mkdir(parents=True, exist_ok=True)
            digest = hashlib.sha256()
            with tar.extractfile(member) as source, open(target, "wb") as out:
                while block := source.read(CHUNK):
                    digest.update(block)
                    out.write(block)
            expected = listed[member.name]
            if digest.hexdigest() != expected["sha256"] or member.size != expected["size"]:
                raise BackupError(
                    _("校验和不符，备份文件已损坏或被改动：%(n)s") % {"n": member.name}
                )
            seen.add(member.name)
    missing = sorted(set(listed) - seen)
    if missing:
        raise BackupError(_("备份不完整，缺少：%(n)s") % {"n": ", ".join(missing[:5])})
    return manifest


def schema_check(manifest: dict[str, Any]) -> list[list[str]]:
    """Refuse a backup made by a newer Luoshi (a migration this code does not know). Returns
    the migrations this code has that the backup lacks (applied by `migrate` after)."""
    loader = MigrationLoader(None, ignore_no_migrations=True, load=True)
    known = {tuple(key) for key in loader.disk_migrations}
    theirs = {tuple(m) for m in manifest.get("migrations", [])}
    unknown = sorted(m for m in theirs - known if m[0] in {k[0] for k in known})
    if unknown:
        raise BackupError(
            _("备份的数据库结构比本程序新（未知的迁移 %(m)s），请先升级落实系统再恢复。")
            % {"m": ", ".join(f"{a}.{n}" for a, n in unknown[:5])}
        )
    return sorted([list(m) for m in known - theirs])


def database_has_data(using: str = "default") -> bool:
    """Whether the target already holds someone's data: users, tasks or audit rows (tables
    that migrations fill, such as the holiday calendar, do not count)."""
    connection = connections[using]
    tables = set(connection.introspection.table_names())
    with connection.cursor() as cursor:
        for table in ("org_user", "tasks_task", "audit_auditevent"):
            if table in tables:
                cursor.execute(f"SELECT 1 FROM {connection.ops.quote_name(table)} LIMIT 1")
                if cursor.fetchone():
                    return True
    return False


def backup_restore(*, path: Path, force: bool = False, using: str = "default") -> dict:
    """Check and restore a backup into the database `using` and MEDIA_ROOT, then verify the
    audit chain. Returns {"manifest", "verify" (chain.VerifyResult), "migrate" (missing
    migrations applied after)}."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(_("找不到备份文件：%(p)s") % {"p": path})
    media = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory(prefix="luoshi-restore-") as tmp:
        work = Path(tmp)
        manifest = backup_check(path, work)
        to_migrate = schema_check(manifest)
        if database_has_data(using) and not force:
            raise BackupError(
                _("目标数据库已有数据（用户、任务或审计记录）。确认要覆盖，请加 --force。")
            )
        databases.load(using, manifest["vendor"], work / manifest["database_file"])
        uploads = work / "uploads"
        if uploads.is_dir():
            media.mkdir(parents=True, exist_ok=True)
            shutil.copytree(uploads, media, dirs_exist_ok=True)
    connections[using].close()
    if to_migrate:
        from django.core.management import call_command

        call_command("migrate", database=using, interactive=False, verbosity=0)
    result = chain.verify_database(using=using)
    if using == "default":
        audit_log(
            actor=None,
            action="backup.restore",
            data={
                "file": path.name,
                "created_at": manifest.get("created_at", ""),
                "audit_ok": result.ok,
                "audit_count": result.count,
            },
        )
    return {"manifest": manifest, "verify": result, "migrate": to_migrate}
