"""The API's request and response shapes (docs/API.md). Field names are the code's English
names (DESIGN.md's glossary); labels are Chinese."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from ninja import Field, Schema


class Ref(Schema):
    id: int
    name: str


class SourceRef(Schema):
    id: int
    code: str
    title: str


class TaskRow(Schema):
    id: int
    code: str
    title: str
    state: str
    state_label: str
    light: str
    progress: int
    due: dt.date | None
    ongoing: bool
    category: str
    priority: str
    source: SourceRef
    lead_unit: Ref | None
    co_units: list[Ref]
    lead_leader: Ref | None
    last_report_on: dt.date | None
    updated_at: dt.datetime


class TaskPage(Schema):
    count: int
    page: int
    page_size: int
    pages: int
    results: list[TaskRow]


class UnitPart(Schema):
    id: int
    name: str
    role: str
    acknowledged_at: dt.datetime | None
    progress: int
    last_report_on: dt.date | None


class MilestoneOut(Schema):
    id: int
    title: str
    due: dt.date
    target: str
    completed_on: dt.date | None


class IndicatorOut(Schema):
    id: int
    name: str
    measure_unit: str
    baseline: Decimal | None
    target: Decimal | None
    current: Decimal | None


class TaskDetail(TaskRow):
    content: str
    parent: str | None = Field(None, description="上级任务编号")
    light_reasons: list[Any]
    light_computed_on: dt.date | None
    start_date: dt.date | None
    due_text: str
    report_cycle: str
    owner: Ref | None
    units: list[UnitPart]
    milestones: list[MilestoneOut]
    indicators: list[IndicatorOut]
    children: list[str] = Field(description="子任务编号")


class UnitOut(Schema):
    id: int
    name: str
    short_name: str
    kind: str
    parent_id: int | None
    is_active: bool


class SourceIn(Schema):
    kind: str = Field(description="work_report, document, meeting, instruction, …")
    title: str
    code: str = ""
    doc_number: str = ""
    issued_on: dt.date | None = None
    issuer: str = ""
    content: str = ""


class SourceOut(Schema):
    id: int
    kind: str
    code: str
    title: str
    doc_number: str
    issued_on: dt.date | None
    issuer: str
    content: str


class MilestoneIn(Schema):
    title: str
    due: dt.date
    target: str = ""


class IndicatorIn(Schema):
    name: str
    measure_unit: str = ""
    baseline: Decimal | None = None
    target: Decimal | None = None


class TaskIn(Schema):
    source: str | None = Field(None, description="来源的 id 或编号（有上级任务时可省略）")
    parent: str | None = Field(None, description="上级任务的 id 或编号")
    title: str
    content: str = ""
    category: str = ""
    priority: str = "normal"
    lead_unit: int | None = None
    co_units: list[int] = []
    lead_leader: int | None = None
    owner: int | None = None
    start_date: dt.date | None = None
    due: dt.date | None = None
    ongoing: bool = False
    due_text: str = ""
    report_cycle: str = "monthly"
    report_day: int | None = None
    milestones: list[MilestoneIn] = []
    indicators: list[IndicatorIn] = []


class ReportIn(Schema):
    progress_text: str = Field(description="工作进展")
    percent: int = Field(description="完成进度（0–100）")
    problems: str = Field("", description="存在问题")
    next_steps: str = Field("", description="下步计划")
    indicator_values: dict[int, str] = Field({}, description="指标 id → 当前值")


class ReportOut(Schema):
    id: int
    task: str
    unit: Ref
    report_date: dt.date
    percent: int
    progress_text: str
    problems: str
    next_steps: str


class ClosureIn(Schema):
    summary: str = Field(description="办结情况")


class ClosureOut(Schema):
    id: int
    task: str
    decision: str
    requested_at: dt.datetime


class Error(Schema):
    detail: str
    errors: dict[str, list[str]] = {}
