"""Hardening tests: the page tests' small world (tests/pages/conftest.py), uploads kept in a
temporary directory."""

from __future__ import annotations

import pytest

from tests.pages.conftest import PASSWORD, TODAY, today, world  # noqa: F401


@pytest.fixture(autouse=True)
def _uploads(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "uploads"
