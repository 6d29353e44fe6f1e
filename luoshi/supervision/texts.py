"""What a rung of the ladder says, worded when read: the history shows it in the reader's
language from the entry's data (relative_to, deadline, late), and the notification body
uses the same words."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from luoshi.supervision.models import RelativeTo


def step_text(*, relative_to: str, deadline: str, late: int) -> str:
    """By the deadline and how many working days before (late < 0) or after it the rung ran."""
    if relative_to == RelativeTo.REPORT:
        if late < 0:
            return _("请于 %(date)s 前填报本期进展。") % {"date": deadline}
        if late == 0:
            return _("本期进展填报截止于今日（%(date)s），尚未填报。") % {"date": deadline}
        return ngettext(
            "本期进展已于 %(date)s 截止，逾期 %(n)d 个工作日仍未填报。",
            "本期进展已于 %(date)s 截止，逾期 %(n)d 个工作日仍未填报。",
            late,
        ) % {"date": deadline, "n": late}
    if late < 0:
        return ngettext(
            "任务将于 %(date)s 到期，还有 %(n)d 个工作日。",
            "任务将于 %(date)s 到期，还有 %(n)d 个工作日。",
            -late,
        ) % {"date": deadline, "n": -late}
    if late == 0:
        return _("任务今日（%(date)s）到期，尚未办结。") % {"date": deadline}
    return ngettext(
        "任务已于 %(date)s 到期，逾期 %(n)d 个工作日仍未办结。",
        "任务已于 %(date)s 到期，逾期 %(n)d 个工作日仍未办结。",
        late,
    ) % {"date": deadline, "n": late}
