"""The public status of a clue, computed from the clue and, when it became a task, from the
task: it is never copied, so a task closed today shows 已办结 to the submitter today.

  new                          已受理   (the office has it; received)
  task, task not yet closed    处理中
  task, task closed            已办结   (date: the task's closing)
  inspection                   处理中, 已办结 once the campaign is 已完结
  merged                       已合并   and the primary clue's own public status
  rejected                     不予受理 with the reason
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from luoshi.clues.models import Clue, ClueState
from luoshi.tasks.models import TaskState

LABELS = {
    "received": _("已受理"),
    "in_progress": _("处理中"),
    "done": _("已办结"),
    "merged": _("已合并"),
    "rejected": _("不予受理"),
}


@dataclass(frozen=True)
class PublicStatus:
    code: str
    submitted_at: dt.datetime
    handled_at: dt.datetime | None = None
    done_at: dt.datetime | None = None
    reason: str = ""
    reply: str = ""
    replied_at: dt.datetime | None = None
    primary: PublicStatus | None = None

    @property
    def label(self) -> str:
        return str(LABELS[self.code])


def public_status(clue: Clue, _depth: int = 0) -> PublicStatus:
    common = {
        "submitted_at": clue.submitted_at,
        "handled_at": clue.triaged_at,
        "reply": clue.public_reply,
        "replied_at": clue.replied_at,
    }
    if clue.state == ClueState.MERGED and clue.merged_into_id and _depth < 3:
        primary = public_status(clue.merged_into, _depth + 1)
        return PublicStatus(code="merged", primary=primary, **common)
    if clue.state == ClueState.REJECTED:
        return PublicStatus(code="rejected", reason=clue.reject_reason, **common)
    if clue.state == ClueState.TASK and clue.task_id:
        task = clue.task
        if task.state == TaskState.CLOSED:
            return PublicStatus(code="done", done_at=task.closed_at, **common)
        return PublicStatus(code="in_progress", **common)
    if clue.state == ClueState.INSPECTION and clue.inspection_id:
        from luoshi.campaigns.models.inspections import InspectionState

        if clue.inspection.state == InspectionState.FINISHED:
            return PublicStatus(code="done", **common)
        return PublicStatus(code="in_progress", **common)
    return PublicStatus(code="received", **common)
