"""A world for the clue tests, built through the services under a pinned date.

Today is Tuesday 2026-03-10. Units: the government with 发改委 (A), 交通局 (B) and 东城区 (a
district). People: sup (office, whole tree), sup_out (office, scoped to 东城区), leader,
liaison_a / head_a of A, sysadmin. Categories: the five the migration seeds.

`submit(...)` hands in a clue through the service and returns (clue, receipt code).
`post_form(client, **fields)` posts the public form with a solved CAPTCHA and a form stamp
older than the minimum fill time.
"""

from __future__ import annotations

import datetime as dt
import io
from types import SimpleNamespace

import pytest
from django.core.cache import cache
from PIL import Image

from luoshi.clues import captcha
from luoshi.clues.forms import FORM_SALT
from luoshi.clues.models import ClueCategory
from luoshi.clues.services.submission import clue_submit
from luoshi.lib import clock
from luoshi.org.models import Role, UnitKind, User
from luoshi.org.services import unit_create

TODAY = dt.date(2026, 3, 10)
PASSWORD = "pw-Secret-2026"
TEXT = "小区门口的路灯已经坏了三个月，多次反映无人处理。"


def _user(username, role, unit=None, **extra) -> User:
    return User.objects.create_user(
        username, password=PASSWORD, role=role, unit=unit, full_name=username, **extra
    )


@pytest.fixture(autouse=True)
def _clean(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "uploads"
    # generous limits unless a test sets its own
    settings.LUOSHI = {
        **settings.LUOSHI,
        "CLUE_MIN_FILL_SECONDS": 2,
        "CLUE_RATE_SUBMIT": (1000, 3600),
        "CLUE_RATE_LOOKUP": (1000, 600),
    }
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def today():
    with clock.pinned_today(TODAY):
        yield TODAY


@pytest.fixture
def world(db, today):
    w = SimpleNamespace()
    w.gov = unit_create(actor=None, name="示范市人民政府", kind=UnitKind.GOVERNMENT)
    w.a = unit_create(
        actor=None, name="示范市发展和改革委员会", kind=UnitKind.DEPARTMENT, parent=w.gov
    )
    w.b = unit_create(actor=None, name="示范市交通运输局", kind=UnitKind.DEPARTMENT, parent=w.gov)
    w.district = unit_create(actor=None, name="示范市东城区", kind=UnitKind.DISTRICT, parent=w.gov)
    w.sup = _user("sup", Role.SUPERVISOR, w.gov)
    w.sup_out = _user("sup_out", Role.SUPERVISOR, w.gov, scope_unit=w.district)
    w.leader = _user("leader", Role.LEADER, w.gov)
    w.liaison_a = _user("liaison_a", Role.LIAISON, w.a)
    w.head_a = _user("head_a", Role.UNIT_HEAD, w.a)
    w.sysadmin = _user("sysadmin", Role.SYSADMIN)
    # the data migration's categories (re-made: tests that empty the database lose them)
    for i, name in enumerate(["政策落实", "营商环境", "民生服务", "作风问题", "其他"]):
        ClueCategory.objects.get_or_create(name=name, defaults={"sort_order": (i + 1) * 10})
    w.cat = {c.name: c for c in ClueCategory.objects.all()}

    def submit(text=TEXT, *, category="民生服务", place="东城区幸福路12号", unit=None, **kw):
        done = clue_submit(category=w.cat[category], place=place, text=text, unit=unit, **kw)
        return done.clue, done.receipt_code

    w.submit = submit
    return w


def login(client, user):
    client.force_login(user)
    return client


def jpeg_bytes(size=(64, 48), exif=None, colour=(200, 30, 30)) -> bytes:
    out = io.BytesIO()
    img = Image.new("RGB", size, colour)
    if exif is not None:
        img.save(out, format="JPEG", exif=exif)
    else:
        img.save(out, format="JPEG")
    return out.getvalue()


def old_stamp(seconds: float = 60) -> str:
    from django.core import signing

    import luoshi.clues.forms as forms

    return signing.dumps(forms._now() - seconds, salt=FORM_SALT)


def form_data(world, **fields) -> dict:
    challenge = captcha.new_challenge("image")
    data = {
        "category": world.cat["民生服务"].pk,
        "place": "东城区幸福路12号",
        "unit": "",
        "text": TEXT,
        "contact": "13812345678",
        "website": "",
        "started": old_stamp(),
        "captcha_token": challenge.token,
        "captcha_answer": captcha.solution(challenge.token),
    }
    data.update(fields)
    return data


@pytest.fixture
def post_form(client):
    from django.urls import reverse

    def post(world, files=None, **fields):
        data = form_data(world, **fields)
        if files:
            data.update(files)
        return client.post(reverse("clues:submit"), data)

    return post
