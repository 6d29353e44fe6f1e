"""Nightly backups by the worker (off unless LUOSHI_BACKUP_NIGHTLY=1): at 02:30 Asia/Shanghai
a backup into LUOSHI_BACKUP_DIR, then the oldest beyond LUOSHI_BACKUP_KEEP removed."""

from __future__ import annotations

import logging
from pathlib import Path

from django.conf import settings
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from luoshi.backup.services import backup_create

logger = logging.getLogger("luoshi.worker")


def backups_rotate(*, folder: Path, keep: int) -> list[Path]:
    """Remove the oldest backups in `folder` beyond the newest `keep` (only files named like
    ours: luoshi-YYYYmmdd-HHMMSS.tar.gz); returns what was removed."""
    ours = sorted(folder.glob("luoshi-[0-9]*-[0-9]*.tar.gz"))
    removed = ours[: max(len(ours) - max(keep, 1), 0)]
    for path in removed:
        path.unlink()
    return removed


def backup_nightly() -> dict:
    if not settings.LUOSHI_BACKUP_NIGHTLY:
        return {"skipped": 1}
    path, _manifest = backup_create()
    removed = backups_rotate(folder=path.parent, keep=settings.LUOSHI_BACKUP_KEEP)
    logger.info("nightly backup %s; removed %s", path, [p.name for p in removed])
    return {"created": 1, "removed": len(removed)}


# 18:30 UTC = 02:30 Asia/Shanghai (the queue's schedule is in UTC)
@db_periodic_task(crontab(minute="30", hour="18"))
def backup_nightly_job() -> dict:
    return backup_nightly()
