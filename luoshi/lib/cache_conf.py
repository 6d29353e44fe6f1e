"""settings.CACHES from LUOSHI_CACHE_URL (imported by luoshi/settings.py: no Django models here).

The cache holds what every application process must agree on: the public clue form's rate
limits (atomic add/incr) and the cockpit's figures. So the default is the database (a table,
`luoshi_cache`, made by `luoshi migrate`), which every process on the machine — and on other
machines — already shares; a process-local memory cache would give each gunicorn worker its own
counters (a limit of 10 would let 10 × workers through) and its own copies of the figures.

    (unset) or db://   the database cache: shared, no server to run (the default)
    redis://host:6379/1  Django's Redis cache: shared, faster; for several machines
    locmem://          memory of the one process (development server, tests only)
"""

from __future__ import annotations

CACHE_TABLE = "luoshi_cache"
REDIS_SCHEMES = ("redis://", "rediss://", "unix://")


def cache_settings(*, cache_url: str) -> dict:
    """settings.CACHES for `cache_url` (see the module's doc); ValueError on any other."""
    if cache_url.startswith(REDIS_SCHEMES):
        default = {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": cache_url,
            "KEY_PREFIX": "luoshi",
            # a dead Redis fails a request in seconds rather than hanging a worker
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    elif cache_url in ("", "db://"):
        default = {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": CACHE_TABLE,
            "OPTIONS": {"MAX_ENTRIES": 5000},
        }
    elif cache_url == "locmem://":
        default = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    else:
        raise ValueError(
            f"LUOSHI_CACHE_URL must be redis://…, db:// or locmem://, not {cache_url!r}"
        )
    return {"default": default}


def create_cache_table(*, using: str = "default", **_kwargs) -> None:
    """After `migrate`: make the database cache's table when that cache is configured
    (Django's createcachetable; nothing when the table exists or the cache is elsewhere)."""
    from django.core.management import call_command

    call_command("createcachetable", database=using, verbosity=0)
