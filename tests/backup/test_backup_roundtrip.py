"""Backup while the app writes, restore into a fresh database: the same rows, the same file
bytes, the audit chain intact (on SQLite and on PostgreSQL: run the suite with DATABASE_URL)."""

from __future__ import annotations

import tarfile
import threading

import pytest
from django.db import connection, connections

from luoshi.audit import chain
from luoshi.audit.models import AuditEvent
from luoshi.audit.services import audit_log
from luoshi.backup.services import backup_create, backup_restore
from luoshi.org.models import Unit, User

from .conftest import UPLOAD_BYTES

pytestmark = pytest.mark.django_db(transaction=True)

USER_FIELDS = ("id", "username", "role", "unit_id", "full_name", "password", "is_active")


def _writer(stop: threading.Event, written: list[int]) -> None:
    try:
        while not stop.is_set():
            written.append(audit_log(actor=None, action="test.concurrent").seq)
    finally:
        connection.close()


def test_backup_while_writing_then_restore_into_a_fresh_database(
    backup_world, media, restored_alias, tmp_path, settings
):
    stop, written = threading.Event(), []
    thread = threading.Thread(target=_writer, args=(stop, written))
    thread.start()
    try:
        while len(written) < 5:  # the writer is going
            threading.Event().wait(0.01)
        path, manifest = backup_create(output=tmp_path / "b.tar.gz")
        during = len(written)
    finally:
        stop.set()
        thread.join()
    assert during >= 5 and len(written) > 5

    # the manifest: every member's checksum, counts of the snapshot, the migrations
    assert manifest["vendor"] == connection.vendor
    assert manifest["members"][f"uploads/{backup_world['upload']}"]["size"] == len(UPLOAD_BYTES)
    assert ["audit", "0004_append_only_triggers"] in manifest["migrations"]
    snapshot_audit = manifest["counts"]["audit_auditevent"]
    live_audit = AuditEvent.objects.count()
    assert 0 < snapshot_audit < live_audit  # taken while the writer went on (and backup.create)
    with tarfile.open(path) as tar:
        assert set(tar.getnames()) == {"manifest.json", *manifest["members"]}

    # restore into the fresh database and a fresh uploads folder
    settings.MEDIA_ROOT = tmp_path / "media-restored"
    outcome = backup_restore(path=path, using=restored_alias)
    assert outcome["verify"].ok and outcome["verify"].count == snapshot_audit
    assert outcome["migrate"] == []

    restored = connections[restored_alias]
    assert restored.vendor == connection.vendor
    # same rows: users and units as they were; audit rows = the chain's first rows, verbatim
    assert list(User.objects.using(restored_alias).order_by("id").values(*USER_FIELDS)) == list(
        User.objects.order_by("id").values(*USER_FIELDS)
    )
    assert list(Unit.objects.using(restored_alias).order_by("id").values()) == list(
        Unit.objects.order_by("id").values()
    )
    back = list(AuditEvent.objects.using(restored_alias).order_by("id").values_list("seq", "hash"))
    assert (
        back == list(AuditEvent.objects.order_by("id").values_list("seq", "hash"))[:snapshot_audit]
    )
    assert [s for s, _h in back] == list(range(1, snapshot_audit + 1))
    # every table's count as the manifest says
    with restored.cursor() as cursor:
        for table, count in manifest["counts"].items():
            cursor.execute(f"SELECT COUNT(*) FROM {restored.ops.quote_name(table)}")
            assert cursor.fetchone()[0] == count, table
    # same file bytes
    assert (settings.MEDIA_ROOT / backup_world["upload"]).read_bytes() == UPLOAD_BYTES
    # the restored database is still append-only
    from django.db import DatabaseError

    with pytest.raises(DatabaseError), restored.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent")
    assert chain.verify_database(using=restored_alias).ok


def test_backup_and_restore_are_audited(backup_world, restored_alias, tmp_path):
    path, _manifest = backup_create(output=tmp_path / "b.tar.gz")
    event = AuditEvent.objects.get(action="backup.create")
    assert event.data["file"] == "b.tar.gz" and event.data["files"] == 1
    # the backup row is written after the snapshot: the restored chain ends before it
    backup_restore(path=path, using=restored_alias)
    assert not AuditEvent.objects.using(restored_alias).filter(action="backup.create").exists()
