"""What restore refuses, in Chinese, changing nothing: a damaged or altered file, a file that
is not a backup, a member outside the manifest or with a dangerous name, a newer schema, a
database that already has data (without --force). And the commands' own messages."""

from __future__ import annotations

import io
import json
import tarfile

import pytest
from django.core.management import CommandError, call_command

from luoshi.backup import databases
from luoshi.backup.services import BackupError, backup_create, backup_restore

pytestmark = pytest.mark.django_db(transaction=True)


def _rewrite(src, dst, *, manifest=None, replace=None, extra=None):
    """Copy a backup, changing the manifest, one member's bytes, or adding a member."""
    with tarfile.open(src) as tar_in, tarfile.open(dst, "w:gz") as tar_out:
        for member in tar_in:
            data = tar_in.extractfile(member).read()
            if member.name == "manifest.json" and manifest is not None:
                data = json.dumps(manifest(json.loads(data))).encode()
            if replace and member.name == replace[0]:
                data = replace[1]
            info = tarfile.TarInfo(member.name)
            info.size = len(data)
            tar_out.addfile(info, io.BytesIO(data))
        for name, data in (extra or {}).items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar_out.addfile(info, io.BytesIO(data))
    return dst


@pytest.fixture
def backup_file(backup_world, tmp_path):
    path, _manifest = backup_create(output=tmp_path / "good.tar.gz")
    return path


@pytest.fixture
def fresh(restored_alias):
    return restored_alias


def _refused(path, using, match):
    with pytest.raises(BackupError, match=match):
        backup_restore(path=path, using=using)


def test_altered_member_is_refused(backup_file, backup_world, tmp_path, fresh):
    bad = _rewrite(
        backup_file,
        tmp_path / "bad.tar.gz",
        replace=(f"uploads/{backup_world['upload']}", b"changed"),
    )
    _refused(bad, fresh, "校验和不符")
    from django.db import connections

    assert connections[fresh].introspection.table_names() == []  # nothing restored


def test_unlisted_or_dangerous_members_are_refused(backup_file, tmp_path, fresh):
    extra = _rewrite(backup_file, tmp_path / "x.tar.gz", extra={"uploads/evil.txt": b"x"})
    _refused(extra, fresh, "清单未列出")
    escape = _rewrite(backup_file, tmp_path / "y.tar.gz", extra={"../escape.txt": b"x"})
    _refused(escape, fresh, "不允许的条目")
    assert not (tmp_path.parent / "escape.txt").exists()


def test_missing_member_is_refused(backup_file, tmp_path, fresh):
    def lists_more(manifest):
        manifest["members"]["uploads/gone.pdf"] = {"sha256": "0" * 64, "size": 1}
        return manifest

    _refused(_rewrite(backup_file, tmp_path / "m.tar.gz", manifest=lists_more), fresh, "缺少")


def test_a_newer_schema_is_refused(backup_file, tmp_path, fresh):
    def newer(manifest):
        manifest["migrations"].append(["audit", "0099_from_the_future"])
        return manifest

    _refused(_rewrite(backup_file, tmp_path / "n.tar.gz", manifest=newer), fresh, "比本程序新")


def test_not_a_backup_is_refused(tmp_path, fresh, db):
    junk = tmp_path / "junk.tar.gz"
    junk.write_bytes(b"not a tar at all")
    _refused(junk, fresh, "无法打开备份文件")
    empty = tmp_path / "empty.tar.gz"
    with tarfile.open(empty, "w:gz"):
        pass
    _refused(empty, fresh, "缺少或无法读取 manifest.json")
    _refused(tmp_path / "none.tar.gz", fresh, "找不到备份文件")


def test_a_database_with_data_needs_force(backup_file):
    with pytest.raises(CommandError, match="--force"):
        call_command("restore", str(backup_file))


def test_restore_with_force_over_the_live_database(backup_file, backup_world, media):
    """The command, over a database that has moved on since: back to the backup's state."""
    from luoshi.audit.models import AuditEvent
    from luoshi.org.models import Unit
    from luoshi.org.services import unit_create

    before = Unit.objects.count()
    unit_create(actor=None, name="后来的单位", kind="department")
    out = io.StringIO()
    call_command("restore", str(backup_file), "--force", stdout=out)
    assert "审计日志校验通过" in out.getvalue()
    assert Unit.objects.count() == before
    assert AuditEvent.objects.filter(action="backup.restore").count() == 1


def test_backup_command_and_its_bad_input(backup_world, tmp_path, monkeypatch):
    out = io.StringIO()
    call_command("backup", "--output", str(tmp_path / "cmd.tar.gz"), stdout=out)
    assert "备份完成" in out.getvalue() and (tmp_path / "cmd.tar.gz").is_file()
    with pytest.raises(CommandError, match="输出目录不存在"):
        call_command("backup", "--output", str(tmp_path / "no" / "b.tar.gz"))


def test_pg_tools_missing_is_told_in_chinese(monkeypatch):
    monkeypatch.setattr(databases.shutil, "which", lambda name: None)
    with pytest.raises(BackupError, match="找不到 pg_dump"):
        databases._pg_tool("pg_dump")
