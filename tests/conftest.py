"""Every test starts with an empty cache. The suite's cache is one process's memory, and a
test's database is rolled back, so ids come round again: a value cached under one test's ids
(the ledger's filter menus, the cockpit's figures) must not answer in the next test."""

from __future__ import annotations

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
