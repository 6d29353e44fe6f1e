"""Where the queue lives: a SQLite file in the data folder by default (no server), Redis when
LUOSHI_QUEUE_URL says so; and a job put on either is there for a consumer in another process."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from huey import RedisHuey, SqliteHuey

from luoshi.worker.conf import huey_settings


def _huey(settings: dict, name: str):
    conf = {k: v for k, v in settings.items() if k not in ("huey_class", "consumer", "name")}
    cls = {"huey.SqliteHuey": SqliteHuey, "huey.RedisHuey": RedisHuey}[settings["huey_class"]]
    return cls(name, **conf)


def test_the_default_queue_is_a_file_in_the_data_folder(tmp_path):
    conf = huey_settings(queue_url="", data_dir=tmp_path)
    assert conf["huey_class"] == "huey.SqliteHuey"
    assert conf["filename"] == str(tmp_path / "queue.sqlite3")
    assert conf["immediate"] is False
    assert conf["consumer"]["periodic"] is True


def test_a_redis_address_selects_redis():
    conf = huey_settings(queue_url="redis://127.0.0.1:6379/3", data_dir=Path("/nowhere"))
    assert conf["huey_class"] == "huey.RedisHuey"
    assert conf["url"] == "redis://127.0.0.1:6379/3"
    assert "filename" not in conf


def test_any_other_address_is_refused():
    with pytest.raises(ValueError, match="redis://"):
        huey_settings(queue_url="amqp://localhost", data_dir=Path("/nowhere"))


def _round_trip(queue) -> list[int]:
    @queue.task()
    def add(a, b):
        return a + b

    add(2, 3)  # queued, not run
    assert len(queue) == 1
    # another process reading the same queue (a consumer) takes the job and runs it
    job = queue.dequeue()
    return [queue.execute(job), len(queue)]


def test_a_job_waits_in_the_sqlite_file(tmp_path):
    queue = _huey(huey_settings(queue_url="", data_dir=tmp_path), "luoshi-test")
    assert _round_trip(queue) == [5, 0]
    assert (tmp_path / "queue.sqlite3").exists()


def test_a_job_waits_in_redis():
    redis = pytest.importorskip("redis")
    url = "redis://127.0.0.1:6379/15"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("no Redis server on 127.0.0.1:6379")
    queue = _huey(huey_settings(queue_url=url, data_dir=Path("/nowhere")), uuid.uuid4().hex)
    try:
        assert _round_trip(queue) == [5, 0]
    finally:
        queue.flush()
