"""Fixtures of the campaign tests; the world itself is built in tests/campaigns/world.py."""

from __future__ import annotations

import pytest

from tests.campaigns.world import build_world


@pytest.fixture(autouse=True)
def _uploads(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "uploads"


@pytest.fixture
def world(db):
    return build_world()


@pytest.fixture
def login(client):
    def as_user(user):
        client.force_login(user)
        return client

    return as_user
