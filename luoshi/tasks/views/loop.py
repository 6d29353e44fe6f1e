"""The loop on one task: 交办, 签收, 申请办结, 审核通过 / 退回, 暂缓 / 恢复 / 撤销, 节点完成.

Each view: the task if the user may see it (else 404); the form; the life-cycle service, which
checks the permission itself (PermissionDenied → 403) and the state (ValidationError → the
message on the form, or on the task page for one-button actions); back to the task page.
A form page (GET) is only shown to a user allowed to act now (else 403).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods, require_POST

from luoshi.access import policy
from luoshi.access.views import object_rule
from luoshi.lib import clock
from luoshi.lib.forms import add_service_errors
from luoshi.lib.i18n import join_list
from luoshi.tasks.forms.loop import ClosureRequestForm, ReasonForm, VerifyForm
from luoshi.tasks.models import AssignmentRole, ClosureDecision, Milestone, Task, TaskState
from luoshi.tasks.services import editing, lifecycle
from luoshi.tasks.views.respond import action_done, action_failed


def _task(request, pk: int, action: str) -> Task:
    """GET: the user must be allowed `action` now. POST: the service decides."""
    if request.method == "GET":
        return policy.get_task_for_user(request.user, pk, action)
    return policy.get_task_for_user(request.user, pk)


def _refuse_unless_allowed(request, task: Task, action: str) -> None:
    """An invalid form from someone not allowed to act gets 403, not the form back."""
    policy.require(request.user, action, task)


@object_rule("task.assign")
@require_http_methods(["GET", "POST"])
def assign(request, pk: int):
    """交办, with a confirm step that lists every draft task that goes out with it."""
    task = _task(request, pk, "task.assign")
    errors: list[str] = []
    if request.method == "POST":
        try:
            assigned = lifecycle.task_assign(actor=request.user, task=task)
        except ValidationError as exc:
            errors = exc.messages
        else:
            return action_done(
                request,
                task,
                ngettext(
                    "已交办 %(n)d 项任务，等待签收。",
                    "已交办 %(n)d 项任务，等待签收。",
                    len(assigned),
                )
                % {"n": len(assigned)},
            )
    drafts = list(
        policy.visible_tasks(request.user)
        .filter(path__startswith=task.path, state=TaskState.DRAFT)
        .select_related("lead_unit")
        .prefetch_related("assignments__unit")
        .order_by("path")
    )
    for draft in drafts:
        draft.rel_depth = draft.depth - task.depth
        draft.co_names = join_list(
            a.unit.display_name for a in draft.assignments.all() if a.role == AssignmentRole.CO
        )
    return render(
        request,
        "tasks/forms/assign_confirm.html",
        {"task": task, "drafts": drafts, "errors": errors},
    )


@object_rule("task.acknowledge")
@require_POST
def acknowledge(request, pk: int):
    """签收: one button; the service refuses a second 签收 with a message."""
    task = policy.get_task_for_user(request.user, pk)
    try:
        lifecycle.assignment_acknowledge(actor=request.user, task=task)
    except ValidationError as exc:
        return action_failed(request, task, exc)
    task.refresh_from_db()
    if policy.can(request.user, "task.report", task):
        return action_done(request, task, _("已签收。请按反馈周期填报进展。"))
    # A co-unit signing first: reports open once the lead unit has signed (办理中).
    return action_done(request, task, _("已签收。牵头单位签收后即可填报进展。"))


@object_rule("task.request_closure")
@require_http_methods(["GET", "POST"])
def closure_request(request, pk: int):
    """申请办结: summary and evidence files, from the lead unit."""
    task = _task(request, pk, "task.request_closure")
    form = ClosureRequestForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
    )
    if request.method == "POST":
        if form.is_valid():
            try:
                sent = lifecycle.closure_request(
                    actor=request.user,
                    task=task,
                    summary=form.cleaned_data["summary"],
                    files=form.cleaned_data["files"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                if sent.decision == ClosureDecision.HEAD_PENDING:
                    return action_done(
                        request, task, _("办结申请已提交，等待本单位负责人审核后上报督查室。")
                    )
                return action_done(request, task, _("办结申请已提交，等待督查室审核。"))
        else:
            _refuse_unless_allowed(request, task, "task.request_closure")
    return render(request, "tasks/forms/closure_request_form.html", {"task": task, "form": form})


def _review_page(
    request,
    task: Task,
    verify_form: VerifyForm,
    return_form: ReasonForm,
    *,
    stage: str = ClosureDecision.PENDING,
    **extra,
):
    """The closure request under review with its two answers: the office's 审核通过 / 退回,
    or (stage head_pending) the unit head's 同意上报 / 退回."""
    pending = (
        task.closure_requests.filter(decision=stage)
        .select_related("unit", "requested_by")
        .prefetch_related("attachments")
        .first()
    )
    if stage == ClosureDecision.HEAD_PENDING:
        labels = {
            "heading": _("审核本单位办结申请"),
            "approve_label": _("同意上报"),
            "approve_url": reverse("tasks:head_approve", args=[task.pk]),
            "return_url": reverse("tasks:head_return", args=[task.pk]),
        }
    else:
        labels = {
            "heading": _("审核办结申请"),
            "approve_label": _("审核通过"),
            "approve_url": reverse("tasks:verify", args=[task.pk]),
            "return_url": reverse("tasks:return", args=[task.pk]),
        }
    return render(
        request,
        "tasks/forms/closure_review.html",
        {
            "task": task,
            "pending": pending,
            "verify_form": verify_form,
            "return_form": return_form,
            **labels,
            **extra,
        },
    )


def _approve(request, pk: int, *, action: str, service, done: str, stage: str):
    """The approving half of a closure review (审核通过, or the head's 同意上报): an optional
    comment; a refusal of the state goes back to the task page with the message."""
    task = _task(request, pk, action)
    form = VerifyForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if form.is_valid():
            try:
                service(actor=request.user, task=task, comment=form.cleaned_data["comment"])
            except ValidationError as exc:
                return action_failed(request, task, exc)
            return action_done(request, task, done)
        _refuse_unless_allowed(request, task, action)
    return_form = ReasonForm(prefix="return", label=_("退回理由"))
    return _review_page(request, task, form, return_form, stage=stage)


def _return(request, pk: int, *, action: str, service, done: str, stage: str):
    """The returning half of a closure review (退回): a reason is required."""
    task = _task(request, pk, action)
    form = ReasonForm(
        request.POST if request.method == "POST" else None, prefix="return", label=_("退回理由")
    )
    if request.method == "POST":
        if form.is_valid():
            try:
                service(actor=request.user, task=task, reason=form.cleaned_data["reason"])
            except ValidationError as exc:
                if "reason" in getattr(exc, "error_dict", {}):
                    add_service_errors(form, exc)
                else:
                    return action_failed(request, task, exc)
            else:
                return action_done(request, task, done)
        else:
            _refuse_unless_allowed(request, task, action)
    return _review_page(request, task, VerifyForm(), form, stage=stage, focus="return")


@object_rule("task.verify")
@require_http_methods(["GET", "POST"])
def verify(request, pk: int):
    """审核通过 (销号), with an optional comment."""
    return _approve(
        request,
        pk,
        action="task.verify",
        service=lifecycle.closure_verify,
        done=_("已审核通过，任务已办结（销号）。"),
        stage=ClosureDecision.PENDING,
    )


@object_rule("task.return")
@require_http_methods(["GET", "POST"])
def closure_return(request, pk: int):
    """退回: the closure is refused; a reason is required."""
    return _return(
        request,
        pk,
        action="task.return",
        service=lifecycle.closure_return,
        done=_("已退回，任务回到办理中。"),
        stage=ClosureDecision.PENDING,
    )


@object_rule("task.head_review")
@require_http_methods(["GET", "POST"])
def head_approve(request, pk: int):
    """单位负责人同意上报: the unit head sends the liaison's closure request to the office."""
    return _approve(
        request,
        pk,
        action="task.head_review",
        service=lifecycle.closure_head_approve,
        done=_("已同意上报，办结申请已送督查室审核。"),
        stage=ClosureDecision.HEAD_PENDING,
    )


@object_rule("task.head_review")
@require_http_methods(["GET", "POST"])
def head_return(request, pk: int):
    """单位负责人退回: the request goes back to the liaison with a reason."""
    return _return(
        request,
        pk,
        action="task.head_review",
        service=lifecycle.closure_head_return,
        done=_("已退回联络员，办结申请未上报。"),
        stage=ClosureDecision.HEAD_PENDING,
    )


REASON_ACTIONS = {
    "suspend": (
        "task.suspend",
        lifecycle.task_suspend,
        gettext_lazy("暂缓"),
        gettext_lazy("暂缓理由"),
        gettext_lazy("任务已暂缓，暂停亮灯和催办。"),
    ),
    "cancel": (
        "task.cancel",
        lifecycle.task_cancel,
        gettext_lazy("撤销"),
        gettext_lazy("撤销理由"),
        gettext_lazy("任务已撤销。"),
    ),
}


def _reason_action(request, pk: int, which: str):
    action, service, verb, label, done = REASON_ACTIONS[which]
    task = _task(request, pk, action)
    form = ReasonForm(request.POST if request.method == "POST" else None, label=label)
    if request.method == "POST":
        if form.is_valid():
            try:
                service(actor=request.user, task=task, reason=form.cleaned_data["reason"])
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                return action_done(request, task, str(done))
        else:
            _refuse_unless_allowed(request, task, action)
    return render(
        request,
        "tasks/forms/reason_form.html",
        {"task": task, "form": form, "verb": verb, "which": which},
    )


@object_rule("task.suspend")
@require_http_methods(["GET", "POST"])
def suspend(request, pk: int):
    """暂缓, with a reason."""
    return _reason_action(request, pk, "suspend")


@object_rule("task.cancel")
@require_http_methods(["GET", "POST"])
def cancel(request, pk: int):
    """撤销, with a reason; the task and its open sub-tasks stay in the record."""
    return _reason_action(request, pk, "cancel")


@object_rule("task.resume")
@require_POST
def resume(request, pk: int):
    """恢复: a suspended task goes back to the state it had."""
    task = policy.get_task_for_user(request.user, pk)
    try:
        lifecycle.task_resume(actor=request.user, task=task)
    except ValidationError as exc:
        return action_failed(request, task, exc)
    return action_done(request, task, _("任务已恢复。"))


@object_rule("task.milestone")
@require_POST
def milestone_done(request, pk: int):
    """节点完成: a time node is marked done today."""
    milestone = Milestone.objects.filter(pk=pk).select_related("task").first()
    if milestone is None:
        raise Http404(_("时间节点不存在。"))
    task = policy.get_task_for_user(request.user, milestone.task_id)
    milestone.task = task
    try:
        editing.milestone_complete(actor=request.user, milestone=milestone, on=clock.today())
    except ValidationError as exc:
        return action_failed(request, task, exc)
    return action_done(
        request, task, _("时间节点“%(title)s”已标记完成。") % {"title": milestone.title}
    )
