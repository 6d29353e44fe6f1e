"""督查通知: sent to each supervised unit `notice_days_ahead` working days before the start —
by the daily tick (luoshi.campaigns.daily) or by hand earlier — and never for an unannounced
check (暗访). One notice per unit (a unique constraint: a second run sends nothing)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from luoshi.access import campaigns as access
from luoshi.audit.services import audit_log
from luoshi.campaigns.models import Inspection, InspectionNotice, InspectionState, NoticeWay
from luoshi.campaigns.services.common import event_record, lock, require_state
from luoshi.lib import clock
from luoshi.notifications.models import NotificationKind
from luoshi.notifications.services import notify
from luoshi.org.models import User
from luoshi.workcal.services import work_calendar


def notice_date(inspection: Inspection, calendar=None) -> dt.date | None:
    """The working day `notice_days_ahead` working days before the start; None for 暗访."""
    if inspection.unannounced:
        return None
    calendar = calendar or work_calendar()
    return calendar.add_working_days(inspection.start_date, -inspection.notice_days_ahead)


def unit_people(unit_id: int) -> list[User]:
    """The liaisons and heads of a unit: who reads its 督查通知."""
    return list(User.objects.filter(is_active=True, unit_id=unit_id, role__in=access.UNIT_ROLES))


def _notice_text(inspection: Inspection) -> str:
    lines = [
        _("督查事项：%(title)s") % {"title": inspection.title},
        _("督查时间：%(start)s 至 %(end)s")
        % {"start": inspection.start_date.isoformat(), "end": inspection.end_date.isoformat()},
        _("督查方式：%(methods)s") % {"methods": "、".join(inspection.method_labels())},
    ]
    if inspection.materials:
        lines.append(_("请准备以下材料：%(materials)s") % {"materials": inspection.materials})
    return "\n".join(lines)


@transaction.atomic
def notices_send(
    *, actor: User | None, inspection: Inspection, way: str = NoticeWay.MANUAL
) -> list[InspectionNotice]:
    """Send the notice to every supervised unit that has none yet. `actor` None: the tick."""
    if actor is not None and not access.is_office(actor):
        raise PermissionDenied(_("只有督查室人员可以发送督查通知。"))
    inspection = lock(inspection)
    if inspection.unannounced:
        raise ValidationError(_("暗访不发督查通知。"))
    require_state(inspection, InspectionState.ACTIVE, doing=_("发送督查通知"))
    today = clock.today()
    if inspection.end_date < today:
        raise ValidationError(_("督查已结束，不再发送督查通知。"))
    already = set(inspection.notices.values_list("unit_id", flat=True))
    sent: list[InspectionNotice] = []
    now = clock.now()
    for unit in inspection.subject_units.order_by("sort_order", "pk"):
        if unit.pk in already:
            continue
        try:
            with transaction.atomic():
                notice = InspectionNotice.objects.create(
                    inspection=inspection,
                    unit=unit,
                    way=way,
                    sent_on=today,
                    sent_at=now,
                    sent_by=actor,
                )
        except IntegrityError:  # another worker sent it a moment ago
            continue
        notify(
            recipients=unit_people(unit.pk),
            kind=NotificationKind.TASK,
            title=_("督查通知：%(title)s（%(start)s 起）")
            % {"title": inspection.title, "start": inspection.start_date.isoformat()},
            body=_notice_text(inspection),
            url=reverse("campaigns:notice", args=[notice.pk]),
            dedupe_key=f"campaign-notice:{inspection.pk}:{unit.pk}",
        )
        sent.append(notice)
    if sent:
        data = {"units": [n.unit_id for n in sent], "way": way}
        event_record(inspection=inspection, kind="notices_sent", actor=actor, data=data)
        audit_log(actor=actor, action="campaigns.notices_send", obj=inspection, data=data)
    return sent


@transaction.atomic
def notice_mark_read(*, actor: User, notice: InspectionNotice) -> InspectionNotice:
    """The unit opened its notice (kept once: the first reading)."""
    if not (access.is_unit_side(actor) and actor.unit_id == notice.unit_id):
        return notice
    updated = InspectionNotice.objects.filter(pk=notice.pk, read_at__isnull=True).update(
        read_at=clock.now()
    )
    if updated:
        notice.refresh_from_db(fields=["read_at"])
        audit_log(actor=actor, action="campaigns.notice_read", obj=notice)
    return notice
