from __future__ import annotations

import pytest

from luoshi.lib import clock
from tests.policies.world import TODAY, build_world


@pytest.fixture(autouse=True)
def _uploads(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "uploads"


@pytest.fixture
def world(db):
    return build_world()


@pytest.fixture
def today():
    with clock.pinned_today(TODAY):
        yield TODAY


@pytest.fixture
def login(client):
    def as_user(user):
        client.force_login(user)
        return client

    return as_user
