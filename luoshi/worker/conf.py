"""The queue's settings from the environment (imported by luoshi/settings.py: no Django here)."""

from __future__ import annotations

from pathlib import Path

REDIS_SCHEMES = ("redis://", "rediss://", "unix://")


def huey_settings(*, queue_url: str, data_dir: Path) -> dict:
    """settings.HUEY for djhuey: Redis when `queue_url` is a redis:// address (production, any
    number of workers on any number of machines), else a SQLite file in `data_dir` (the
    embedded default: no server to run)."""
    if queue_url.startswith(REDIS_SCHEMES):
        storage = {"huey_class": "huey.RedisHuey", "url": queue_url}
    elif queue_url:
        raise ValueError(f"LUOSHI_QUEUE_URL must be a redis:// address, not {queue_url!r}")
    else:
        storage = {"huey_class": "huey.SqliteHuey", "filename": str(data_dir / "queue.sqlite3")}
    return {
        **storage,
        "name": "luoshi",
        "immediate": False,  # djhuey would otherwise run jobs inline whenever DEBUG is on
        "results": False,  # jobs write their outcome to the database; nobody waits on one
        "utc": True,
        "consumer": {
            "workers": 2,
            "worker_type": "thread",
            "periodic": True,
            "check_worker_health": True,
        },
    }
