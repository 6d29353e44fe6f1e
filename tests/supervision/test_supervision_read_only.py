"""The supervision pages that only show something (the 督办单 list, a notice, a file of a
reply) answer GET and HEAD, nothing else (405, and nothing changes)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from luoshi.lib import clock
from luoshi.supervision.models import SupervisionFile
from luoshi.supervision.services import notice_reply, notice_save
from tests.rowcounts import count_rows
from tests.supervision.conftest import pdf
from tests.supervision.test_supervision_views import MODELS

TODAY = dt.date(2026, 9, 10)


@pytest.fixture
def urls(world):
    with clock.pinned_today(TODAY):
        notice = notice_save(
            actor=world.sup,
            task=world.later,
            content="请书面回复办理情况。",
            reply_by=dt.date(2026, 9, 14),
        )
        notice_reply(actor=world.liaison_a, notice=notice, text="已办理。", files=[pdf()])
    item = SupervisionFile.objects.get()
    return [
        reverse("supervision:notices"),
        reverse("supervision:notice", args=[notice.pk]),
        reverse("supervision:file", args=[item.pk]),
    ]


def test_they_answer_get_and_head(world, login, urls):
    client = login(world.sup)
    with clock.pinned_today(TODAY):
        for url in urls:
            assert client.get(url).status_code == 200, url
            assert client.head(url).status_code == 200, url


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_they_refuse_other_methods(world, login, urls, method):
    client = login(world.sup)
    before = count_rows(MODELS)
    with clock.pinned_today(TODAY):
        for url in urls:
            assert getattr(client, method)(url).status_code == 405, url
    assert count_rows(MODELS) == before
