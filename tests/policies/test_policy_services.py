"""政策体系 through the services: registering a policy, linking goals, deliverables as tasks,
delivery figures on the dated world, revision and repeal, and bad input (Chinese messages,
nothing written)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from luoshi.audit.models import AuditEvent
from luoshi.policies import queries
from luoshi.policies.models import Policy, PolicyDeliverable, PolicyGoal, PolicyStatus
from luoshi.policies.services import (
    DeliverableRow,
    deliverables_assign,
    deliverables_create,
    policy_create,
    policy_goal_link,
    policy_set_status,
    policy_update,
)
from luoshi.tasks.models import (
    AssignmentRole,
    Indicator,
    Source,
    SourceKind,
    Task,
    TaskEvent,
    TaskState,
    TaskUnit,
)
from luoshi.tasks.services.editing import task_create
from tests.rowcounts import count_rows

pytestmark = pytest.mark.django_db

MODELS = [Policy, PolicyDeliverable, PolicyGoal, Source, Task, TaskUnit, Indicator, TaskEvent]
MODELS_AUDIT = [*MODELS, AuditEvent]


def messages_of(exc: ValidationError) -> list[str]:
    return exc.messages


# --- registering ---------------------------------------------------------------------------


def test_register_makes_a_document_source_and_tasks_for_the_deliverables(world, today):
    p = world.jobs
    assert p.source.kind == SourceKind.DOCUMENT
    assert p.source.title == p.title and p.source.doc_number == "示政发〔2026〕5号"
    assert [d.number for d in p.deliverables.order_by("number")] == [1, 2, 3]
    task = world.d1.task
    assert task.source_id == p.source_id and task.parent_id is None
    assert task.category == "政策兑现"
    assert task.content == "对符合条件的企业给予一次性奖补50万元。"
    assert task.title == "对符合条件的企业给予一次性奖补50万元"
    assert task.lead_unit == world.a and task.due == dt.date(2026, 3, 31)
    assert task.start_date == p.issued_on
    ind = task.indicators.get()
    assert (ind.name, ind.measure_unit, ind.target) == ("奖补企业数", "家", Decimal(100))
    assert AuditEvent.objects.filter(action="policy.create", object_id=str(p.pk)).exists()
    assert TaskEvent.objects.filter(task=task, kind="created").exists()


def test_deliverable_rows_take_co_units_and_assign_at_once(world, today):
    made = deliverables_create(
        actor=world.sup,
        policy=world.paper,
        rows=[
            DeliverableRow(
                promise="延长重点商圈营业时间至24时。",
                lead_unit=world.b,
                co_units=[world.c],
                due=dt.date(2026, 6, 30),
            )
        ],
        assign=True,
    )
    (d,) = made
    assert d.number == 1
    task = d.task
    assert task.state == TaskState.ASSIGNED
    roles = dict(TaskUnit.objects.filter(task=task).values_list("unit_id", "role"))
    assert roles == {world.b.pk: AssignmentRole.LEAD, world.c.pk: AssignmentRole.CO}
    # the next deliverable of the policy takes the next number
    (d2,) = deliverables_create(
        actor=world.sup,
        policy=world.paper,
        rows=[DeliverableRow(promise="夜市摊位免费。", lead_unit=world.b, ongoing=True)],
    )
    assert d2.number == 2 and d2.task.ongoing and d2.task.state == TaskState.DRAFT
    assert deliverables_assign(actor=world.sup, policy=world.paper) == 1


def test_register_on_an_existing_document_source(world, today):
    source = Source.objects.create(kind=SourceKind.DOCUMENT, code="2026-WJ9", title="已登记文件")
    p = policy_create(actor=world.sup, title="已登记文件", issued_on=today, source=source)
    assert p.source_id == source.pk
    with pytest.raises(ValidationError) as err:
        policy_create(actor=world.sup, title="再登记", issued_on=today, source=source)
    assert "已登记为政策" in messages_of(err.value)[0]


def test_a_policy_file_is_stored(world, today):
    upload = SimpleUploadedFile("措施.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    p = policy_create(actor=world.sup, title="带文件的政策", issued_on=today, file=upload)
    assert p.file_name == "措施.pdf" and p.file.name.startswith("policies/")


def test_only_the_office_registers(world, today):
    for who in (world.mayor, world.liaison_a, world.sysadmin):
        with pytest.raises(PermissionDenied):
            policy_create(actor=who, title="越权", issued_on=today)


# --- goals ---------------------------------------------------------------------------------


def test_link_goals(world, today):
    assert list(world.jobs.goals.all()) == [world.goal]
    assert world.jobs.goal_links.get().note == "政策支撑"
    link = policy_goal_link(actor=world.sup, policy=world.paper, goal=world.goal, note="间接")
    assert link.goal == world.goal
    with pytest.raises(ValidationError) as err:
        policy_goal_link(actor=world.sup, policy=world.paper, goal=world.goal)
    assert messages_of(err.value) == ["该政策已关联此目标。"]


def test_a_sub_task_or_a_deliverable_is_not_a_goal(world, today):
    child = task_create(
        actor=world.sup,
        source=world.goal.source,
        parent=world.goal,
        title="子任务",
        lead_unit=world.a,
        due=dt.date(2026, 6, 30),
    )
    before = count_rows(MODELS_AUDIT)
    with pytest.raises(ValidationError) as err:
        policy_goal_link(actor=world.sup, policy=world.paper, goal=child)
    assert messages_of(err.value) == ["只能关联目标（顶层任务），不能关联子任务。"]
    with pytest.raises(ValidationError) as err:
        policy_goal_link(actor=world.sup, policy=world.paper, goal=world.d1.task)
    assert messages_of(err.value) == ["该任务不能作为政策服务的目标。"]
    assert count_rows(MODELS_AUDIT) == before


# --- delivery figures on the dated world -----------------------------------------------------


def test_delivery_figures(world, today):
    figures = queries.deliveries(world.sup, [world.jobs, world.paper, world.idle], today=today)
    jobs = figures[world.jobs.pk]
    assert (jobs.total, jobs.closed, jobs.on_time, jobs.overdue, jobs.started) == (3, 1, 1, 1, 2)
    assert jobs.percent == 33 and jobs.percent_on_time == 33
    assert dict(jobs.by_state) == {"closed": 1, "in_progress": 1, "assigned": 1}
    # one indicator, 60 of 100
    assert jobs.indicator_percent == 60
    assert jobs.verdict == "late" and not jobs.is_paper
    assert figures[world.paper.pk].verdict == "none" and figures[world.paper.pk].is_paper
    idle = figures[world.idle.pk]
    assert (idle.total, idle.started, idle.verdict) == (1, 0, "idle")
    assert idle.is_paper


def test_closed_late_counts_as_closed_but_not_on_time(world, today):
    from luoshi.tasks.services.lifecycle import closure_request, closure_verify

    task = world.d2.task
    closure_request(actor=world.liaison_b, task=task, summary="已全部减免。")
    closure_verify(actor=world.sup, task=task)
    jobs = queries.deliveries(world.sup, [world.jobs], today=today)[world.jobs.pk]
    assert (jobs.closed, jobs.on_time, jobs.overdue) == (2, 1, 0)
    assert jobs.percent == 67 and jobs.percent_on_time == 33
    assert jobs.verdict == "landing"


def test_cancelled_deliverables_are_no_longer_promised(world, today):
    from luoshi.tasks.services.lifecycle import task_cancel

    task_cancel(actor=world.sup, task=world.d3.task, reason="政策调整。")
    jobs = queries.deliveries(world.sup, [world.jobs], today=today)[world.jobs.pk]
    assert (jobs.total, jobs.cancelled, jobs.closed) == (2, 1, 1)
    assert jobs.percent == 50


def test_figures_are_over_the_deliverables_the_user_sees(world, today):
    rows = queries.policy_rows(world.liaison_b, today=today)
    assert [p.pk for p in rows] == [world.jobs.pk]
    jobs = rows[0].delivery
    assert (jobs.total, jobs.overdue) == (1, 1)
    assert queries.policy_rows(world.liaison_c, today=today)[0].pk == world.idle.pk
    assert queries.policy_rows(world.sysadmin, today=today) == []
    # the vice-mayor (scope C) reads every policy, but only C's deliverables
    vice = {p.pk: p.delivery.total for p in queries.policy_rows(world.vice, today=today)}
    assert vice == {world.jobs.pk: 0, world.paper.pk: 0, world.idle.pk: 1}


def test_sorted_by_delivered_share_paper_first(world, today):
    rows = queries.policy_rows(world.sup, today=today)
    assert [p.pk for p in rows] == [world.paper.pk, world.idle.pk, world.jobs.pk]
    rows = queries.policy_rows(world.sup, today=today, sort="-share")
    assert rows[0].pk == world.jobs.pk


def test_by_category(world, today):
    rows = queries.policy_rows(world.sup, today=today)
    chart = {c["category"]: (c["closed"], c["total"]) for c in queries.by_category(rows)}
    assert chart == {"产业发展": (1, 3), "城市建设": (0, 1), "未分类": (0, 0)}


def test_indicator_ratio_from_the_baseline():
    ind = Indicator(target=Decimal(200), baseline=Decimal(100), current=Decimal(150))
    assert queries.indicator_ratio(ind) == Decimal("0.5")
    ind.current = Decimal(300)
    assert queries.indicator_ratio(ind) == 1
    ind.current = None
    assert queries.indicator_ratio(ind) == 0


# --- revision, repeal, edits --------------------------------------------------------------


def test_revised_policy_names_its_successor(world, today):
    new = policy_create(
        actor=world.sup, title="关于支持中小企业发展的若干措施（修订）", issued_on=today
    )
    policy_set_status(
        actor=world.sup,
        policy=world.jobs,
        status=PolicyStatus.REVISED,
        superseded_by=new,
        note="2026年修订",
    )
    world.jobs.refresh_from_db()
    assert world.jobs.status == PolicyStatus.REVISED and world.jobs.superseded_by == new
    assert list(new.supersedes.all()) == [world.jobs]
    # deliverables stay as they were
    assert world.jobs.deliverables.count() == 3
    with pytest.raises(ValidationError) as err:
        policy_set_status(
            actor=world.sup, policy=new, status=PolicyStatus.REVISED, superseded_by=world.jobs
        )
    assert messages_of(err.value) == ["修订关系不能成环。"]
    with pytest.raises(ValidationError) as err:
        policy_set_status(actor=world.sup, policy=new, status=PolicyStatus.REVISED)
    assert messages_of(err.value) == ["已修订的政策须指明修订后的政策。"]
    policy_set_status(actor=world.sup, policy=world.jobs, status=PolicyStatus.ACTIVE)
    world.jobs.refresh_from_db()
    assert world.jobs.superseded_by is None


def test_repeal(world, today):
    policy_set_status(
        actor=world.sup, policy=world.paper, status=PolicyStatus.REPEALED, note="已到期"
    )
    world.paper.refresh_from_db()
    assert world.paper.get_status_display() == "已废止"
    assert AuditEvent.objects.filter(action="policy.status").count() == 1


def test_update_moves_the_source_with_it(world, today):
    policy_update(actor=world.sup, policy=world.paper, title="关于促进夜间经济繁荣的意见")
    world.paper.refresh_from_db()
    assert world.paper.source.title == "关于促进夜间经济繁荣的意见"
    with pytest.raises(ValidationError) as err:
        policy_update(actor=world.sup, policy=world.jobs, issued_on=dt.date(2026, 3, 1))
    assert messages_of(err.value) == ["已有兑现事项的时限早于新的发布日期，请先调整兑现事项。"]


# --- bad input: Chinese messages, nothing written ----------------------------------------------


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (
            {"promise": "提前兑现。", "due": dt.date(2026, 1, 5)},
            "兑现时限（2026-01-05）不能早于政策发布日期（2026-01-10）。",
        ),
        ({"promise": "   ", "due": dt.date(2026, 6, 30)}, "请填写兑现事项的内容。"),
        (
            {"promise": "无单位。", "due": dt.date(2026, 6, 30), "unit": None},
            "请指定兑现事项的牵头单位。",
        ),
        ({"promise": "无时限。"}, "请填写兑现时限（或标为长期坚持）。"),
        (
            {"promise": "有指标无目标。", "due": dt.date(2026, 6, 30), "indicator_name": "户数"},
            "量化指标须填写目标值。",
        ),
    ],
)
def test_bad_deliverables_are_refused_and_nothing_is_written(world, today, row, message):
    unit = row.pop("unit", world.a)
    good = DeliverableRow(promise="合格的一项。", lead_unit=world.a, due=dt.date(2026, 6, 30))
    before = count_rows(MODELS_AUDIT)
    with pytest.raises(ValidationError) as err:
        deliverables_create(
            actor=world.sup,
            policy=world.jobs,
            rows=[good, DeliverableRow(lead_unit=unit, **row)],
        )
    assert err.value.message_dict == {"row2": [message]}
    assert count_rows(MODELS_AUDIT) == before


def test_a_task_rule_is_reported_on_its_row(world, today):
    world.b.is_active = False
    world.b.save(update_fields=["is_active"])
    before = count_rows(MODELS_AUDIT)
    with pytest.raises(ValidationError) as err:
        deliverables_create(
            actor=world.sup,
            policy=world.jobs,
            rows=[
                DeliverableRow(promise="停用单位。", lead_unit=world.b, due=dt.date(2026, 6, 30))
            ],
        )
    assert err.value.message_dict == {"row1": ["牵头单位“示范市交通运输局”已停用。"]}
    assert count_rows(MODELS_AUDIT) == before


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"title": " "}, "请填写政策名称。"),
        ({"issued_on": None}, "请填写发布日期。"),
        ({"level": "galaxy"}, "未知的政策层级。"),
        (
            {"valid_from": dt.date(2026, 5, 1), "valid_to": dt.date(2026, 4, 1)},
            "有效期止不能早于有效期起。",
        ),
    ],
)
def test_bad_policies_are_refused_and_nothing_is_written(world, today, fields, message):
    values = {"title": "新政策", "issued_on": today, **fields}
    before = count_rows(MODELS_AUDIT)
    with pytest.raises(ValidationError) as err:
        policy_create(actor=world.sup, **values)
    assert message in err.value.messages
    assert count_rows(MODELS_AUDIT) == before


def test_a_bad_deliverable_undoes_the_whole_registration(world, today):
    before = count_rows(MODELS_AUDIT)
    with pytest.raises(ValidationError) as err:
        policy_create(
            actor=world.sup,
            title="带坏兑现事项的政策",
            issued_on=today,
            deliverables=[DeliverableRow(promise="", lead_unit=world.a, due=today)],
        )
    assert err.value.message_dict == {"row1": ["请填写兑现事项的内容。"]}
    assert count_rows(MODELS_AUDIT) == before


def test_a_wrong_file_is_refused(world, today):
    upload = SimpleUploadedFile("措施.exe", b"MZ", content_type="application/octet-stream")
    before = count_rows(MODELS_AUDIT)
    with pytest.raises(ValidationError) as err:
        policy_create(actor=world.sup, title="带文件", issued_on=today, file=upload)
    assert err.value.message_dict == {"file": ["文件“措施.exe”须为 .docx 或 .pdf 文件。"]}
    assert count_rows(MODELS_AUDIT) == before
