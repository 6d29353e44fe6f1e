"""An issued 督办单 unanswered past its reply date turns the task yellow (DESIGN.md, lights);
the count comes from one query, for some tasks or for every open task."""

from __future__ import annotations

import datetime as dt

from luoshi.lib import clock
from luoshi.supervision.models import NoticeState, SupervisionNotice
from luoshi.supervision.queries import overdue_notice_counts
from luoshi.tasks.models import Light
from luoshi.tasks.services.refresh import lights_refresh_all, task_refresh

D = dt.date


def _notice(task, *, reply_by, state=NoticeState.ISSUED, seq=1):
    return SupervisionNotice.objects.create(
        task=task,
        unit=task.lead_unit,
        content="请书面回复办理情况。",
        reply_by=reply_by,
        state=state,
        year=2026,
        seq=seq,
        drafted_at=clock.now(),
        issued_at=clock.now(),
    )


def _light(task, day):
    with clock.pinned_today(day):
        lights_refresh_all(today=day)
    task.refresh_from_db()
    return task.light, task.light_reasons


def test_an_unanswered_notice_turns_the_task_yellow_after_its_reply_date(world):
    task = world.later  # due 2026-12-31: green in September
    with clock.pinned_today(D(2026, 9, 10)):
        notice = _notice(task, reply_by=D(2026, 9, 14))
    assert _light(task, D(2026, 9, 14)) == (Light.GREEN, [])  # the reply date itself: in time
    assert _light(task, D(2026, 9, 15)) == (
        Light.YELLOW,
        [{"code": "notice_unanswered", "count": 1}],
    )
    # the lead unit's reply lifts it at the next computation
    notice.state = NoticeState.REPLIED
    notice.save()
    with clock.pinned_today(D(2026, 9, 16)):
        task_refresh(task)
    task.refresh_from_db()
    assert task.light == Light.GREEN


def test_drafts_closed_and_replied_notices_do_not_count(world):
    task = world.later
    _notice(task, reply_by=D(2026, 9, 14), state=NoticeState.DRAFT, seq=None)
    _notice(task, reply_by=D(2026, 9, 14), state=NoticeState.REPLIED, seq=2)
    _notice(task, reply_by=D(2026, 9, 14), state=NoticeState.CLOSED, seq=3)
    assert overdue_notice_counts(None, D(2026, 9, 20)) == {}
    assert _light(task, D(2026, 9, 20))[0] == Light.GREEN


def test_counts_in_one_query_for_some_tasks_or_all(world, django_assert_num_queries):
    _notice(world.later, reply_by=D(2026, 9, 14), seq=1)
    _notice(world.later, reply_by=D(2026, 9, 15), seq=2)
    _notice(world.national, reply_by=D(2026, 9, 30), seq=3)  # not yet past on 09-20
    today = D(2026, 9, 20)
    with django_assert_num_queries(1):
        assert overdue_notice_counts([world.later.pk, world.national.pk], today) == {
            world.later.pk: 2
        }
    with django_assert_num_queries(1):
        assert overdue_notice_counts(None, today) == {world.later.pk: 2}
    many = [world.later.pk, *range(10**6, 10**6 + 6000)]  # the daily run: no huge IN list
    with django_assert_num_queries(1):
        assert overdue_notice_counts(many, today) == {world.later.pk: 2}
    assert overdue_notice_counts([world.national.pk], today) == {}


def test_a_task_past_due_over_rest_days_only_is_not_overdue_by_0_working_days(world, client):
    from django.urls import reverse

    task = world.holiday  # due Saturday 2026-10-03, inside 国庆节
    assert _light(task, D(2026, 10, 5)) == (Light.RED, [{"code": "overdue", "days": 0}])
    client.force_login(world.sup)
    with clock.pinned_today(D(2026, 10, 5)):
        html = client.get(reverse("tasks:detail", args=[task.pk])).content.decode()
    assert "已过完成时限（逾期未满 1 个工作日）" in html
    assert "已逾期 0 个工作日" not in html
    assert _light(task, D(2026, 10, 8)) == (Light.RED, [{"code": "overdue", "days": 1}])
