"""回头看: scheduled from a closed task's page by the office; the re-check's page, where the
lead unit answers once it is due and the office gives the verdict or cancels it; the list of
every re-check the user may read; the evidence download.

Thin views: the object if the user may read it (else 404), the form, the service (which
checks the permission itself: PermissionDenied → 403), back to the task page with a message.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from luoshi.access import policy
from luoshi.access.views import object_rule, rule
from luoshi.lib import clock
from luoshi.lib.downloads import uploaded_file_response
from luoshi.lib.forms import add_service_errors
from luoshi.org.models import Unit
from luoshi.rechecks import services
from luoshi.rechecks.forms import CONFIRM, AnswerForm, CancelForm, ScheduleForm, VerdictForm
from luoshi.rechecks.queries import (
    ANSWER_WORKING_DAYS,
    RecheckStatus,
    overdue_before,
    rechecks_in_list_order,
    rechecks_with_status,
)
from luoshi.tasks.views.respond import action_done, to_task


@object_rule("task.schedule_recheck")
@require_http_methods(["GET", "POST"])
def schedule(request, pk: int):
    """安排回头看: 3 or 6 months after the closure, or a chosen date."""
    task = policy.get_task_for_user(request.user, pk)
    dates = {
        "after_3": services.recheck_date_after(task, 3),
        "after_6": services.recheck_date_after(task, 6),
    }
    form = ScheduleForm(request.POST if request.method == "POST" else None, **dates)
    if request.method == "POST":
        if form.is_valid():
            try:
                recheck = services.recheck_schedule(
                    actor=request.user,
                    task=task,
                    note=form.cleaned_data["note"],
                    **form.schedule_args(),
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                return action_done(
                    request,
                    task,
                    _("已安排回头看，定于 %(date)s。") % {"date": recheck.due_on.isoformat()},
                )
        else:
            policy.require(request.user, "task.schedule_recheck", task)
    else:
        policy.require(request.user, "task.schedule_recheck", task)
    return render(request, "rechecks/schedule_form.html", {"task": task, "form": form})


def _detail_page(request, recheck, *, answer_form=None, verdict_form=None, cancel_form=None):
    task = recheck.task
    user = request.user
    return render(
        request,
        "rechecks/detail.html",
        {
            "task": task,
            "recheck": recheck,
            "may_answer": policy.can(user, "task.confirm_recheck", task) and recheck.state == "due",
            "may_verify": policy.can(user, "task.verify_recheck", task) and recheck.is_open,
            "may_cancel": policy.can(user, "task.cancel_recheck", task) and recheck.is_open,
            "answer_form": answer_form or AnswerForm(),
            "verdict_form": verdict_form or VerdictForm(),
            "cancel_form": cancel_form or CancelForm(),
            "evidence": list(recheck.evidence.all()),
            "history": policy.visible_rechecks(user, task).exclude(pk=recheck.pk),
        },
    )


@object_rule("task.view")
@require_safe
def detail(request, pk: int):
    recheck = policy.get_recheck_for_user(request.user, pk)
    return _detail_page(request, recheck)


@object_rule("task.confirm_recheck")
@require_POST
def answer(request, pk: int):
    """The lead unit's answer: how the result holds, with evidence."""
    recheck = policy.get_recheck_for_user(request.user, pk)
    form = AnswerForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.recheck_answer(
                actor=request.user,
                recheck=recheck,
                answer=form.cleaned_data["answer"],
                files=form.cleaned_data["files"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return action_done(request, recheck.task, _("回头看情况已反馈，等待督查室核验。"))
    else:
        policy.require(request.user, "task.confirm_recheck", recheck.task)
    return _detail_page(request, recheck, answer_form=form)


@object_rule("task.verify_recheck")
@require_POST
def verdict(request, pk: int):
    """通过 / 不通过 (the button pressed); 不通过 reopens the task."""
    recheck = policy.get_recheck_for_user(request.user, pk)
    form = VerdictForm(request.POST)
    if form.is_valid():
        passed = form.cleaned_data["verdict"] == CONFIRM
        try:
            if passed:
                services.recheck_confirm(
                    actor=request.user, recheck=recheck, comment=form.cleaned_data["comment"]
                )
            else:
                services.recheck_fail(
                    actor=request.user,
                    recheck=recheck,
                    comment=form.cleaned_data["comment"],
                    due=form.cleaned_data["due"],
                )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if passed:
                return action_done(request, recheck.task, _("回头看通过。"))
            return action_done(request, recheck.task, _("回头看未通过，任务已重新办理。"))
    else:
        policy.require(request.user, "task.verify_recheck", recheck.task)
    recheck.refresh_from_db()
    return _detail_page(request, recheck, verdict_form=form)


@object_rule("task.cancel_recheck")
@require_POST
def cancel(request, pk: int):
    """取消回头看, with a reason: the re-check is kept, marked 已取消."""
    recheck = policy.get_recheck_for_user(request.user, pk)
    form = CancelForm(request.POST)
    if form.is_valid():
        try:
            services.recheck_cancel(
                actor=request.user, recheck=recheck, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return action_done(request, recheck.task, _("回头看已取消。"))
    else:
        policy.require(request.user, "task.cancel_recheck", recheck.task)
    recheck.refresh_from_db()
    return _detail_page(request, recheck, cancel_form=form)


@rule("recheck.list")
@require_safe
def recheck_list(request):
    """回头看: every re-check the user may read, what needs someone first; filters by status
    (逾期未反馈 among them) and, for the office and leaders, by unit."""
    user = request.user
    today = clock.today()
    visible = policy.rechecks_for_user(user)
    status = request.GET.get("status", "")
    if status not in RecheckStatus.values:
        status = ""
    units = []
    unit = ""
    if user.role in policy.OVERSIGHT_ROLES:
        units = Unit.objects.filter(pk__in=visible.values("unit_id")).order_by("path")
        unit = request.GET.get("unit", "")
        if not unit.isdigit():
            unit = ""
    qs = rechecks_with_status(visible, status, today)
    if unit:
        qs = qs.filter(unit_id=int(unit))
    qs = rechecks_in_list_order(qs.select_related("task", "unit"))
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "rechecks/list.html",
        {
            "page": page,
            "status": status,
            "statuses": RecheckStatus.choices,
            "units": units,
            "unit": unit,
            "overdue_before": overdue_before(today),
            "answer_days": ANSWER_WORKING_DAYS,
        },
    )


@object_rule("task.view")
@require_safe
def open_for_task(request, pk: int):
    """The task's open re-check (the action bar's link), else back to the task."""
    task = policy.get_task_for_user(request.user, pk)
    recheck = policy.open_recheck(task)
    if recheck is None or not policy.sees_every_part(request.user, task):
        messages.info(request, _("没有进行中的回头看。"))
        return to_task(request, task)
    return redirect("rechecks:detail", pk=recheck.pk)


@object_rule("task.view")
@require_safe
def evidence(request, pk: int):
    """Download a file of a re-check answer: only for who reads the re-check."""
    item = policy.get_recheck_evidence_for_user(request.user, pk)
    return uploaded_file_response(item, actor=request.user, action="attachment.download")
