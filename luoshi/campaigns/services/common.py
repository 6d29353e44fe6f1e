"""Helpers shared by the campaign services: settings, the history, validation errors."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from luoshi.access import campaigns as access
from luoshi.campaigns.models import Inspection, InspectionEvent
from luoshi.lib import clock
from luoshi.org.models import Unit, User


def default_notice_days() -> int:
    return int(settings.LUOSHI.get("CAMPAIGN_NOTICE_DAYS_AHEAD", 3))


def default_statement_days() -> int:
    return int(settings.LUOSHI.get("CAMPAIGN_STATEMENT_DAYS", 5))


def event_record(
    *, inspection: Inspection, kind: str, actor: User | None, data: dict | None = None
) -> InspectionEvent:
    return InspectionEvent.objects.create(
        inspection=inspection, kind=kind, actor=actor, at=clock.now(), data=data or {}
    )


class Errors:
    """Collects Chinese messages by field; raise() throws one ValidationError with them all."""

    def __init__(self) -> None:
        self.by_field: dict[str, list[str]] = {}

    def add(self, field: str, message: str) -> None:
        self.by_field.setdefault(field, []).append(message)

    def raise_if_any(self) -> None:
        if self.by_field:
            raise ValidationError(self.by_field)


def require_office(actor: User) -> None:
    if not access.is_office(actor):
        raise PermissionDenied(_("只有督查室人员可以编制督查计划、组织实施督查活动。"))


def lock(inspection: Inspection) -> Inspection:
    return Inspection.objects.select_for_update(no_key=True).get(pk=inspection.pk)


def require_state(inspection: Inspection, *states: str, doing: str) -> None:
    if inspection.state not in states:
        raise ValidationError(
            _("督查活动当前状态为“%(state)s”，不能%(doing)s。")
            % {"state": inspection.get_state_display(), "doing": doing}
        )


def check_units_in_scope(actor: User, units: list[Unit], errors: Errors, field: str) -> None:
    """Every unit active and within the actor's scope."""
    from luoshi.access.policy import scope_units

    scope = scope_units(actor)
    allowed = None if scope is None else set(scope.values_list("pk", flat=True))
    for unit in units:
        if not unit.is_active:
            errors.add(field, _("单位“%(name)s”已停用。") % {"name": unit.display_name})
        elif allowed is not None and unit.pk not in allowed:
            errors.add(field, _("单位“%(name)s”不在您的管辖范围内。") % {"name": unit.display_name})
