"""The office's triage through the services: accept into a task (the public status follows
the task), into a campaign, merge, reject, reply; every step an event and an audit entry;
state and permission checks; nothing the public wrote is changed."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from luoshi.audit.models import AuditEvent
from luoshi.clues.models import ClueEvent, ClueEventKind, ClueState
from luoshi.clues.services.triage import (
    clue_accept_as_task,
    clue_accept_to_inspection,
    clue_merge,
    clue_reject,
    clue_reply,
)
from luoshi.clues.status import public_status
from luoshi.lib import clock
from luoshi.tasks.models import SourceKind, TaskState
from luoshi.tasks.services.lifecycle import (
    assignment_acknowledge,
    closure_request,
    closure_verify,
)

DUE = dt.date(2026, 4, 30)
XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>路灯坏了三个月无人修'


def _accept(world, clue, **kw):
    kw.setdefault("lead_unit", world.a)
    kw.setdefault("due", DUE)
    return clue_accept_as_task(actor=world.sup, clue=clue, **kw)


def test_accept_as_task_under_the_months_clue_source(world):
    clue, _code = world.submit(XSS, contact="13912345678")
    task = _accept(world, clue)
    clue.refresh_from_db()
    assert clue.state == ClueState.TASK and clue.task == task
    assert task.source.kind == SourceKind.CLUE
    assert task.source.code == "2026-XS-03" and task.code == "2026-XS-03-001"
    assert task.state == TaskState.ASSIGNED and task.lead_unit == world.a
    assert task.content.endswith(XSS)  # stored raw, escaped wherever shown
    assert clue.number in task.content
    assert "13912345678" not in task.content
    assert task.title == "民生服务：东城区幸福路12号"
    # a second clue in the same month goes under the same source
    other, _ = world.submit()
    task2 = _accept(world, other, title="修路灯", assign=False)
    assert task2.source == task.source and task2.state == TaskState.DRAFT
    assert task2.title == "修路灯"
    event = ClueEvent.objects.get(clue=clue, kind=ClueEventKind.TASK)
    assert event.actor == world.sup and event.data["task"] == task.code
    assert AuditEvent.objects.filter(action="clues.accept_task", object_id=str(clue.pk)).exists()


def test_the_public_status_follows_the_task(world):
    clue, _ = world.submit()
    assert public_status(clue).code == "received"
    assert public_status(clue).label == "已受理"
    task = _accept(world, clue)
    clue.refresh_from_db()
    assert public_status(clue).code == "in_progress"
    with clock.pinned_today(dt.date(2026, 3, 11)):
        assignment_acknowledge(actor=world.liaison_a, task=task)
        closure_request(actor=world.liaison_a, task=task, summary="路灯已修好。")
        closure_verify(actor=world.sup, task=task)
    clue.refresh_from_db()
    status = public_status(clue)  # computed from the task, not copied onto the clue
    assert status.code == "done" and status.label == "已办结"
    assert status.done_at is not None
    assert clue.state == ClueState.TASK


def test_accepting_needs_a_lead_unit_and_a_due_date_not_in_the_past(world):
    clue, _ = world.submit()
    with pytest.raises(ValidationError) as exc:
        _accept(world, clue, lead_unit=None, due=None)
    assert set(exc.value.message_dict) == {"lead_unit", "due"}
    with pytest.raises(ValidationError, match="不能早于今天"):
        _accept(world, clue, due=dt.date(2026, 3, 9))
    clue.refresh_from_db()
    assert clue.state == ClueState.NEW and clue.task is None
    assert not ClueEvent.objects.filter(clue=clue, kind=ClueEventKind.TASK).exists()


def test_merge_shows_the_primarys_progress(world):
    primary, _ = world.submit()
    dup, _dup_code = world.submit("同一个路灯的问题，我也来反映一下。")
    clue_merge(actor=world.sup, clue=dup, primary=primary)
    dup.refresh_from_db()
    assert dup.state == ClueState.MERGED and dup.merged_into == primary
    status = public_status(dup)
    assert status.code == "merged" and status.primary.code == "received"
    _accept(world, primary)
    dup.refresh_from_db()
    assert public_status(dup).primary.code == "in_progress"
    clue_reply(actor=world.sup, clue=primary, text="已交市发展改革委办理。")
    dup.refresh_from_db()
    assert public_status(dup).primary.reply == "已交市发展改革委办理。"
    assert AuditEvent.objects.filter(action="clues.merge").count() == 1


def test_merge_refusals(world):
    a, _ = world.submit()
    b, _ = world.submit()
    c, _ = world.submit()
    with pytest.raises(ValidationError, match="并入它自己"):
        clue_merge(actor=world.sup, clue=a, primary=a)
    with pytest.raises(ValidationError, match="请填写"):
        clue_merge(actor=world.sup, clue=a, primary=None)
    clue_merge(actor=world.sup, clue=b, primary=a)
    with pytest.raises(ValidationError, match="只能并入未合并"):
        clue_merge(actor=world.sup, clue=c, primary=b)
    with pytest.raises(ValidationError, match="已有其他线索并入"):
        clue_merge(actor=world.sup, clue=a, primary=c)
    with pytest.raises(ValidationError, match="该线索已处理"):
        clue_merge(actor=world.sup, clue=b, primary=c)
    d, _ = world.submit()
    clue_reject(actor=world.sup, clue=d, reason="不属于督查范围。")
    with pytest.raises(ValidationError, match="只能并入未合并"):
        clue_merge(actor=world.sup, clue=c, primary=d)


def test_reject_needs_a_reason_shown_to_the_public(world):
    clue, _ = world.submit()
    with pytest.raises(ValidationError, match="请填写不予受理的理由"):
        clue_reject(actor=world.sup, clue=clue, reason="  ")
    with pytest.raises(ValidationError, match="不能超过 1000 个字"):
        clue_reject(actor=world.sup, clue=clue, reason="长" * 1001)
    clue.refresh_from_db()
    assert clue.state == ClueState.NEW
    clue_reject(actor=world.sup, clue=clue, reason="反映的问题已由法院受理。")
    clue.refresh_from_db()
    status = public_status(clue)
    assert status.code == "rejected" and status.label == "不予受理"
    assert status.reason == "反映的问题已由法院受理。"
    with pytest.raises(ValidationError, match="该线索已处理"):
        _accept(world, clue)


def test_replies_are_kept_in_the_history(world):
    clue, _ = world.submit()
    text_before = clue.text
    clue_reply(actor=world.sup, clue=clue, text="已收到，正在核实。")
    clue_reply(actor=world.sup, clue=clue, text="已核实，转交办理。")
    clue.refresh_from_db()
    assert clue.public_reply == "已核实，转交办理。"
    replies = ClueEvent.objects.filter(clue=clue, kind=ClueEventKind.REPLIED)
    assert [e.data["text"] for e in replies] == ["已收到，正在核实。", "已核实，转交办理。"]
    assert clue.text == text_before
    with pytest.raises(ValidationError, match="请填写答复内容"):
        clue_reply(actor=world.sup, clue=clue, text="")


def test_only_the_office_triages(world):
    clue, _ = world.submit()
    for user in (world.leader, world.liaison_a, world.sysadmin):
        with pytest.raises(PermissionDenied):
            clue_accept_as_task(actor=user, clue=clue, lead_unit=world.a, due=DUE)
        with pytest.raises(PermissionDenied):
            clue_reject(actor=user, clue=clue, reason="x")
        with pytest.raises(PermissionDenied):
            clue_reply(actor=user, clue=clue, text="x")
    clue.refresh_from_db()
    assert clue.state == ClueState.NEW


def _inspection(world, state="active"):
    from luoshi.campaigns.models import Inspection

    return Inspection.objects.create(
        code=f"2026-DC-{state}",
        year=2026,
        title="优化营商环境专项督查",
        kind="special",
        state=state,
        scope="营商环境政策落实情况",
        team_leader=world.sup,
        start_date=dt.date(2026, 3, 20),
        end_date=dt.date(2026, 4, 10),
        notice_days_ahead=3,
        statement_days=5,
        created_by=world.sup,
        created_at=clock.now(),
    )


def test_accept_into_a_campaign(world):
    clue, _ = world.submit(category="营商环境")
    inspection = _inspection(world)
    clue_accept_to_inspection(actor=world.sup, clue=clue, inspection=inspection)
    clue.refresh_from_db()
    assert clue.state == ClueState.INSPECTION and clue.inspection == inspection
    assert list(inspection.clues.all()) == [clue]
    assert public_status(clue).code == "in_progress"
    inspection.state = "finished"
    inspection.save()
    clue.refresh_from_db()
    assert public_status(clue).code == "done"
    assert AuditEvent.objects.filter(action="clues.accept_inspection").count() == 1


def test_a_finished_campaign_takes_no_clue(world):
    clue, _ = world.submit()
    with pytest.raises(ValidationError, match="已完结"):
        clue_accept_to_inspection(
            actor=world.sup, clue=clue, inspection=_inspection(world, "finished")
        )
    with pytest.raises(ValidationError, match="请选择督查活动"):
        clue_accept_to_inspection(actor=world.sup, clue=clue, inspection=None)
    clue.refresh_from_db()
    assert clue.state == ClueState.NEW


def test_the_task_made_from_a_clue_exports_its_words_as_text(world):
    import io

    from openpyxl import load_workbook

    from luoshi.ledger.export import ledger_workbook

    clue, _ = world.submit('=HYPERLINK("http://evil.example","点我")<script>alert(1)</script>')
    task = _accept(world, clue, title="=1+1 路灯")
    data = ledger_workbook(user=world.sup, tasks=[task])
    cells = [
        c for row in load_workbook(io.BytesIO(data)).active.iter_rows() for c in row if c.value
    ]
    texts = [c for c in cells if isinstance(c.value, str) and "HYPERLINK" in c.value]
    assert texts and all(c.data_type == "s" for c in texts)
    titles = [c for c in cells if isinstance(c.value, str) and "1+1 路灯" in c.value]
    assert titles and all(c.data_type == "s" for c in titles)


def test_the_campaign_page_lists_its_clues_for_the_office_only(world, client):
    from django.urls import reverse

    from luoshi.campaigns.queries import clues_of

    clue, _ = world.submit(category="营商环境")
    inspection = _inspection(world)
    clue_accept_to_inspection(actor=world.sup, clue=clue, inspection=inspection)
    assert clues_of(world.sup, inspection) == [clue]
    assert clues_of(world.leader, inspection) == [clue]
    assert clues_of(world.liaison_a, inspection) == []
    client.force_login(world.sup)
    page = client.get(reverse("campaigns:detail", args=[inspection.pk]))
    assert page.status_code == 200
    assert reverse("clues:detail", args=[clue.pk]) in page.content.decode()
