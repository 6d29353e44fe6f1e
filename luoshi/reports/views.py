"""填报 (a unit's progress report) and the access-checked attachment download."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from luoshi.access import policy
from luoshi.access.views import object_rule
from luoshi.lib.downloads import uploaded_file_response
from luoshi.lib.forms import add_service_errors
from luoshi.reports.forms import ReportForm
from luoshi.reports.models import ProgressReport
from luoshi.reports.services import report_submit
from luoshi.tasks.models import AssignmentRole
from luoshi.tasks.views.respond import action_done


@object_rule("task.report")
@require_http_methods(["GET", "POST"])
def submit(request, pk: int):
    """填报: 工作进展, 存在问题, 下步计划, 完成进度, indicator values (lead unit), files.

    GET shows the form only to a unit that may report now (else 403). A POST goes to the
    service, which names the problem (task closed, not signed for…) or refuses (403)."""
    posting = request.method == "POST"
    task = policy.get_task_for_user(request.user, pk, "task.view" if posting else "task.report")
    mine = policy.own_assignment(request.user, task)
    if mine is None:
        raise PermissionDenied(_("您所在单位不是该任务的承办单位，不能填报。"))
    lead = mine.role == AssignmentRole.LEAD
    indicators = list(task.indicators.all()) if lead else []
    form = ReportForm(
        request.POST if posting else None,
        request.FILES if posting else None,
        indicators=indicators,
        initial={"percent": mine.progress},
    )
    if posting:
        if form.is_valid():
            data = form.cleaned_data
            try:
                report_submit(
                    actor=request.user,
                    task=task,
                    progress_text=data["progress_text"],
                    percent=data["percent"],
                    problems=data["problems"],
                    next_steps=data["next_steps"],
                    indicator_values=form.indicator_values(),
                    files=data["files"],
                    submit_key=data["submit_key"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                return action_done(request, task, _("进展已提交。"))
        else:
            policy.require(request.user, "task.report", task)
    last = ProgressReport.objects.filter(task=task, unit=mine.unit).select_related("author").first()
    return render(
        request,
        "reports/report_form.html",
        {"task": task, "form": form, "part": mine, "lead": lead, "last": last},
    )


@object_rule("task.view")
@require_safe
def attachment(request, pk: int):
    """Download an attachment: only for users who may see its task; never shown inline."""
    item = policy.get_attachment_for_user(request.user, pk)
    return uploaded_file_response(item, actor=request.user, action="attachment.download")
