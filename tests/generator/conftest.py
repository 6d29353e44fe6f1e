"""A small generated province (luoshi generate), built once per test that asks for it."""

from __future__ import annotations

import datetime as dt

import pytest

from luoshi.generator.build import province_generate
from luoshi.generator.plan import options_check

TODAY = dt.date(2026, 6, 15)
START = dt.date(2025, 6, 15)


def generate(*, units=120, tasks=1000, reports=10000, seed=7, force=False) -> dict:
    opts = options_check(
        units=units, tasks=tasks, reports=reports, seed=seed, start=START, today=TODAY
    )
    return province_generate(opts, force=force)


@pytest.fixture
def province(db) -> dict:
    return generate()
