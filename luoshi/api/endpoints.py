"""The REST API (/api/v1/, docs/API.md): django-ninja over the same services and the same
policy as the pages.

Every operation declares the policy action that guards it (`declares`); luoshi/api/urls.py
marks each URL with those actions for the URL walker (tests/access/test_access_urls.py).
Reading and writing need `Authorization: Bearer <token>` (luoshi.api.tokens); the token's
user is the actor, and sees and does exactly what their pages allow. Refusals are JSON with
the Chinese reason: 401 no or bad token, 403 not allowed, 404 not visible (or not there),
400 bad input with the errors by field.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Query, Schema, Status
from ninja.errors import AuthenticationError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import HttpBearer

from luoshi.access import policy
from luoshi.access.views import rule
from luoshi.api import schemas as s
from luoshi.api.tokens import token_authenticate
from luoshi.org.models import Unit, User
from luoshi.reports.services import report_submit
from luoshi.tasks import queries
from luoshi.tasks.models import (
    AssignmentRole,
    Light,
    Source,
    Task,
    TaskState,
)
from luoshi.tasks.services import editing, lifecycle
from luoshi.tasks.services.sources import source_create

MAX_PAGE_SIZE = 200
DEFAULT_PAGE_SIZE = 50
# Every operation may refuse (the handlers below): the schema says so, with the body's shape,
# so a client (and the schema fuzzing, tests/fuzz) knows the answer is documented.
REFUSALS = {frozenset({400, 401, 403, 404}): s.Error}


class TokenAuth(HttpBearer):
    """`Authorization: Bearer ls_…`: the token's user acts, nobody else."""

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        user = token_authenticate(token)
        if user is not None:
            request.user = user
        return user


api = NinjaAPI(
    title="Luoshi 落实 API",
    version="1",
    description=_("任务、进展与办结的接口。以令牌认证：Authorization: Bearer <令牌>。"),
    urls_namespace="api",
    auth=TokenAuth(),
    docs_decorator=rule("api.use"),
)

# url_name → policy action, filled by `declares`; urls.py marks the URLs from it
ACTIONS: dict[str, str] = {}


def declares(action: str, name: str) -> Callable:
    """Name the policy action an operation is guarded by (checked inside: role-level actions
    with policy.require, task actions with policy.get_task_for_user)."""
    ACTIONS[name] = action
    return lambda func: func


# --- refusals as JSON ----------------------------------------------------------------------


def _error(request, status: int, detail: str, errors: dict | None = None):
    return api.create_response(request, {"detail": detail, "errors": errors or {}}, status=status)


@api.exception_handler(AuthenticationError)
def _unauthorized(request, exc):
    return _error(request, 401, _("缺少或无效的接口令牌（Authorization: Bearer <令牌>）。"))


@api.exception_handler(Http404)
def _not_found(request, exc):
    reason = str(exc.args[0]) if exc.args and str(exc.args[0]) else _("对象不存在或您无权查看。")
    return _error(request, 404, reason)


@api.exception_handler(PermissionDenied)
def _forbidden(request, exc):
    reason = str(exc.args[0]) if exc.args and exc.args[0] else _("您没有执行此操作的权限。")
    return _error(request, 403, reason)


@api.exception_handler(ValidationError)
def _invalid(request, exc: ValidationError):
    if hasattr(exc, "error_dict"):
        errors = {field: [str(m) for m in msgs] for field, msgs in exc.message_dict.items()}
        messages = [m for msgs in errors.values() for m in msgs]
    else:
        errors, messages = {}, [str(m) for m in exc.messages]
    return _error(request, 400, "；".join(messages) or _("请求参数有误。"), errors)


@api.exception_handler(NinjaValidationError)
def _schema_invalid(request, exc: NinjaValidationError):
    errors: dict[str, list[str]] = {}
    for item in exc.errors:
        loc = [str(p) for p in item.get("loc", ()) if p not in ("body", "query", "path", "data")]
        field = ".".join(loc) or "__all__"
        if item.get("type") == "missing":
            message = _("缺少必填项“%(field)s”。") % {"field": field}
        else:
            message = _("“%(field)s”的格式不正确。") % {"field": field}
        errors.setdefault(field, []).append(message)
    messages = [m for msgs in errors.values() for m in msgs]
    return _error(request, 400, "；".join(messages), errors)


def _bad(field: str, message: str) -> ValidationError:
    return ValidationError({field: [message]})


# --- reading -------------------------------------------------------------------------------


def _ref(obj, name: str | None = None) -> dict | None:
    if obj is None:
        return None
    return {"id": obj.pk, "name": name if name is not None else str(obj)}


def _unit_ref(unit: Unit | None) -> dict | None:
    return _ref(unit, unit.display_name) if unit is not None else None


def _row(task: Task, labels: dict[str, str] | None = None) -> dict[str, Any]:
    co = getattr(task, "co_parts", None)
    if co is None:
        co = [a for a in task.assignments.all() if a.role == AssignmentRole.CO]
    return {
        "id": task.pk,
        "code": task.code,
        "title": task.title,
        "state": task.state,
        "state_label": labels[task.state] if labels else str(task.get_state_display()),
        "light": task.light,
        "progress": task.progress,
        "due": task.due,
        "ongoing": task.ongoing,
        "category": task.category,
        "priority": task.priority,
        "source": {"id": task.source_id, "code": task.source.code, "title": task.source.title},
        "lead_unit": _unit_ref(task.lead_unit),
        "co_units": [_unit_ref(a.unit) for a in co],
        "lead_leader": _ref(task.lead_leader),
        "last_report_on": task.last_report_on,
        "updated_at": task.updated_at,
    }


def _task_ref(user, ref: str, action: str = "task.view") -> Task:
    """A task by id or code, through policy.get_task_for_user (404 when not visible, 403 when
    the action is not allowed)."""
    ref = (ref or "").strip()
    if ref.isdigit():
        pk = int(ref)
    else:
        pk = policy.visible_tasks(user).filter(code=ref).values_list("pk", flat=True).first()
        if pk is None:
            raise Http404(_("任务不存在或您无权查看。"))
    return policy.get_task_for_user(user, pk, action)


class TaskFilters(Schema):
    page: int = 1
    page_size: int = DEFAULT_PAGE_SIZE
    state: str = ""
    light: str = ""
    unit: int | None = None
    source: str = ""
    due_from: str = ""
    due_to: str = ""
    q: str = ""
    category: str = ""
    updated_since: str = ""
    sort: str = "code"


def _parse(parser, value: str):
    """A date or datetime parsed, None when absent or not valid (2026-13-01)."""
    try:
        return parser(value) if value else None
    except ValueError:
        return None


def _ledger_filter(user, f: TaskFilters):
    errors: dict[str, list[str]] = {}
    if f.page < 1:
        errors["page"] = [_("页码须从 1 开始。")]
    if not 1 <= f.page_size <= MAX_PAGE_SIZE:
        errors["page_size"] = [_("每页条数须在 1 到 %(n)d 之间。") % {"n": MAX_PAGE_SIZE}]
    if f.state and f.state not in (*TaskState.values, queries.OPEN):
        errors["state"] = [_("未知的状态“%(v)s”。") % {"v": f.state}]
    if f.light and f.light not in (*[v for v in Light.values if v], "none"):
        errors["light"] = [_("未知的亮灯“%(v)s”。") % {"v": f.light}]
    if f.sort.lstrip("-") not in queries.SORTS:
        errors["sort"] = [_("未知的排序“%(v)s”。") % {"v": f.sort}]
    dates = {}
    for field in ("due_from", "due_to"):
        value = getattr(f, field)
        dates[field] = _parse(parse_date, value)
        if value and dates[field] is None:
            errors[field] = [_("日期格式应为 YYYY-MM-DD。")]
    since = None
    if f.updated_since:
        day = _parse(parse_date, f.updated_since)
        if day is not None:  # a date alone: from the start of that day, office time
            since = timezone.make_aware(dt.datetime.combine(day, dt.time()))
        else:
            since = _parse(parse_datetime, f.updated_since)
        if since is None:
            errors["updated_since"] = [_("时间格式应为 ISO 8601，例如 2026-03-01T08:00:00+08:00。")]
        elif since.tzinfo is None:
            errors["updated_since"] = [_("时间须带时区，例如 +08:00。")]
    if len(f.q) > 100:
        errors["q"] = [_("关键词不能超过 100 个字。")]
    if errors:
        raise ValidationError(errors)
    unit = source = None
    if f.unit is not None:
        unit = Unit.objects.filter(pk=f.unit).first()
        if unit is None:
            raise _bad("unit", _("单位不存在。"))
    if f.source:
        key = Q(pk=int(f.source)) if f.source.isdigit() else Q(code=f.source)
        source = Source.objects.filter(key).first()
        if source is None:
            raise _bad("source", _("任务来源不存在。"))
    ledger = queries.LedgerFilter(
        unit=unit,
        source=source,
        light=f.light or None,
        state=f.state,
        due_from=dates["due_from"],
        due_to=dates["due_to"],
        q=f.q.strip(),
        category=f.category,
        sort=f.sort,
    )
    return ledger, since


@api.get(
    "/tasks", response={200: s.TaskPage, **REFUSALS}, url_name="tasks", summary="任务列表（台账）"
)
@declares("task.list", "tasks")
def tasks_list(request, filters: Query[TaskFilters]):
    """The ledger's rows this user sees, filtered and paginated (page, page_size ≤ 200)."""
    policy.require(request.user, "task.list")
    from luoshi.lib import clock

    ledger, since = _ledger_filter(request.user, filters)
    qs = queries.ledger_tasks(request.user, ledger, today=clock.today())
    if since is not None:
        qs = qs.filter(updated_at__gte=since)
    count = qs.count()
    start = (filters.page - 1) * filters.page_size
    rows = list(qs[start : start + filters.page_size])
    # the state's label looked up once, not per row (a lazy translation costs ~0.5 ms)
    labels = {value: str(label) for value, label in TaskState.choices}
    data = {
        "count": count,
        "page": filters.page,
        "page_size": filters.page_size,
        "pages": max(1, math.ceil(count / filters.page_size)),
        "results": [_row(t, labels) for t in rows],
    }
    # built here to the declared schema (s.TaskPage, what openapi.json publishes, checked by
    # tests/api); returned as is, since validating 200 rows again took a third of the time
    return api.create_response(request, data, status=200)


@api.get(
    "/tasks/{ref}", response={200: s.TaskDetail, **REFUSALS}, url_name="task", summary="任务详情"
)
@declares("task.view", "task")
def task_detail(request, ref: str):
    """One task by id or code: light and its reasons, units, time nodes, indicators."""
    found = _task_ref(request.user, ref)
    task = (
        queries.with_ledger_columns(Task.objects.filter(pk=found.pk))
        .select_related("parent")
        .prefetch_related("milestones", "indicators")
        .get()
    )
    parts = task.assignments.select_related("unit").order_by("role", "unit__sort_order")
    data = _row(task)
    data.update(
        content=task.content,
        parent=task.parent.code if task.parent_id else None,
        light_reasons=task.light_reasons or [],
        light_computed_on=task.light_computed_on,
        start_date=task.start_date,
        due_text=task.due_text,
        report_cycle=task.report_cycle,
        owner=_ref(task.owner),
        units=[
            {
                "id": p.unit_id,
                "name": p.unit.display_name,
                "role": p.role,
                "acknowledged_at": p.acknowledged_at,
                "progress": p.progress,
                "last_report_on": p.last_report_on,
            }
            for p in parts
        ],
        milestones=[
            {
                "id": m.pk,
                "title": m.title,
                "due": m.due,
                "target": m.target,
                "completed_on": m.completed_on,
            }
            for m in task.milestones.all()
        ],
        indicators=[
            {
                "id": i.pk,
                "name": i.name,
                "measure_unit": i.measure_unit,
                "baseline": i.baseline,
                "target": i.target,
                "current": i.current,
            }
            for i in task.indicators.all()
        ],
        children=list(
            policy.visible_tasks(request.user, task.children.all())
            .order_by("sort_order", "code")
            .values_list("code", flat=True)
        ),
    )
    return data


@api.get(
    "/units", response={200: list[s.UnitOut], **REFUSALS}, url_name="units", summary="单位列表"
)
@declares("api.use", "units")
def units_list(request):
    """Every unit (the organisation tree is not business content), in tree order."""
    policy.require(request.user, "api.use")
    return list(Unit.objects.order_by("path", "sort_order", "id"))


# --- writing -------------------------------------------------------------------------------


@api.post(
    "/sources", response={201: s.SourceOut, **REFUSALS}, url_name="sources", summary="登记任务来源"
)
@declares("source.create", "sources")
def sources_create(request, body: s.SourceIn):
    policy.require(request.user, "source.create")
    source = source_create(actor=request.user, **body.dict())
    return Status(201, source)


def _units(ids: list[int], field: str) -> list[Unit]:
    found = {u.pk: u for u in Unit.objects.filter(pk__in=ids)}
    missing = [str(i) for i in ids if i not in found]
    if missing:
        raise _bad(field, _("单位不存在：%(ids)s。") % {"ids": "、".join(missing)})
    return [found[i] for i in ids]


def _person(pk: int | None, field: str) -> User | None:
    if pk is None:
        return None
    user = User.objects.filter(pk=pk, is_active=True).first()
    if user is None:
        raise _bad(field, _("人员不存在或已停用。"))
    return user


@api.post(
    "/tasks", response={201: s.TaskDetail, **REFUSALS}, url_name="tasks_create", summary="新建任务"
)
@declares("task.create", "tasks_create")
def tasks_create(request, body: s.TaskIn):
    """A task (起草) under a source, or under a parent task (分解) of the same source."""
    user = request.user
    policy.require(user, "task.create")
    parent = _task_ref(user, body.parent) if body.parent else None
    if body.source:
        key = Q(pk=int(body.source)) if body.source.isdigit() else Q(code=body.source)
        source = policy.visible_sources(user).filter(key).first()
        if source is None:
            raise Http404(_("任务来源不存在或您无权查看。"))
    elif parent is not None:
        source = parent.source
    else:
        raise _bad("source", _("请指定任务来源或上级任务。"))
    fields = body.dict(exclude={"source", "parent", "lead_unit", "co_units"})
    fields.update(
        lead_unit=_units([body.lead_unit], "lead_unit")[0] if body.lead_unit else None,
        co_units=_units(body.co_units, "co_units"),
        lead_leader=_person(body.lead_leader, "lead_leader"),
        owner=_person(body.owner, "owner"),
    )
    task = editing.task_create(actor=user, source=source, parent=parent, **fields)
    return Status(201, task_detail(request, str(task.pk)))


@api.post(
    "/tasks/{ref}/reports",
    response={201: s.ReportOut, **REFUSALS},
    url_name="reports",
    summary="填报进展",
)
@declares("task.report", "reports")
def reports_create(request, ref: str, body: s.ReportIn):
    """A progress report (工作进展, 存在问题, 下步计划, percent, indicator values) for the
    actor's own unit. Attachments are added on the page."""
    task = _task_ref(request.user, ref, "task.report")
    report = report_submit(
        actor=request.user,
        task=task,
        progress_text=body.progress_text,
        percent=body.percent,
        problems=body.problems,
        next_steps=body.next_steps,
        indicator_values=body.indicator_values,
    )
    return Status(
        201,
        {
            "id": report.pk,
            "task": task.code,
            "unit": _unit_ref(report.unit),
            "report_date": report.report_date,
            "percent": report.percent,
            "progress_text": report.progress_text,
            "problems": report.problems,
            "next_steps": report.next_steps,
        },
    )


@api.post(
    "/tasks/{ref}/closure-request",
    response={201: s.ClosureOut, **REFUSALS},
    url_name="closure_request",
    summary="申请办结",
)
@declares("task.request_closure", "closure_request")
def closure_request_create(request, ref: str, body: s.ClosureIn):
    task = _task_ref(request.user, ref, "task.request_closure")
    made = lifecycle.closure_request(actor=request.user, task=task, summary=body.summary)
    return Status(
        201,
        {
            "id": made.pk,
            "task": task.code,
            "decision": made.decision,
            "requested_at": made.requested_at,
        },
    )
