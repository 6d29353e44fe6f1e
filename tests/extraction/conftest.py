"""The demo city's unit tree with the office, a leader, a liaison and the system administrator.

Today is 2026-03-10."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from types import SimpleNamespace

import pytest

from luoshi.demo.units import build_units
from luoshi.lib import clock
from luoshi.org.models import Role, User

TODAY = dt.date(2026, 3, 10)
PASSWORD = "pw-Secret-2026"
DOCS = Path(__file__).resolve().parents[1] / "data" / "documents"


@pytest.fixture(autouse=True)
def uploads(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "uploads"
    return settings.MEDIA_ROOT


@pytest.fixture(autouse=True)
def pinned_today():
    with clock.pinned_today(TODAY):
        yield


def _user(username, role, unit=None, full_name="", **extra) -> User:
    return User.objects.create_user(
        username, password=PASSWORD, role=role, unit=unit, full_name=full_name, **extra
    )


@pytest.fixture
def city(db):
    units = build_units(actor=None)
    w = SimpleNamespace(units=units, **units.by_code)
    w.root = units.root
    w.sup = _user("sup", Role.SUPERVISOR, units.duchashi, "林督查")
    w.sup2 = _user("sup2", Role.SUPERVISOR, units.duchashi, "王督查")
    w.li = _user("li", Role.LEADER, units.root, "李建国", title="副市长")
    w.gxj_lly = _user("gxj_lly", Role.LIAISON, units["gxj"], "工信联络员")
    w.sysadmin = _user("sysadmin", Role.SYSADMIN, None, "系统管理员")
    return w
