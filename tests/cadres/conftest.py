"""The access tests' world (tests/access/conftest.py): A leads every task and B helps; C and
东城区 are on none; one person for each place a user can stand. Today is 2026-03-10."""

from __future__ import annotations

from tests.access.conftest import login, today, world  # noqa: F401
