"""The scale-out settings (docs/SCALE.md): the shared cache chosen by LUOSHI_CACHE_URL and its
table made by migrate, PostgreSQL connection options from the environment, the gunicorn
configuration and `luoshi serve`, and the /healthz check of load balancers."""

from __future__ import annotations

import importlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.cache import caches
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from luoshi.lib.cache_conf import CACHE_TABLE, cache_settings, create_cache_table
from luoshi.worker import views as health_views

ROOT = Path(__file__).resolve().parents[2]


# --- the cache -----------------------------------------------------------------------------


def test_the_default_cache_is_a_table_in_the_database_shared_by_every_process():
    for url in ("", "db://"):
        default = cache_settings(cache_url=url)["default"]
        assert default["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"
        assert default["LOCATION"] == CACHE_TABLE


def test_a_redis_address_selects_djangos_redis_cache():
    default = cache_settings(cache_url="redis://127.0.0.1:6379/1")["default"]
    assert default["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert default["LOCATION"] == "redis://127.0.0.1:6379/1"
    assert default["OPTIONS"]["socket_timeout"] == 2


def test_locmem_is_only_on_request_and_anything_else_is_refused():
    assert cache_settings(cache_url="locmem://")["default"]["BACKEND"].endswith("LocMemCache")
    with pytest.raises(ValueError, match="redis://"):
        cache_settings(cache_url="memcached://127.0.0.1:11211")


@pytest.mark.django_db
def test_migrate_makes_the_database_caches_table(settings):
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "h8_c"}
    }
    caches["default"].close()
    assert "h8_c" not in connection.introspection.table_names()
    create_cache_table(using="default")  # what post_migrate calls
    assert "h8_c" in connection.introspection.table_names()
    cache = caches.create_connection("default")
    assert cache.add("limit:1.2.3.4", 1, 60) is True
    assert cache.add("limit:1.2.3.4", 1, 60) is False  # add is atomic: a second one fails
    assert cache.get("limit:1.2.3.4") == 1
    create_cache_table(using="default")  # again: nothing to do, nothing lost
    assert cache.get("limit:1.2.3.4") == 1


# --- the database, from the environment ------------------------------------------------------


def _settings_under(env: dict) -> dict:
    code = (
        "import json, luoshi.settings as s; d = s.DATABASES['default']; "
        "print(json.dumps({'max_age': d['CONN_MAX_AGE'], 'checks': d['CONN_HEALTH_CHECKS'], "
        "'options': d.get('OPTIONS', {}), 'cache': s.CACHES['default']['BACKEND'], "
        "'sessions': s.SESSION_ENGINE}))"
    )
    base = {k: v for k, v in os.environ.items() if not k.startswith(("LUOSHI_DB", "DATABASE"))}
    out = subprocess.run(
        [sys.executable, "-c", code],
        env={**base, "LUOSHI_CACHE_URL": "", **env},
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout)


def test_postgresql_connections_are_kept_checked_and_bounded_by_a_statement_timeout(tmp_path):
    plain = _settings_under(
        {"DATABASE_URL": "postgres://u@db.example/luoshi", "LUOSHI_DATA_DIR": str(tmp_path)}
    )
    assert (plain["max_age"], plain["checks"], plain["options"]) == (60, True, {})
    assert plain["cache"].endswith("DatabaseCache")
    assert plain["sessions"] == "django.contrib.sessions.backends.db"
    tuned = _settings_under(
        {
            "DATABASE_URL": "postgres://u@db.example/luoshi",
            "LUOSHI_DATA_DIR": str(tmp_path),
            "LUOSHI_DB_STATEMENT_TIMEOUT": "30000",
            "LUOSHI_DB_POOL": "2,8",
            "LUOSHI_CACHE_URL": "redis://127.0.0.1:6379/1",
        }
    )
    assert tuned["options"]["options"] == "-c statement_timeout=30000"
    assert tuned["options"]["pool"] == {"min_size": 2, "max_size": 8, "timeout": 10}
    assert tuned["max_age"] == 0  # the pool keeps the connections, not the request cycle
    assert tuned["cache"].endswith("RedisCache")
    # sessions stay in the database whatever the cache
    assert tuned["sessions"] == "django.contrib.sessions.backends.db"


# --- gunicorn and `luoshi serve` --------------------------------------------------------------


def _gunicorn_conf(monkeypatch, **env):
    # setenv then delenv: teardown removes what the configuration sets with setdefault
    monkeypatch.setenv("LUOSHI_DB_STATEMENT_TIMEOUT", "x")
    monkeypatch.delenv("LUOSHI_DB_STATEMENT_TIMEOUT")
    for name in ("LUOSHI_BIND", "LUOSHI_WEB_WORKERS", "LUOSHI_WEB_THREADS"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    import luoshi.gunicorn_conf as conf

    return importlib.reload(conf)


def test_gunicorn_runs_several_sync_workers_on_one_address_by_default(monkeypatch):
    conf = _gunicorn_conf(monkeypatch)
    assert conf.bind == ["127.0.0.1:8000"]
    assert conf.workers == 2 * (os.cpu_count() or 1) + 1
    assert (conf.threads, conf.worker_class, conf.preload_app) == (1, "sync", False)
    assert conf.accesslog == "-" and "%(M)sms" in conf.access_log_format
    assert os.environ["LUOSHI_DB_STATEMENT_TIMEOUT"] == "30000"


def test_gunicorn_takes_its_figures_from_the_environment(monkeypatch):
    conf = _gunicorn_conf(
        monkeypatch,
        LUOSHI_BIND="0.0.0.0:8000,unix:/run/luoshi.sock",
        LUOSHI_WEB_WORKERS="3",
        LUOSHI_WEB_THREADS="4",
        LUOSHI_DB_STATEMENT_TIMEOUT="5000",
    )
    assert conf.bind == ["0.0.0.0:8000", "unix:/run/luoshi.sock"]
    assert (conf.workers, conf.threads, conf.worker_class) == (3, 4, "gthread")
    assert os.environ["LUOSHI_DB_STATEMENT_TIMEOUT"] == "5000"  # an explicit value is kept


def test_serve_becomes_gunicorn_with_the_projects_configuration(monkeypatch):
    for name in ("LUOSHI_BIND", "LUOSHI_WEB_WORKERS", "LUOSHI_WEB_THREADS"):
        monkeypatch.setenv(name, "")
    calls = []
    monkeypatch.setattr(os, "execv", lambda path, argv: calls.append((path, argv)))
    call_command("serve", "--bind", "0.0.0.0:9000", "--workers", "3", "--no-collectstatic")
    path, argv = calls[0]
    assert argv[0] == path and path.endswith("gunicorn")
    assert argv[1:] == ["-c", "python:luoshi.gunicorn_conf", "luoshi.wsgi:application"]
    assert (os.environ["LUOSHI_BIND"], os.environ["LUOSHI_WEB_WORKERS"]) == ("0.0.0.0:9000", "3")


@pytest.mark.parametrize("option", ["--workers", "--threads"])
def test_serve_refuses_a_count_below_one_in_chinese(monkeypatch, option):
    monkeypatch.setattr(os, "execv", lambda *a: pytest.fail("must not start"))
    with pytest.raises(CommandError, match="必须是正整数"):
        call_command("serve", option, "0", "--no-collectstatic")


# --- /healthz -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_healthz_answers_without_log_in_when_database_cache_and_queue_answer(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok", "queue": "ok"}
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_healthz_is_503_and_names_what_failed(client, monkeypatch):
    def broken():
        raise ConnectionError("redis down")

    monkeypatch.setitem(health_views.CHECKS, "cache", broken)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {
        "status": "error",
        "database": "ok",
        "cache": "error",
        "queue": "ok",
    }
    assert "redis down" not in response.content.decode()  # no detail to the outside


@pytest.mark.django_db
def test_healthz_only_answers_get(client):
    assert client.post("/healthz").status_code == 405
