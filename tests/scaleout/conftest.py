"""The scale-out test runs on PostgreSQL with Redis at 127.0.0.1:6379; elsewhere it is
skipped, saying why."""

from __future__ import annotations

import os

import pytest

REDIS_URL = "redis://127.0.0.1:6379/13"


def _skip_reason() -> str:
    if not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        return (
            "the scale-out path is several processes on one PostgreSQL database; SQLite is one "
            "file on one machine (run with DATABASE_URL=postgres://…)"
        )
    try:
        import redis

        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except Exception as exc:
        return f"no Redis server at 127.0.0.1:6379 for the queue and the cache ({exc})"
    return ""


def pytest_collection_modifyitems(config, items):
    reason = _skip_reason()
    if not reason:
        return
    here = os.path.dirname(__file__)
    for item in items:
        if str(item.fspath).startswith(here):
            item.add_marker(pytest.mark.skip(reason=reason))
