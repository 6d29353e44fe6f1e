"""申请延期 (from the task page) and the request's page, where the office, and for a task of
high priority then the lead leader, answers 同意 / 不同意; the list of every request the user
may read.

Thin views: the object if the user may read it (else 404), the form, the service (which
checks the permission itself: PermissionDenied → 403), back to the task page with a message.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Case, IntegerField, Value, When
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from luoshi.access import policy
from luoshi.access.views import object_rule, rule
from luoshi.extensions import services
from luoshi.extensions.forms import APPROVE, DecisionForm, ExtensionRequestForm
from luoshi.extensions.models import OPEN_EXTENSION_STATES, ExtensionState
from luoshi.lib.forms import add_service_errors
from luoshi.org.models import Unit
from luoshi.tasks.views.respond import action_done, to_task


@object_rule("task.request_extension")
@require_http_methods(["GET", "POST"])
def request_form(request, pk: int):
    """申请延期: the new date and the reason."""
    task = policy.get_task_for_user(request.user, pk)
    form = ExtensionRequestForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.extension_request(
                    actor=request.user,
                    task=task,
                    new_due=form.cleaned_data["new_due"],
                    reason=form.cleaned_data["reason"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                return action_done(request, task, _("延期申请已提交，等待督查室审核。"))
        else:
            policy.require(request.user, "task.request_extension", task)
    else:
        policy.require(request.user, "task.request_extension", task)
    history = policy.visible_extension_requests(request.user, task)
    return render(
        request,
        "extensions/request_form.html",
        {"task": task, "form": form, "history": history},
    )


def _detail_page(request, ext, form: DecisionForm | None = None, status: int = 200):
    task = ext.task
    may_decide = policy.can(request.user, "task.decide_extension", task) and ext.is_open
    return render(
        request,
        "extensions/detail.html",
        {
            "task": task,
            "ext": ext,
            "may_decide": may_decide,
            "form": form or DecisionForm(),
            "stage_leader": ext.state == ExtensionState.LEADER_PENDING,
            "history": policy.visible_extension_requests(request.user, task),
        },
        status=status,
    )


@object_rule("task.view")
@require_safe
def detail(request, pk: int):
    """The request: dates, reason, each stage's decision; the decision form for its decider."""
    ext = policy.get_extension_request_for_user(request.user, pk)
    return _detail_page(request, ext)


@object_rule("task.decide_extension")
@require_POST
def decide(request, pk: int):
    """同意 / 不同意 (the button pressed), with a comment."""
    ext = policy.get_extension_request_for_user(request.user, pk)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        policy.require(request.user, "task.decide_extension", ext.task)
        return _detail_page(request, ext, form)
    approve = form.cleaned_data["decision"] == APPROVE
    try:
        if approve:
            ext = services.extension_approve(
                actor=request.user, request=ext, comment=form.cleaned_data["comment"]
            )
        else:
            ext = services.extension_refuse(
                actor=request.user, request=ext, comment=form.cleaned_data["comment"]
            )
    except ValidationError as exc:
        add_service_errors(form, exc)
        ext.refresh_from_db()
        return _detail_page(request, ext, form)
    if ext.state == ExtensionState.LEADER_PENDING:
        message = _("已同意，延期申请已报牵头领导审批。")
    elif ext.state == ExtensionState.APPROVED:
        message = _("已同意延期，完成时限调整为 %(date)s。") % {"date": ext.new_due.isoformat()}
    else:
        message = _("已不同意该延期申请，完成时限不变。")
    return action_done(request, ext.task, message)


@object_rule("task.view")
@require_safe
def open_for_task(request, pk: int):
    """The task's open request (the action bar's link), else back to the task."""
    task = policy.get_task_for_user(request.user, pk)
    ext = policy.open_extension_request(task)
    if ext is None or not policy.sees_every_part(request.user, task):
        messages.info(request, _("没有待审批的延期申请。"))
        return to_task(request, task)
    return redirect("extensions:detail", pk=ext.pk)


@rule("extension.list")
@require_safe
def extension_list(request):
    """延期申请: every request the user may read, those awaiting a decision first (oldest
    first: they have waited longest), then the decided ones, latest first; filters by state
    and, for the office and leaders, by unit."""
    user = request.user
    visible = policy.extension_requests_for_user(user)
    state = request.GET.get("state", "")
    if state not in ExtensionState.values:
        state = ""
    units = []
    unit = ""
    if user.role in policy.OVERSIGHT_ROLES:
        units = Unit.objects.filter(pk__in=visible.values("unit_id")).order_by("path")
        unit = request.GET.get("unit", "")
        if not unit.isdigit():
            unit = ""
    qs = visible.filter(state=state) if state else visible
    if unit:
        qs = qs.filter(unit_id=int(unit))
    waiting = Case(
        When(state__in=OPEN_EXTENSION_STATES, then=Value(0)),
        default=Value(1),
        output_field=IntegerField(),
    )
    qs = (
        qs.select_related("task", "unit", "requested_by")
        .annotate(waiting=waiting)
        .order_by(
            "waiting",
            Case(When(state__in=OPEN_EXTENSION_STATES, then="requested_at")).asc(nulls_last=True),
            "-requested_at",
            "-id",
        )
    )
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    to_decide = set(policy.extension_requests_to_decide(user).values_list("pk", flat=True))
    return render(
        request,
        "extensions/list.html",
        {
            "page": page,
            "state": state,
            "states": ExtensionState.choices,
            "units": units,
            "unit": unit,
            "to_decide": to_decide,
        },
    )
