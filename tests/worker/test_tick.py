"""The daily tick: its steps in order, each only where its app has a `daily` module, a failing
step not stopping the others, the merged summary, and a second run for one date changing
nothing."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError

from luoshi.tasks.services import tick
from luoshi.tasks.services.tick import TickFailed, daily_tick, tick_steps

from .conftest import DAY, build_world, duplicate_events
from .fakes import CALLS


@pytest.fixture
def fake_steps(monkeypatch):
    CALLS.clear()
    monkeypatch.setattr(
        tick,
        "STEPS",
        [
            ("lights", None),
            ("first", "worker.fakes.first"),
            ("absent", "worker.fakes.not_there"),
            ("elsewhere", "luoshi.no_such_app.daily"),
            ("last", "worker.fakes.last"),
        ],
    )
    yield
    CALLS.clear()


def test_the_real_steps_run_in_the_order_of_the_design():
    names = [name for name, _path in tick.STEPS]
    assert names == [
        "lights",
        "supervision",
        "rechecks",
        "campaigns",
        "notifications",
        "security",
    ]
    present = [name for name, _run in tick_steps()]
    assert present[0] == "lights"
    assert present == [n for n in names if n in present]


@pytest.mark.django_db
def test_steps_run_in_order_with_the_date_pinned_and_absent_modules_skipped(fake_steps):
    summary = daily_tick(today=DAY)
    assert CALLS == [("first", DAY), ("last", DAY)]
    assert summary["first.done"] == 2
    assert summary["last.sent"] == 1
    assert summary["tasks"] == 0  # the lights step's counts stay unprefixed


@pytest.mark.django_db
def test_only_runs_the_named_steps(fake_steps):
    timings: dict[str, float] = {}
    summary = daily_tick(today=DAY, only=["last"], timings=timings)
    assert CALLS == [("last", DAY)]
    assert set(summary) == {"last.sent", "last.skipped"}
    assert list(timings) == ["last"]


@pytest.mark.django_db
def test_a_failing_step_does_not_stop_the_later_ones_and_the_tick_then_fails(
    fake_steps, monkeypatch
):
    monkeypatch.setattr(
        tick,
        "STEPS",
        [*tick.STEPS[:2], ("broken", "worker.fakes.broken"), *tick.STEPS[2:]],
    )
    with pytest.raises(TickFailed) as caught:
        daily_tick(today=DAY)
    assert [name for name, _ in CALLS] == ["first", "broken", "last"]
    assert list(caught.value.failures) == ["broken"]
    assert caught.value.summary["last.sent"] == 1


@pytest.mark.django_db
def test_the_command_prints_every_step_and_fails_when_one_did(fake_steps, monkeypatch):
    out = StringIO()
    call_command("tick", "--today", DAY.isoformat(), stdout=out)
    text = out.getvalue()
    assert "2026-06-15 例行工作完成" in text
    assert "first：done 2" in text
    assert "last：sent 1，skipped 0" in text

    monkeypatch.setattr(tick, "STEPS", [("broken", "worker.fakes.broken"), *tick.STEPS])
    out = StringIO()
    with pytest.raises(CommandError, match="以下步骤出错，其余步骤已完成：broken"):
        call_command("tick", "--today", DAY.isoformat(), stdout=out)
    assert "last：sent 1" in out.getvalue()


def _everything() -> dict[str, list]:
    """Every row of every table, by model."""
    return {
        model._meta.label: list(model.objects.order_by("pk").values_list())
        for model in apps.get_models()
        if model._meta.managed and not model._meta.proxy
    }


@pytest.mark.django_db
def test_a_second_tick_for_the_same_day_changes_nothing():
    build_world()
    first = daily_tick(today=DAY)
    assert first["changed"] == first["tasks"] > 100
    assert any(key.startswith("supervision.") and value for key, value in first.items())
    before = _everything()
    second = daily_tick(today=DAY)
    assert second["changed"] == 0
    assert _everything() == before
    assert duplicate_events() == []


@pytest.mark.django_db
def test_the_next_day_only_does_that_days_work():
    build_world()
    daily_tick(today=DAY)
    daily_tick(today=DAY + dt.timedelta(days=1))
    assert duplicate_events() == []
