"""What the task page and the unit's 工作台 show of supervision, fetched by the includes
themselves (supervision/_task_panel.html, supervision/_home_notices.html) so that the pages'
own views need not know about it."""

from __future__ import annotations

from django import template
from django.db.models import Prefetch

from luoshi.access import policy
from luoshi.lib import clock
from luoshi.supervision.models import NoticeReply, SupervisionFile, Urge

register = template.Library()

HOME_LIMIT = 8
URGE_LIMIT = 5


@register.simple_tag(takes_context=True)
def supervision_of_task(context, task) -> dict:
    """The task's 督办单, 约谈 / 实地核查 records and latest 催办, as the user may read them,
    and what the user may do: a handful of queries."""
    user = context["request"].user
    unit_id = policy.part_unit_id(user, task)
    replies = NoticeReply.objects.select_related("unit", "author")
    if unit_id is not None:
        replies = replies.filter(unit_id=unit_id)
    notices = list(
        policy.visible_notices(user, task)
        .select_related("unit")
        .prefetch_related(Prefetch("replies", queryset=replies))
        .order_by("-drafted_at", "-id")
    )
    records = list(
        policy.visible_supervision_records(user, task)
        .select_related("recorded_by")
        .prefetch_related(Prefetch("files", queryset=SupervisionFile.objects.order_by("id")))
    )
    urges = []
    if policy.sees_every_part(user, task):
        urges = list(Urge.objects.filter(task=task).select_related("urged_by")[:URGE_LIMIT])
    to_reply = set(policy.notices_to_reply(user, task).values_list("pk", flat=True))
    actions = context.get("actions") or policy.task_actions(user, task)
    return {
        "notices": notices,
        "records": records,
        "urges": urges,
        "to_reply": to_reply,
        "may_urge": "task.urge" in actions,
        "may_notice": "task.notice" in actions,
        "may_record": "task.supervise" in actions,
        "today": clock.today(),
    }


@register.simple_tag(takes_context=True)
def notices_to_reply(context) -> dict:
    """督办单待回复 for the user's unit (its 工作台)."""
    user = context["request"].user
    notices = list(
        policy.notices_to_reply(user)
        .select_related("task")
        .order_by("reply_by", "id")[: HOME_LIMIT + 1]
    )
    return {
        "notices": notices[:HOME_LIMIT],
        "more": len(notices) > HOME_LIMIT,
        "today": clock.today(),
    }
