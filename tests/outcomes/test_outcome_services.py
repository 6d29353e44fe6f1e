"""Recording, revoking and correcting outcome records: who may, what is checked, that
nothing is edited or deleted, and who reads what."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from luoshi.access import policy
from luoshi.audit.models import AuditEvent
from luoshi.outcomes.models import OutcomeKind, OutcomeRecord
from luoshi.outcomes.services import outcome_correct, outcome_record, outcome_revoke
from tests.rowcounts import count_rows

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 3, 5)
MODELS = (OutcomeRecord, AuditEvent)


def _record(world, actor=None, **kw):
    args = {
        "actor": actor or world.sup,
        "kind": OutcomeKind.COMMENDATION,
        "unit": world.a,
        "task": world.closed,
        "recorded_on": DAY,
        "text": "提前完成年度投资计划编制。",
        "doc_number": "市府办通〔2026〕5号",
    }
    args.update(kw)
    return outcome_record(**args)


def test_the_office_records_every_kind(world, today):
    for kind in OutcomeKind.values:
        record = _record(world, kind=kind)
        assert record.in_force
        assert record.recorded_by == world.sup
        assert record.created_at is not None
    assert OutcomeRecord.objects.in_force().count() == 5
    assert OutcomeRecord.objects.commending().count() == 2
    assert OutcomeRecord.objects.criticising().count() == 3
    assert AuditEvent.objects.filter(action="outcome.record").count() == 5


def test_a_unit_level_record_needs_no_task(world, today):
    record = _record(world, task=None, kind=OutcomeKind.PUBLIC_CRITICISM, unit=world.c)
    assert record.task is None and record.unit == world.c


def test_a_leader_records_a_leader_commendation_on_a_task_they_see(world, today):
    record = _record(world, actor=world.leader_in, kind=OutcomeKind.LEADER_COMMENDATION)
    assert record.kind == OutcomeKind.LEADER_COMMENDATION


@pytest.mark.parametrize(
    ("persona", "kind", "task", "message"),
    [
        ("leader_in", OutcomeKind.PUBLIC_CRITICISM, "closed", "领导只能记录领导表扬"),
        ("leader_in", OutcomeKind.LEADER_COMMENDATION, None, "只有督查室人员可以记录"),
        ("leader_out", OutcomeKind.LEADER_COMMENDATION, "closed", "只有督查室人员可以记录"),
        ("lead_head", OutcomeKind.COMMENDATION, "closed", "只有督查室人员可以记录"),
        ("sysadmin", OutcomeKind.COMMENDATION, None, "只有督查室人员可以记录"),
        ("sup_out", OutcomeKind.COMMENDATION, "closed", "只有督查室人员可以记录"),
    ],
)
def test_who_may_not_record(world, today, persona, kind, task, message):
    before = count_rows(MODELS)
    with pytest.raises(PermissionDenied) as exc:
        _record(
            world,
            actor=getattr(world, persona),
            kind=kind,
            task=getattr(world, task) if task else None,
        )
    assert message in str(exc.value)
    assert count_rows(MODELS) == before


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"kind": "praise"}, "kind", "请选择记录类型"),
        ({"text": "  "}, "text", "请填写事由。"),
        ({"text": "字" * 2001}, "text", "事由不能超过 2000 字。"),
        ({"recorded_on": None}, "recorded_on", "请填写日期。"),
        ({"recorded_on": dt.date(2026, 3, 11)}, "recorded_on", "日期不能晚于今天。"),
        ({"recorded_on": dt.date(2024, 1, 1)}, "recorded_on", "日期不能早于一年前。"),
        ({"unit": "c"}, "unit", "不是任务 2026-ZD"),
        ({"doc_number": "号" * 101}, "doc_number", "文号不能超过 100 字。"),
        ({"cadre": "other_head"}, "cadre", "被记录的干部须是该单位的人员"),
        (
            {"kind": OutcomeKind.LEADER_COMMENDATION, "task": None},
            "task",
            "领导表扬须针对一项任务。",
        ),
    ],
)
def test_bad_input_is_refused_and_nothing_is_written(world, today, change, field, message):
    args = dict(change)
    for key in ("unit", "cadre"):
        if isinstance(args.get(key), str):
            args[key] = getattr(world, args[key])
    before = count_rows(MODELS)
    with pytest.raises(ValidationError) as exc:
        _record(world, **args)
    assert any(message in m for m in exc.value.message_dict[field])
    assert count_rows(MODELS) == before


def test_a_cadre_of_the_unit_or_the_task_may_be_named(world, today):
    assert _record(world, cadre=world.lead_head).cadre == world.lead_head
    task = world.live
    assert _record(world, task=task, cadre=world.leader_lead).cadre == world.leader_lead


def test_a_talk_links_the_supervision_talk_of_the_same_task_only(world, today):
    from luoshi.lib import clock
    from luoshi.supervision.models import SupervisionRecord

    talk = SupervisionRecord.objects.create(
        task=world.live,
        kind="talk",
        held_on=DAY,
        participants="市发展改革委主要负责同志",
        content="约谈进度滞后问题。",
        recorded_by=world.sup,
        recorded_at=clock.now(),
    )
    record = _record(world, kind=OutcomeKind.TALK, task=world.live, talk_record=talk)
    assert record.talk_record == talk
    with pytest.raises(ValidationError) as exc:
        _record(world, kind=OutcomeKind.TALK, task=world.closed, talk_record=talk)
    assert "所选约谈记录不属于该任务。" in exc.value.message_dict["talk_record"]
    with pytest.raises(ValidationError) as exc:
        _record(world, kind=OutcomeKind.COMMENDATION, task=world.live, talk_record=talk)
    assert "只有约谈记录可以关联督办中的约谈。" in exc.value.message_dict["talk_record"]


def test_revoke_keeps_the_record_with_its_reason(world, today):
    record = _record(world)
    revoked = outcome_revoke(actor=world.sup, record=record, reason="文号有误，另行表彰。")
    assert OutcomeRecord.objects.filter(pk=record.pk).exists()
    assert revoked.revoked_by == world.sup and revoked.revoke_reason == "文号有误，另行表彰。"
    assert not OutcomeRecord.objects.in_force().filter(pk=record.pk).exists()
    assert AuditEvent.objects.filter(action="outcome.revoke").count() == 1
    with pytest.raises(PermissionDenied) as exc:
        outcome_revoke(actor=world.sup, record=record, reason="再次撤销。")
    assert "已被撤销或更正" in str(exc.value)


def test_revoke_needs_a_reason(world, today):
    record = _record(world)
    before = count_rows(MODELS)
    with pytest.raises(ValidationError) as exc:
        outcome_revoke(actor=world.sup, record=record, reason=" ")
    assert exc.value.message_dict["reason"] == ["请填写撤销理由。"]
    assert count_rows(MODELS) == before
    record.refresh_from_db()
    assert record.in_force


def test_correct_supersedes_and_keeps_the_old_record(world, today):
    record = _record(world)
    new = outcome_correct(
        actor=world.sup,
        record=record,
        kind=OutcomeKind.COMMENDATION,
        unit=world.a,
        task=world.closed,
        recorded_on=DAY,
        text="提前完成年度投资计划编制（更正）。",
        doc_number="市府办通〔2026〕6号",
    )
    record.refresh_from_db()
    assert record.superseded_by == new
    assert record.text == "提前完成年度投资计划编制。"  # never edited
    assert list(OutcomeRecord.objects.in_force()) == [new]
    assert AuditEvent.objects.get(action="outcome.correct").data["supersedes"] == record.pk


def test_only_the_office_or_the_recording_leader_may_change(world, today):
    praise = _record(world, actor=world.leader_in, kind=OutcomeKind.LEADER_COMMENDATION)
    office = _record(world)
    assert policy.may_change_outcome(world.leader_in, praise)
    assert not policy.may_change_outcome(world.leader_in, office)
    assert policy.may_change_outcome(world.sup, praise)
    for persona in ("lead_head", "lead_liaison", "sup_out", "auditor"):
        assert not policy.may_change_outcome(getattr(world, persona), office)
    with pytest.raises(PermissionDenied):
        outcome_revoke(actor=world.lead_head, record=office, reason="不同意。")
    outcome_revoke(actor=world.leader_in, record=praise, reason="重复记录。")


def test_who_reads_which_records(world, today):
    on_a = _record(world)
    on_c = _record(world, unit=world.c, task=None, kind=OutcomeKind.PUBLIC_CRITICISM)
    naming = _record(world, cadre=world.lead_head)
    reads = {
        "sup": {on_a, on_c, naming},
        "leader_in": {on_a, naming},
        "leader_out": set(),
        "lead_liaison": {on_a, naming},
        "co_head": set(),
        "other_head": {on_c},
        "sysadmin": set(),
        "auditor": set(),
        "inactive": set(),
    }
    for persona, expected in reads.items():
        got = set(policy.visible_outcomes(getattr(world, persona)))
        assert got == expected, persona


def test_scoring_reads_records_by_date(world, today):
    _record(world, recorded_on=dt.date(2026, 2, 27))
    inside = _record(world, recorded_on=dt.date(2026, 3, 2))
    found = OutcomeRecord.objects.in_force().recorded_between(
        dt.date(2026, 3, 1), dt.date(2026, 3, 31)
    )
    assert list(found) == [inside]
