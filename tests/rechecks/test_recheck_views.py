"""The pages of 回头看: 安排回头看 from the closed task's page, the re-check's page where the lead
unit answers with files once it is due and the office gives its verdict, the download of the
evidence, and the 工作台 lists. 404 for who may not see, 403 for who sees but may not act."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from luoshi.lib import clock
from luoshi.rechecks.daily import run_daily
from luoshi.rechecks.models import Recheck, RecheckEvidence, RecheckState
from luoshi.rechecks.services import recheck_schedule
from luoshi.tasks.models import Task, TaskState
from luoshi.tasks.services.lifecycle import closure_request, closure_verify
from tests.extensions.world import pdf, snapshot

CLOSED_ON = dt.date(2026, 7, 1)
SCHEDULED_ON = dt.date(2026, 7, 2)
DUE_ON = dt.date(2026, 10, 8)


@pytest.fixture
def closed(world):
    with clock.pinned_today(CLOSED_ON):
        closure_request(actor=world.liaison_a, task=world.normal, summary="已完成。")
        closure_verify(actor=world.sup, task=world.normal)
    world.normal.refresh_from_db()
    return world.normal


@pytest.fixture
def due(world, closed):
    with clock.pinned_today(SCHEDULED_ON):
        recheck = recheck_schedule(actor=world.sup, task=closed, months=3)
    run_daily(today=DUE_ON)
    recheck.refresh_from_db()
    with clock.pinned_today(dt.date(2026, 10, 12)):
        yield recheck


def _page(client, task) -> str:
    response = client.get(reverse("tasks:detail", args=[task.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_office_schedules_from_the_closed_tasks_page(world, closed, login):
    client = login(world.sup)
    url = reverse("rechecks:schedule", args=[closed.pk])
    with clock.pinned_today(SCHEDULED_ON):
        assert url in _page(client, closed)
        assert url not in _page(login(world.liaison_a), closed)
        client = login(world.sup)
        form = client.get(url).content.decode()
        assert "3个月后（2026-10-08）" in form  # 10-01 is 国庆: the first working day after
        assert "该任务于 2026-07-01 办结" in form
        response = client.post(url, {"when": "3", "note": "看设施运行。"})
        assert response.status_code == 302
        assert response["Location"] == reverse("tasks:detail", args=[closed.pk])
        page = _page(client, closed)
    recheck = Recheck.objects.get()
    assert recheck.due_on == DUE_ON and recheck.note == "看设施运行。"
    assert "已安排回头看，定于 2026-10-08。" in page
    assert "回头看日期：2026-10-08" in page  # the history entry
    assert url not in page  # one open re-check at a time


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"when": "date", "due_on": ""}, "请填写回头看日期。"),
        ({"when": "date", "due_on": "2026-07-01"}, "回头看日期（2026-07-01）须晚于今天。"),
        ({}, "请选择回头看时间：3个月后、6个月后或指定日期。"),
        ({"when": "12"}, "请选择回头看时间：3个月后、6个月后或指定日期。"),
    ],
)
def test_bad_schedule_comes_back_on_the_form(world, closed, login, data, message):
    client = login(world.sup)
    before = snapshot()
    with clock.pinned_today(SCHEDULED_ON):
        response = client.post(reverse("rechecks:schedule", args=[closed.pk]), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert snapshot() == before


@pytest.mark.parametrize(
    ("who", "status"), [("liaison_a", 403), ("leader", 403), ("liaison_c", 404)]
)
def test_who_may_not_schedule(world, closed, login, who, status):
    client = login(getattr(world, who))
    before = snapshot()
    with clock.pinned_today(SCHEDULED_ON):
        url = reverse("rechecks:schedule", args=[closed.pk])
        assert client.get(url).status_code == status
        response = client.post(url, {"when": "3"})
    assert response.status_code == status
    if status == 403:
        assert "只有督查室人员可以安排回头看。" in response.content.decode()
    assert snapshot() == before


def test_scheduling_an_open_task_is_refused_with_the_reason(world, today, login):
    response = login(world.sup).get(reverse("rechecks:schedule", args=[world.high.pk]))
    assert response.status_code == 403
    assert "只有已办结的任务可以安排回头看或重新办理；该任务当前状态为“办理中”。" in (
        response.content.decode()
    )


def test_the_unit_answers_with_files_and_the_office_fails_it(world, due, login):
    unit = login(world.liaison_a)
    home = unit.get(reverse("home")).content.decode()
    assert 'id="rechecks-answer"' in home
    assert reverse("rechecks:open_for_task", args=[due.task_id]) in _page(unit, due.task)
    opened = unit.get(reverse("rechecks:open_for_task", args=[due.task_id]))
    assert opened["Location"] == reverse("rechecks:detail", args=[due.pk])
    page = unit.get(opened["Location"]).content.decode()
    assert 'action="' + reverse("rechecks:answer", args=[due.pk]) in page

    before = snapshot()
    empty = unit.post(reverse("rechecks:answer", args=[due.pk]), {"answer": ""})
    assert empty.status_code == 200 and "请填写落实情况。" in empty.content.decode()
    assert snapshot() == before

    response = unit.post(
        reverse("rechecks:answer", args=[due.pk]),
        {"answer": "设施持续运行。", "files": [pdf("运行记录.pdf")]},
    )
    assert response.status_code == 302
    assert Recheck.objects.get(pk=due.pk).state == RecheckState.SUBMITTED
    item = RecheckEvidence.objects.get()
    download = unit.get(reverse("rechecks:evidence", args=[item.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    assert "attachment" in download["Content-Disposition"]
    # the co-unit reads neither the answer nor its files
    co = login(world.liaison_b)
    assert co.get(reverse("rechecks:evidence", args=[item.pk])).status_code == 404
    assert co.get(reverse("rechecks:detail", args=[due.pk])).status_code == 404

    office = login(world.sup)
    home = office.get(reverse("home")).content.decode()
    assert 'id="rechecks-verify"' in home and "待核验" in home
    detail = office.get(reverse("rechecks:detail", args=[due.pk])).content.decode()
    assert "设施持续运行。" in detail and "运行记录.pdf" in detail
    no_reason = office.post(reverse("rechecks:verdict", args=[due.pk]), {"verdict": "fail"})
    assert no_reason.status_code == 200
    assert "未通过时请填写理由。" in no_reason.content.decode()
    response = office.post(
        reverse("rechecks:verdict", args=[due.pk]),
        {"verdict": "fail", "comment": "设施已停运。", "due": "2026-12-31"},
    )
    assert response.status_code == 302
    task = Task.objects.get(pk=due.task_id)
    assert task.state == TaskState.IN_PROGRESS and task.due == dt.date(2026, 12, 31)
    page = _page(office, task)
    assert "回头看未通过，任务已重新办理。" in page
    assert "完成时限调整为 2026-12-31（原为 2026-06-30）" in page
    assert 'id="rechecks-verify"' not in office.get(reverse("home")).content.decode()


def test_the_office_confirms(world, due, login):
    login(world.liaison_a).post(
        reverse("rechecks:answer", args=[due.pk]), {"answer": "设施持续运行。"}
    )
    office = login(world.sup)
    response = office.post(
        reverse("rechecks:verdict", args=[due.pk]), {"verdict": "confirm", "comment": "通过。"}
    )
    assert response.status_code == 302
    assert Recheck.objects.get(pk=due.pk).state == RecheckState.CONFIRMED
    assert Task.objects.get(pk=due.task_id).state == TaskState.CLOSED
    assert "回头看通过。" in _page(office, due.task)


@pytest.mark.parametrize(
    ("who", "url_name", "data", "status"),
    [
        ("liaison_b", "rechecks:answer", {"answer": "正常。"}, 404),
        ("sup", "rechecks:answer", {"answer": "正常。"}, 403),
        ("liaison_a", "rechecks:verdict", {"verdict": "fail", "comment": "不行。"}, 403),
        ("leader", "rechecks:verdict", {"verdict": "fail", "comment": "不行。"}, 403),
        ("liaison_c", "rechecks:verdict", {"verdict": "fail", "comment": "不行。"}, 404),
    ],
)
def test_who_may_not_answer_or_judge(world, due, login, who, url_name, data, status):
    client = login(getattr(world, who))
    before = snapshot()
    response = client.post(reverse(url_name, args=[due.pk]), data)
    assert response.status_code == status
    assert snapshot() == before


def test_wrong_methods(world, due, login):
    client = login(world.sup)
    assert client.get(reverse("rechecks:verdict", args=[due.pk])).status_code == 405
    assert client.get(reverse("rechecks:answer", args=[due.pk])).status_code == 405
    assert client.post(reverse("rechecks:detail", args=[due.pk])).status_code == 405


@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_read_only_pages_refuse_other_methods(world, due, login, method):
    login(world.liaison_a).post(
        reverse("rechecks:answer", args=[due.pk]),
        {"answer": "设施持续运行。", "files": [pdf("运行记录.pdf")]},
    )
    client = login(world.sup)
    urls = [
        reverse("rechecks:list"),
        reverse("rechecks:detail", args=[due.pk]),
        reverse("rechecks:open_for_task", args=[due.task_id]),
        reverse("rechecks:evidence", args=[RecheckEvidence.objects.get().pk]),
    ]
    before = snapshot()
    for url in urls:
        assert getattr(client, method)(url).status_code == 405, url
    assert snapshot() == before
    for url in urls:  # HEAD is a GET without the body (a download is audited as one)
        assert client.head(url).status_code in (200, 302), url
