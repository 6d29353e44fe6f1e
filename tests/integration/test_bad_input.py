"""Bad input at the service level (no HTTP): every refusal carries a clear Chinese message and
changes nothing — no row added (tasks, units' parts, history, reports, attachments, closure
requests, audit events), no row altered, no file written.

Refusals of *who* (a unit acting for another, a liaison verifying) are PermissionDenied (the
pages answer 403); refusals of *what* (a bad percent, a closed task) are ValidationError.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import cached_property

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from luoshi.access.policy import denial_message
from luoshi.lib import clock
from luoshi.org.models import Unit
from luoshi.org.services import UnitNameIndex, unit_update
from luoshi.reports.services import report_submit
from luoshi.tasks.forms.decompose import DecomposeGrid, Row
from luoshi.tasks.forms.units import resolve_unit_name, resolve_unit_names
from luoshi.tasks.models import (
    ClosureRequest,
    Indicator,
    Milestone,
    ReportCycle,
    Task,
    TaskState,
    TaskUnit,
)
from luoshi.tasks.services.editing import task_create, task_update, tasks_create_children
from luoshi.tasks.services.lifecycle import (
    assignment_acknowledge,
    closure_request,
    closure_return,
    closure_verify,
    task_assign,
    task_suspend,
)
from luoshi.tasks.services.sources import source_create

D = dt.date
TODAY = D(2026, 3, 10)
PDF = b"%PDF-1.4\n% test\n"


def pdf(name: str = "材料.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


class World:
    """The people of conftest and tasks of source 2026-ZD, each built on first use (assigned
    on Monday 2 March 2026, signed on the 3rd), so a test pays only for the tasks it touches:

    live       A leads, B helps, both signed: 办理中, with an indicator
    half       A leads, B helps; only A signed
    fresh      A leads; nobody signed (已交办)
    draft      A leads; a draft
    pending    A leads; closure requested
    closed     A leads, B helps; closed
    suspended  A leads; suspended
    """

    def __init__(self, people):
        self.__dict__.update(vars(people))
        self.frozen = False  # set while a refusal is checked: building then would be a test bug

    def _task(self, title, *, co=(), assign=True, signed=(), indicators=(), then=None):
        assert not self.frozen, f"build {title} before the call under test"
        with clock.pinned_today(D(2026, 3, 2)):
            task = task_create(
                actor=self.sup,
                source=self.source,
                title=title,
                lead_unit=self.a,
                co_units=list(co),
                due=D(2026, 12, 31),
                indicators=list(indicators),
            )
            if assign:
                task_assign(actor=self.sup, task=task)
        with clock.pinned_today(D(2026, 3, 3)):
            for liaison in signed:
                assignment_acknowledge(actor=liaison, task=task)
            if then:
                then(task)
        task.refresh_from_db()
        return task

    @cached_property
    def live(self):
        indicator = {"name": "改造小区", "measure_unit": "个", "target": 50}
        return self._task(
            "推进城市更新行动",
            co=[self.b],
            signed=[self.liaison_a, self.liaison_b],
            indicators=[indicator],
        )

    @cached_property
    def half(self):
        return self._task("建设综合交通枢纽", co=[self.b], signed=[self.liaison_a])

    @cached_property
    def fresh(self):
        return self._task("编制低空经济发展规划")

    @cached_property
    def draft(self):
        return self._task("起草中的任务", assign=False)

    def _request_closure(self, task):
        closure_request(actor=self.liaison_a, task=task, summary="任务已完成，申请办结。")

    @cached_property
    def pending(self):
        return self._task("清理拖欠企业账款", signed=[self.liaison_a], then=self._request_closure)

    @cached_property
    def closed(self):
        def close(task):
            self._request_closure(task)
            closure_verify(actor=self.sup, task=task)

        return self._task(
            "发布年度投资计划", co=[self.b], signed=[self.liaison_a, self.liaison_b], then=close
        )

    @cached_property
    def suspended(self):
        def suspend(task):
            task_suspend(actor=self.sup, task=task, reason="等待上级政策。")

        return self._task("暂缓的任务", signed=[self.liaison_a], then=suspend)


@pytest.fixture
def w(people):
    return World(people)


@pytest.fixture(autouse=True)
def today():
    with clock.pinned_today(TODAY):
        yield TODAY


def rows_of_every_kind() -> dict[str, list[dict]]:
    """Every stored row that a refused call could alter, field by field."""
    return {
        model.__name__: list(model.objects.order_by("id").values())
        for model in (Task, TaskUnit, Indicator, Milestone, ClosureRequest, Unit)
    }


def files_in(folder) -> list:
    return [p for p in folder.rglob("*") if p.is_file()] if folder.exists() else []


@pytest.fixture
def refused(w, counts, uploads):
    """Call, expect the refusal and its exact Chinese message, and check nothing changed."""

    def check(call, message: str, expected=ValidationError, field: str | None = None):
        before, rows = counts(), rows_of_every_kind()
        w.frozen = True
        try:
            with pytest.raises(expected) as info:
                call()
        finally:
            w.frozen = False
        exc = info.value
        if isinstance(exc, ValidationError):
            messages = exc.message_dict[field] if field else exc.messages
        else:
            messages = [str(exc)]
        assert message in messages
        assert counts() == before
        assert rows_of_every_kind() == rows
        assert files_in(uploads) == []
        return exc

    return check


def report(w, task, actor=None, **fields):
    fields.setdefault("progress_text", "已完成方案编制。")
    fields.setdefault("percent", 35)
    return lambda: report_submit(actor=actor or w.liaison_a, task=task, **fields)


# --- an unknown unit -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("市不存在局", "牵头单位“市不存在局”不存在，请从列表中选择或填写单位全称、简称。"),
        (
            "示范市交通运输厅",
            "牵头单位“示范市交通运输厅”不存在。您要填的是不是：示范市交通运输局？",
        ),
    ],
)
def test_an_unknown_unit_name_is_named(w, name, message):
    with pytest.raises(ValidationError) as info:
        resolve_unit_name(UnitNameIndex(), name, "牵头单位")
    assert info.value.messages == [message]


def test_every_unknown_name_in_a_list_is_named(w):
    with pytest.raises(ValidationError) as info:
        resolve_unit_names(UnitNameIndex(), "市交通局、市不存在局，市无此局", "配合单位")
    assert [m.split("”")[0] for m in info.value.messages] == [
        "配合单位“市不存在局",
        "配合单位“市无此局",
    ]


def test_a_decomposition_row_with_an_unknown_unit_saves_nothing(w, counts):
    live = w.live
    before = counts()
    grid = DecomposeGrid(
        live,
        [Row(title="完成项目清单", lead="市发展改革委"), Row(title="落实资金", lead="市不存在局")],
    )
    assert not grid.is_valid()
    assert grid.rows[0].errors == []
    assert grid.rows[1].errors == [
        "牵头单位“市不存在局”不存在，请从列表中选择或填写单位全称、简称。"
    ]
    assert counts() == before


def test_a_deactivated_unit_is_refused(w, refused):
    unit_update(actor=w.sysadmin, unit=w.d, is_active=False)
    refused(
        lambda: task_create(actor=w.sup, source=w.source, title="新任务", lead_unit=w.d),
        "牵头单位“示范市教育局”已停用。",
        field="lead_unit",
    )


# --- task fields: dates and the rest ------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"start_date": D(2026, 3, 10), "due": D(2026, 3, 1)}, "due", "完成时限不能早于开始日期。"),
        ({"ongoing": True, "due": D(2026, 12, 31)}, "due", "长期坚持的任务不设完成时限。"),
        ({"title": "  "}, "title", "请填写任务名称。"),
        ({"co_units": "<lead>"}, "co_units", "牵头单位不能同时是配合单位。"),
        (
            {"report_cycle": ReportCycle.MONTHLY_DAY, "report_day": 31},
            "report_day",
            "“每月N日前”须填写 1 到 28 之间的日期。",
        ),
        ({"report_cycle": "daily"}, "report_cycle", "未知的反馈周期。"),
        (
            {"milestones": [{"title": "验收", "due": D(2027, 1, 31)}]},
            "milestones",
            "第 1 个时间节点晚于完成时限。",
        ),
        ({"owner": "<liaison_b>"}, "owner", "责任人必须是牵头单位的人员。"),
        ({"lead_leader": "<sup>"}, "lead_leader", "牵头领导必须是领导角色的用户。"),
    ],
    ids=[
        "due-before-start",
        "ongoing-with-due",
        "no-title",
        "lead-is-co",
        "report-day",
        "cycle",
        "milestone-late",
        "owner-elsewhere",
        "leader-not-leader",
    ],
)
def test_task_create_refuses_bad_fields(w, refused, fields, field, message):
    placeholders = {"<lead>": [w.a], "<liaison_b>": w.liaison_b, "<sup>": w.sup}
    fields = {k: placeholders.get(v, v) if isinstance(v, str) else v for k, v in fields.items()}
    values = {"title": "新任务", "lead_unit": w.a, "due": D(2026, 12, 31), **fields}
    refused(lambda: task_create(actor=w.sup, source=w.source, **values), message, field=field)


def test_a_child_due_after_its_parent_is_refused(w, refused):
    parent = w.live
    refused(
        lambda: task_create(
            actor=w.sup,
            source=w.source,
            parent=parent,
            title="子任务",
            lead_unit=w.a,
            due=D(2027, 3, 31),
        ),
        "子任务的完成时限不能晚于上级任务（2026-12-31）。",
        field="due",
    )


def test_task_update_refuses_a_due_date_before_the_start(w, refused):
    live = w.live
    assert live.start_date == D(2026, 3, 2)
    refused(
        lambda: task_update(actor=w.sup, task=live, due=D(2026, 3, 1)),
        "完成时限不能早于开始日期。",
        field="due",
    )


def test_one_bad_row_in_a_decomposition_creates_none(w, refused):
    rows = [
        {"title": "完成项目清单", "lead_unit": w.a, "due": D(2026, 6, 30)},
        {"title": "落实资金", "lead_unit": w.c, "start_date": D(2026, 7, 1), "due": D(2026, 6, 30)},
    ]
    parent = w.live
    exc = refused(
        lambda: tasks_create_children(actor=w.sup, parent=parent, rows=rows),
        "完成时限不能早于开始日期。",
    )
    assert exc.message_dict == {"row2": ["完成时限不能早于开始日期。"]}


def test_assigning_a_task_without_lead_unit_or_due_names_what_is_missing(w, refused):
    with clock.pinned_today(TODAY):
        bare = task_create(actor=w.sup, source=w.source, title="缺信息的任务")
    exc = refused(lambda: task_assign(actor=w.sup, task=bare), f"任务“{bare.code}”未指定牵头单位。")
    assert f"任务“{bare.code}”未设完成时限（或标为长期坚持）。" in exc.messages


def test_an_unknown_source_kind_is_refused(w, refused):
    refused(
        lambda: source_create(actor=w.sup, kind="rumour", title="传闻"),
        "未知的来源类型。",
        field="kind",
    )


# --- 填报: percent, text, indicators ----------------------------------------------------------


@pytest.mark.parametrize(
    ("percent", "message"),
    [
        (-1, "完成进度须在 0 到 100 之间。"),
        (101, "完成进度须在 0 到 100 之间。"),
        ("101", "完成进度须在 0 到 100 之间。"),
        ("abc", "完成进度须为 0 到 100 之间的整数。"),
        ("50.5", "完成进度须为 0 到 100 之间的整数。"),
        ("", "完成进度须为 0 到 100 之间的整数。"),
        (None, "完成进度须为 0 到 100 之间的整数。"),
    ],
)
def test_percent_outside_0_to_100_is_refused(w, refused, percent, message):
    refused(report(w, w.live, percent=percent), message, field="percent")


@pytest.mark.parametrize("percent", [0, 100, "55", " 60 "])
def test_percent_inside_0_to_100_is_accepted(w, percent):
    saved = report(w, w.live, percent=percent)()
    assert saved.percent == int(str(percent).strip())


def test_a_report_needs_its_progress_text(w, refused):
    refused(report(w, w.live, progress_text="  "), "请填写工作进展。", field="progress_text")


def test_indicator_values_must_be_numbers_of_this_task(w, refused):
    indicator = w.live.indicators.get()
    refused(
        report(w, w.live, indicator_values={indicator.pk: "十二"}),
        "指标“改造小区”的值“十二”不是数字。",
        field="indicators",
    )
    other = Indicator.objects.create(task=w.half, name="枢纽数", target=1)
    for key in (other.pk, "abc", None):
        refused(
            report(w, w.live, indicator_values={key: "1"}),
            "指标不属于该任务。",
            field="indicators",
        )
    for value in ("NaN", "Infinity", "1e20"):
        refused(
            report(w, w.live, indicator_values={indicator.pk: value}),
            "指标“改造小区”的值超出范围。",
            field="indicators",
        )


def test_a_co_unit_does_not_report_indicators(w, refused):
    indicator = w.live.indicators.get()
    refused(
        report(w, w.live, actor=w.liaison_b, indicator_values={indicator.pk: "3"}),
        "量化指标由牵头单位填报。",
        field="indicators",
    )


# --- attachments ---------------------------------------------------------------------------------

ALLOWED = "允许的类型：doc、docx、et、jpeg、jpg、ofd、pdf、png、txt、wps、xls、xlsx、zip。"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("工具.exe", b"MZ\x90\x00", f"附件“工具.exe”的类型不允许上传，{ALLOWED}"),
        ("无扩展名", b"%PDF-1.4", f"附件“无扩展名”的类型不允许上传，{ALLOWED}"),
        ("伪装.pdf", b"MZ\x90\x00 not a pdf", "附件“伪装.pdf”的内容与扩展名不符。"),
        ("伪装.docx", b"%PDF-1.4 not a zip", "附件“伪装.docx”的内容与扩展名不符。"),
        ("空.pdf", b"", "附件“空.pdf”是空文件。"),
    ],
    ids=["exe", "no-extension", "fake-pdf", "fake-docx", "empty"],
)
def test_a_forbidden_attachment_is_refused_with_the_good_ones(w, refused, name, content, message):
    """One bad file among good ones: nothing is saved, not even the good file."""
    bad = SimpleUploadedFile(name, content, "application/octet-stream")
    exc = refused(report(w, w.live, files=[pdf("好的.pdf"), bad]), message)
    assert exc.messages == [message]  # the good file is not blamed


def test_an_attachment_over_the_size_limit_is_refused(w, refused, settings):
    settings.LUOSHI = {**settings.LUOSHI, "ATTACHMENT_MAX_BYTES": 1024}
    refused(
        report(w, w.live, files=[pdf("大文件.pdf", PDF + b"0" * 2048)]),
        "附件“大文件.pdf”超过大小限制（1.0\xa0KB）。",
    )
    # exactly at the limit is accepted
    saved = report(w, w.live, files=[pdf("刚好.pdf", PDF + b"0" * (1024 - len(PDF)))])()
    assert saved.attachments.get().size == 1024


def test_too_many_attachments_are_refused(w, refused):
    refused(
        report(w, w.live, files=[pdf(f"材料{i}.pdf") for i in range(11)]),
        "一次最多上传 10 个附件。",
    )


def test_closure_evidence_is_checked_the_same_way(w, refused):
    live = w.live
    refused(
        lambda: closure_request(
            actor=w.liaison_a,
            task=live,
            summary="已完成。",
            files=[pdf("伪装.pdf", b"GIF89a not a pdf")],
        ),
        "附件“伪装.pdf”的内容与扩展名不符。",
    )


# --- the state of the task ---------------------------------------------------------------------


@pytest.mark.parametrize("who", ["liaison_a", "liaison_b"])
def test_a_report_on_a_closed_task_is_refused(w, refused, who):
    refused(report(w, w.closed, actor=getattr(w, who)), "任务已办结，不能再填报。")


@pytest.mark.parametrize(
    ("task", "message"),
    [
        ("suspended", "任务当前状态为“暂缓”，不能填报。"),
        ("fresh", "任务当前状态为“已交办”，不能填报。"),
        ("draft", "任务当前状态为“起草”，不能填报。"),
    ],
)
def test_a_report_on_a_task_not_in_progress_is_refused(w, refused, task, message):
    refused(report(w, getattr(w, task)), message)


def test_a_co_unit_reports_only_after_signing(w, refused):
    refused(report(w, w.half, actor=w.liaison_b), "请先签收任务，再填报进展。")


@pytest.mark.parametrize("who", ["liaison_a", "head_a", "liaison_b"])
def test_a_second_acknowledgement_is_refused(w, refused, who):
    """A unit signs once, whoever of its people tries again."""
    live, user = w.live, getattr(w, who)
    refused(
        lambda: assignment_acknowledge(actor=user, task=live),
        "本单位已于 2026-03-03 12:00 签收该任务，无需重复签收。",
    )


def test_acknowledging_a_draft_is_refused(w, refused):
    draft = w.draft
    refused(
        lambda: assignment_acknowledge(actor=w.liaison_a, task=draft),
        "任务当前状态为“起草”，不能签收。",
    )


@pytest.mark.parametrize(
    ("task", "message"),
    [
        ("draft", "任务当前状态为“起草”，不能申请办结。"),
        ("fresh", "任务当前状态为“已交办”，不能申请办结。"),
        ("suspended", "任务当前状态为“暂缓”，不能申请办结。"),
        ("closed", "任务当前状态为“已办结”，不能申请办结。"),
        ("pending", "该任务已申请办结，正在等待审核。"),
    ],
)
def test_closure_request_in_the_wrong_state_is_refused(w, refused, task, message):
    task = getattr(w, task)
    refused(lambda: closure_request(actor=w.liaison_a, task=task, summary="已完成。"), message)


def test_closure_request_needs_a_summary(w, refused):
    live = w.live
    refused(
        lambda: closure_request(actor=w.liaison_a, task=live, summary=" "),
        "请填写办结情况。",
        field="summary",
    )


def test_closure_request_waits_for_open_children(w, refused):
    live = w.live
    child = task_create(actor=w.sup, source=w.source, parent=live, title="子任务", lead_unit=w.c)
    refused(
        lambda: closure_request(actor=w.liaison_a, task=live, summary="已完成。"),
        "还有未办结的子任务，不能申请办结。",
    )
    assert child.state == TaskState.DRAFT  # even a draft child holds the parent open


@pytest.mark.parametrize(
    ("task", "decide", "message"),
    [
        (
            "live",
            lambda w, t: closure_verify(actor=w.sup, task=t),
            "任务不在“申请办结”状态，不能审核。",
        ),
        (
            "closed",
            lambda w, t: closure_return(actor=w.sup, task=t, reason="再看看。"),
            "任务不在“申请办结”状态，不能退回。",
        ),
    ],
    ids=["verify", "return"],
)
def test_deciding_a_task_not_awaiting_review_is_refused(w, refused, task, decide, message):
    task = getattr(w, task)
    refused(lambda: decide(w, task), message)


@pytest.mark.parametrize("reason", ["", "   ", None])
def test_return_without_a_reason_is_refused(w, refused, reason):
    pending = w.pending
    refused(
        lambda: closure_return(actor=w.sup, task=pending, reason=reason),
        "退回时请填写理由。",
        field="reason",
    )


# --- a user acting for a unit not theirs, or beyond their role ----------------------------------


def _acknowledge(w, user, task):
    return assignment_acknowledge(actor=user, task=task)


def _report(w, user, task):
    return report(w, task, actor=user)()


def _request(w, user, task):
    return closure_request(actor=user, task=task, summary="已完成。")


def _verify(w, user, task):
    return closure_verify(actor=user, task=task)


def _return(w, user, task):
    return closure_return(actor=user, task=task, reason="自己退回。")


def _assign(w, user, task):
    return task_assign(actor=user, task=task)


def _decompose(w, user, task):
    rows = [{"title": "子任务", "lead_unit": w.a, "due": D(2026, 6, 30)}]
    return tasks_create_children(actor=user, parent=task, rows=rows)


NOT_OURS_SIGN = "您所在单位不是该任务的承办单位，不能签收。"
NOT_OURS_REPORT = "您所在单位不是该任务的承办单位，不能填报。"
LEAD_ONLY = "只有牵头单位可以申请办结。"


@pytest.mark.parametrize(
    ("who", "action", "task", "message"),
    [
        # 教育局 has no part in these tasks
        ("liaison_d", _acknowledge, "fresh", NOT_OURS_SIGN),
        ("liaison_d", _report, "live", NOT_OURS_REPORT),
        ("liaison_d", _request, "live", LEAD_ONLY),
        # 交通局 helps on live, but only the lead unit may ask to close
        ("liaison_b", _request, "live", LEAD_ONLY),
        # the office and leaders act for no unit
        ("sup", _acknowledge, "fresh", NOT_OURS_SIGN),
        ("leader", _report, "live", NOT_OURS_REPORT),
        # only the office decides closures, assigns and decomposes
        ("liaison_a", _verify, "pending", "task.verify"),
        ("leader", _verify, "pending", "task.verify"),
        ("liaison_a", _return, "pending", "task.return"),
        ("liaison_a", _assign, "draft", "task.assign"),
        ("liaison_a", _decompose, "live", "task.decompose"),
    ],
    ids=[
        "outsider-acknowledges",
        "outsider-reports",
        "outsider-requests-closure",
        "co-unit-requests-closure",
        "office-acknowledges",
        "leader-reports",
        "liaison-verifies",
        "leader-verifies",
        "liaison-returns",
        "liaison-assigns",
        "liaison-decomposes",
    ],
)
def test_acting_for_another_unit_or_beyond_the_role_is_denied(
    w, refused, who, action, task, message
):
    """Refused with the access policy's own words for the action (checked to be Chinese)."""
    user, task = getattr(w, who), getattr(w, task)
    if message.startswith("task."):
        message = denial_message(message)
    assert re.search(r"[\u4e00-\u9fff]", message), message
    refused(lambda: action(w, user, task), message, expected=PermissionDenied)
