"""/healthz: is this application process able to serve? For a load balancer or a monitor in
front of several processes or machines (docs/SCALE.md). Checks the database, the shared cache
and the queue, each by one cheap round trip; answers 200 when all answer, else 503 naming
what failed. No business content, no log-in."""

from __future__ import annotations

import logging
import uuid

from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from huey.contrib.djhuey import HUEY

from luoshi.access.views import public

logger = logging.getLogger("luoshi.worker")


def _database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _cache() -> None:
    key, value = f"luoshi:health:{uuid.uuid4().hex}", uuid.uuid4().hex
    cache.set(key, value, 30)
    try:
        if cache.get(key) != value:
            raise RuntimeError("the cache did not return what was stored")
    finally:
        cache.delete(key)


def _queue() -> None:
    conn = getattr(HUEY.storage, "conn", None)  # Redis; the SQLite file needs no server
    if conn is not None and hasattr(conn, "ping"):
        conn.ping()


CHECKS = {"database": _database, "cache": _cache, "queue": _queue}


@public
@never_cache
@require_GET
def health(request):
    results = {}
    for name, check in CHECKS.items():
        try:
            check()
        except Exception as exc:
            logger.warning("health check: %s failed: %r", name, exc)
            results[name] = "error"
        else:
            results[name] = "ok"
    healthy = all(v == "ok" for v in results.values())
    return JsonResponse(
        {"status": "ok" if healthy else "error", **results}, status=200 if healthy else 503
    )
