"""领导批示/点评: a leader comments on a task or on one of its progress reports.

leader_comment_add  one transaction: checks the permission through access.policy, validates
                    (Chinese messages), writes the comment, the audit entry, and notifies the
                    lead unit's liaisons and heads (and, on a co-unit's report, that unit's).

Comments are never edited or deleted."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from luoshi.access import policy
from luoshi.audit.services import audit_log
from luoshi.cockpit.models import LeaderComment
from luoshi.lib import clock
from luoshi.notifications.models import NotificationKind
from luoshi.notifications.services import notify
from luoshi.org.models import User
from luoshi.reports.models import ProgressReport
from luoshi.tasks.models import Task

TEXT_MAX = 2000


def comment_recipients(task: Task, report: ProgressReport | None) -> list[User]:
    """The liaisons and heads of the lead unit, and of the report's unit when it is another."""
    unit_ids = {task.lead_unit_id} if task.lead_unit_id else set()
    if report is not None:
        unit_ids.add(report.unit_id)
    if not unit_ids:
        return []
    return list(
        User.objects.filter(is_active=True, unit_id__in=unit_ids, role__in=policy.UNIT_ROLES)
    )


@transaction.atomic
def leader_comment_add(
    *, actor: User, task: Task, text: str, report: ProgressReport | None = None
) -> LeaderComment:
    """批示/点评 on `task`, or on `report` (one of its progress reports)."""
    if not policy.can(actor, "task.comment", task):
        raise PermissionDenied(policy.denial_message("task.comment", actor, task))
    errors: dict[str, list[str]] = {}
    text = (text or "").strip()
    if not text:
        errors["text"] = [_("请填写批示内容。")]
    elif len(text) > TEXT_MAX:
        errors["text"] = [_("批示内容不能超过 %(n)d 字。") % {"n": TEXT_MAX}]
    if report is not None and (
        report.task_id != task.pk
        or not policy.visible_reports(actor, task).filter(pk=report.pk).exists()
    ):
        errors["report"] = [_("所选进展反馈不属于该任务。")]
    if errors:
        raise ValidationError(errors)
    comment = LeaderComment(task=task, report=report, author=actor, text=text, at=clock.now())
    comment.full_clean()
    comment.save()
    audit_log(
        actor=actor,
        action="task.comment",
        obj=comment,
        data={"task": task.pk, "report": report.pk if report else None},
    )
    words = {"who": actor.display_name, "code": task.code, "title": task.title}
    if report is not None:
        title = _("%(who)s对进展反馈作出批示：%(code)s %(title)s") % words
    else:
        title = _("%(who)s作出批示：%(code)s %(title)s") % words
    notify(
        recipients=comment_recipients(task, report),
        kind=NotificationKind.TASK,
        title=title,
        body=text[:500],
        task=task,
        url=reverse("tasks:detail", args=[task.pk]) + "#leader-comments",
        dedupe_key=f"leader_comment:{comment.pk}",
    )
    return comment
