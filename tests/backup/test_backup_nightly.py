"""Nightly backups: off by default; on, a backup into LUOSHI_BACKUP_DIR and the oldest
beyond LUOSHI_BACKUP_KEEP removed (other files left alone)."""

from __future__ import annotations

import pytest

from luoshi.backup.jobs import backup_nightly_job, backups_rotate

pytestmark = pytest.mark.django_db(transaction=True)


def test_off_by_default(settings, tmp_path):
    settings.LUOSHI_BACKUP_DIR = tmp_path
    assert backup_nightly_job.call_local() == {"skipped": 1}
    assert list(tmp_path.iterdir()) == []


def test_nightly_backup_keeps_the_newest_n(backup_world, settings, tmp_path):
    folder = tmp_path / "backups"
    folder.mkdir()
    for day in ("20260101", "20260102", "20260103"):
        (folder / f"luoshi-{day}-023000.tar.gz").write_bytes(b"old")
    (folder / "notes.txt").write_text("keep me")
    settings.LUOSHI_BACKUP_NIGHTLY = True
    settings.LUOSHI_BACKUP_DIR = folder
    settings.LUOSHI_BACKUP_KEEP = 2
    assert backup_nightly_job.call_local() == {"created": 1, "removed": 2}
    names = sorted(p.name for p in folder.iterdir())
    assert names[0] == "luoshi-20260103-023000.tar.gz" and names[-1] == "notes.txt"
    assert len(names) == 3 and names[1].startswith("luoshi-2")


def test_rotation_keeps_at_least_one(tmp_path):
    (tmp_path / "luoshi-20260101-000000.tar.gz").write_bytes(b"x")
    assert backups_rotate(folder=tmp_path, keep=0) == []
