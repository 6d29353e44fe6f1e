from __future__ import annotations

from tests.access.conftest import login, today, world  # noqa: F401
