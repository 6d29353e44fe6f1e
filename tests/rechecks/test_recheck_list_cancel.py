"""The 回头看 list (every re-check the user may read, by status and unit) and cancelling a
re-check not yet answered (取消回头看: kept as 已取消, on the task's history, the lead unit
told). 404 for who may not see, 403 for who sees but may not act, 405 for a wrong method,
the Chinese message and nothing changed for bad input."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from luoshi.audit.models import AuditEvent
from luoshi.lib import clock
from luoshi.notifications.models import Notification
from luoshi.org.models import Role
from luoshi.rechecks.daily import run_daily
from luoshi.rechecks.models import Recheck, RecheckState
from luoshi.rechecks.queries import overdue_before
from luoshi.rechecks.services import (
    recheck_answer,
    recheck_cancel,
    recheck_confirm,
    recheck_schedule,
)
from luoshi.tasks.models import EventKind, TaskEvent
from luoshi.tasks.services.lifecycle import closure_request, closure_verify
from tests.extensions.world import snapshot, user

CLOSED_ON = dt.date(2026, 7, 1)
SCHEDULED_ON = dt.date(2026, 7, 2)
DUE_DATE = dt.date(2026, 7, 10)  # a Friday
LIST_DAY = dt.date(2026, 7, 13)  # the Monday after: due, not overdue
LATE_DAY = dt.date(2026, 7, 27)  # 11 working days after 07-10: overdue


def close(world, task):
    with clock.pinned_today(CLOSED_ON):
        closure_request(actor=world.liaison_a, task=task, summary="已完成。")
        closure_verify(actor=world.sup, task=task)
    task.refresh_from_db()
    return task


@pytest.fixture
def scheduled(world):
    task = close(world, world.normal)
    with clock.pinned_today(SCHEDULED_ON):
        return recheck_schedule(actor=world.sup, task=task, months=3, note="看设施运行。")


@pytest.fixture
def every_state(world):
    """One re-check in each state: scheduled (normal), due (high), submitted (urgent),
    confirmed (late), cancelled (ongoing)."""
    tasks = {n: close(world, getattr(world, n)) for n in ("normal", "high", "urgent", "late")}
    out = {}
    with clock.pinned_today(SCHEDULED_ON):
        out["scheduled"] = recheck_schedule(actor=world.sup, task=tasks["normal"], months=3)
        for name in ("high", "urgent", "late"):
            out[name] = recheck_schedule(actor=world.sup, task=tasks[name], due_on=DUE_DATE)
    run_daily(today=DUE_DATE)
    with clock.pinned_today(DUE_DATE):
        recheck_answer(actor=world.liaison_a, recheck=out["urgent"], answer="运行正常。")
        recheck_answer(actor=world.liaison_a, recheck=out["late"], answer="运行正常。")
        recheck_confirm(actor=world.sup, recheck=out["late"])
        cancelled = recheck_schedule(
            actor=world.sup, task=close(world, world.ongoing), due_on=dt.date(2026, 9, 1)
        )
        recheck_cancel(actor=world.sup, recheck=cancelled, reason="已纳入年度督查。")
    return {
        "scheduled": out["scheduled"],
        "due": out["high"],
        "submitted": out["urgent"],
        "confirmed": out["late"],
        "cancelled": cancelled,
    }


def codes(html: str, world) -> list[str]:
    """The tasks listed, in order, by name."""
    names = {
        t.code: n
        for n in ("normal", "high", "urgent", "late", "ongoing")
        for t in [getattr(world, n)]
    }
    found = []
    for code, name in names.items():
        at = html.find(f">{code}<")
        if at >= 0:
            found.append((at, name))
    return [name for _at, name in sorted(found)]


# --- cancelling ----------------------------------------------------------------------------


def test_the_office_cancels_a_scheduled_recheck_with_a_reason(world, scheduled, login):
    office = login(world.sup)
    with clock.pinned_today(dt.date(2026, 8, 3)):
        page = office.get(reverse("rechecks:detail", args=[scheduled.pk])).content.decode()
        assert 'action="' + reverse("rechecks:cancel", args=[scheduled.pk]) in page
        response = office.post(
            reverse("rechecks:cancel", args=[scheduled.pk]), {"reason": "该事项已纳入年度督查。"}
        )
    assert response.status_code == 302
    assert response["Location"] == reverse("tasks:detail", args=[scheduled.task_id])
    recheck = Recheck.objects.get(pk=scheduled.pk)  # kept, not deleted
    assert (recheck.state, recheck.cancelled_by, recheck.cancel_reason) == (
        RecheckState.CANCELLED,
        world.sup,
        "该事项已纳入年度督查。",
    )
    event = TaskEvent.objects.filter(task=scheduled.task).latest("pk")
    assert (event.kind, event.actor, event.message) == (
        EventKind.RECHECK_CANCELLED,
        world.sup,
        "该事项已纳入年度督查。",
    )
    assert event.data["was"] == "scheduled" and event.data["due_on"] == "2026-10-08"
    assert AuditEvent.objects.filter(action="task.recheck.cancel").count() == 1
    told = Notification.objects.filter(dedupe_key=f"recheck:{recheck.pk}:cancelled")
    assert {n.recipient for n in told} == {world.liaison_a, world.head_a}
    task_page = office.get(reverse("tasks:detail", args=[scheduled.task_id])).content.decode()
    assert "回头看已取消。" in task_page and "取消回头看" in task_page
    detail = office.get(reverse("rechecks:detail", args=[scheduled.pk])).content.decode()
    assert "已取消" in detail and "该事项已纳入年度督查。" in detail
    assert 'action="' + reverse("rechecks:cancel", args=[scheduled.pk]) not in detail
    # nothing open any more: a new re-check may be scheduled
    with clock.pinned_today(dt.date(2026, 8, 3)):
        again = recheck_schedule(actor=world.sup, task=scheduled.task, months=6)
    assert again.state == RecheckState.SCHEDULED


def test_a_due_recheck_not_yet_answered_may_be_cancelled(world, scheduled):
    run_daily(today=dt.date(2026, 10, 8))
    with clock.pinned_today(dt.date(2026, 10, 9)):
        recheck = recheck_cancel(actor=world.sup, recheck=scheduled, reason="牵头单位已撤并。")
    assert recheck.state == RecheckState.CANCELLED
    assert TaskEvent.objects.filter(kind=EventKind.RECHECK_CANCELLED).get().data["was"] == "due"


@pytest.mark.parametrize(
    ("data", "message"),
    [({"reason": ""}, "请填写取消理由。"), ({"reason": "   "}, "请填写取消理由。")],
)
def test_a_reason_is_required(world, scheduled, login, data, message):
    before = snapshot()
    response = login(world.sup).post(reverse("rechecks:cancel", args=[scheduled.pk]), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert snapshot() == before


def test_an_answered_or_decided_recheck_cannot_be_cancelled(world, every_state):
    before = snapshot()
    with pytest.raises(ValidationError) as answered:
        recheck_cancel(actor=world.sup, recheck=every_state["submitted"], reason="不看了。")
    assert "牵头单位已反馈落实情况，请核验，不能取消。" in answered.value.messages
    for name, state in (("confirmed", "通过"), ("cancelled", "已取消")):
        with pytest.raises(ValidationError) as done:
            recheck_cancel(actor=world.sup, recheck=every_state[name], reason="不看了。")
        assert f"该回头看已是“{state}”，不能取消。" in done.value.messages
    assert snapshot() == before


@pytest.mark.parametrize(
    ("who", "status", "message"),
    [
        ("liaison_a", 403, "只有督查室人员可以取消回头看。"),
        ("leader", 403, "只有督查室人员可以取消回头看。"),
        ("liaison_b", 404, ""),  # a co-unit does not read the lead unit's re-check
        ("liaison_c", 404, ""),
    ],
)
def test_who_may_not_cancel(world, scheduled, login, who, status, message):
    client = login(getattr(world, who))
    before = snapshot()
    response = client.post(reverse("rechecks:cancel", args=[scheduled.pk]), {"reason": "不看了。"})
    assert response.status_code == status
    if message:
        assert message in response.content.decode()
        page = client.get(reverse("rechecks:detail", args=[scheduled.pk])).content.decode()
        assert reverse("rechecks:cancel", args=[scheduled.pk]) not in page
    assert snapshot() == before


def test_cancel_is_post_only(world, scheduled, login):
    url = reverse("rechecks:cancel", args=[scheduled.pk])
    assert login(world.sup).get(url).status_code == 405


# --- the list ------------------------------------------------------------------------------


def test_overdue_is_ten_working_days_unanswered(db):
    assert overdue_before(LIST_DAY) == dt.date(2026, 6, 29)
    assert overdue_before(LATE_DAY) == dt.date(2026, 7, 13)  # 07-10 < 07-13: overdue


def test_the_office_lists_every_recheck_what_needs_someone_first(world, every_state, login):
    office = login(world.sup)
    with clock.pinned_today(LIST_DAY):
        html = office.get(reverse("rechecks:list")).content.decode()
    # 待核验, 待反馈, 已安排, then the finished ones, latest date first
    assert codes(html, world) == ["urgent", "high", "normal", "ongoing", "late"]
    assert "逾期未反馈" not in html.split("<tbody>")[1]
    with clock.pinned_today(LATE_DAY):
        html = office.get(reverse("rechecks:list")).content.decode()
    assert "逾期未反馈" in html.split("<tbody>")[1]


@pytest.mark.parametrize(
    ("status", "day", "expected"),
    [
        ("scheduled", LIST_DAY, ["normal"]),
        ("due", LIST_DAY, ["high"]),
        ("overdue", LIST_DAY, []),
        ("overdue", LATE_DAY, ["high"]),
        ("submitted", LIST_DAY, ["urgent"]),
        ("done", LIST_DAY, ["late"]),
        ("cancelled", LIST_DAY, ["ongoing"]),
        ("nonsense", LIST_DAY, ["urgent", "high", "normal", "ongoing", "late"]),
    ],
)
def test_the_status_filter(world, every_state, login, status, day, expected):
    with clock.pinned_today(day):
        response = login(world.sup).get(reverse("rechecks:list"), {"status": status})
    assert response.status_code == 200
    assert codes(response.content.decode(), world) == expected


def test_the_unit_filter(world, every_state, login):
    office = login(world.sup)
    with clock.pinned_today(LIST_DAY):
        mine = office.get(reverse("rechecks:list"), {"unit": world.a.pk}).content.decode()
        other = office.get(reverse("rechecks:list"), {"unit": world.c.pk}).content.decode()
        bad = office.get(reverse("rechecks:list"), {"unit": "x"})
    assert len(codes(mine, world)) == 5 and codes(other, world) == []
    assert bad.status_code == 200 and len(codes(bad.content.decode(), world)) == 5


def test_a_unit_lists_the_rechecks_of_the_tasks_it_leads(world, every_state, login):
    with clock.pinned_today(LIST_DAY):
        lead = login(world.liaison_a).get(reverse("rechecks:list")).content.decode()
        co = login(world.liaison_b).get(reverse("rechecks:list")).content.decode()
        other = login(world.liaison_c).get(reverse("rechecks:list")).content.decode()
    assert len(codes(lead, world)) == 5
    assert 'name="unit"' not in lead  # no unit filter: its own only
    assert codes(co, world) == [] and codes(other, world) == []
    assert "没有回头看。" in co


def test_who_has_the_list_and_its_menu_entry(world, every_state, login):
    url = reverse("rechecks:list")
    for who in (world.sup, world.leader, world.liaison_a, world.head_a):
        page = login(who).get(url)
        assert page.status_code == 200
        assert f'href="{url}"' in page.content.decode()
    admin = user("sysadmin", Role.SYSADMIN)
    refused = login(admin).get(url)
    assert refused.status_code == 403
    assert "回头看只对督查室人员、领导和承办单位开放。" in refused.content.decode()
    home = login(admin).get(reverse("home")).content.decode()
    assert f'href="{url}"' not in home


def test_the_list_is_read_only(world, login):
    client = login(world.sup)
    assert client.post(reverse("rechecks:list")).status_code == 405
    assert client.head(reverse("rechecks:list")).status_code == 200
