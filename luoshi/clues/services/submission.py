"""The public hands in a clue: checked, stored (the photo re-encoded), and the office told."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from luoshi.access.clues import mask_phone
from luoshi.audit.services import audit_log
from luoshi.clues import photos, receipts
from luoshi.clues.conf import conf
from luoshi.clues.models import Clue, ClueCategory, ClueEvent, ClueEventKind
from luoshi.lib import clock
from luoshi.notifications.models import NotificationKind
from luoshi.notifications.services import notify
from luoshi.org.models import Role, Unit, User

PHONE = re.compile(r"^\+?[0-9][0-9\- ]{5,18}[0-9]$")
# Characters no one types in a clue: control characters other than line breaks and tabs.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass(frozen=True)
class Submitted:
    clue: Clue
    receipt_code: str  # shown to the submitter once; only its hash is stored


def _clean_text(value: str) -> str:
    return CONTROL.sub("", (value or "").replace("\r\n", "\n")).strip()


def validate_submission(
    *, category: ClueCategory | None, place: str, unit: Unit | None, text: str, contact: str
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if category is None or not category.active:
        errors["category"] = [_("请选择线索类别。")]
    if not place:
        errors["place"] = [_("请填写问题发生的地点。")]
    elif len(place) > 200:
        errors["place"] = [_("地点不能超过 200 个字。")]
    low, high = conf("CLUE_TEXT_MIN"), conf("CLUE_TEXT_MAX")
    if not text:
        errors["text"] = [_("请填写线索内容。")]
    elif len(text) < low:
        errors["text"] = [_("线索内容至少 %(n)d 个字，请把问题说清楚。") % {"n": low}]
    elif len(text) > high:
        errors["text"] = [
            _("线索内容不能超过 %(n)d 个字（现有 %(m)d 个字）。") % {"n": high, "m": len(text)}
        ]
    if contact and not PHONE.match(contact):
        errors["contact"] = [_("联系电话只能包含数字、空格、短横线，如 138 0000 0000。")]
    if unit is not None and not unit.is_active:
        errors["unit"] = [_("请选择有效的单位。")]
    return errors


def _office(unit: Unit | None) -> list[User]:
    """The supervisors a new clue is for: the unscoped ones, and those whose scope holds the
    clue's unit."""
    users = User.objects.filter(role=Role.SUPERVISOR, is_active=True)
    if unit is None:
        return list(users.filter(scope_unit__isnull=True))
    prefixes = [unit.path[:i] for i in range(1, len(unit.path) + 1) if unit.path[i - 1] == "/"]
    return list(users.filter(Q(scope_unit__isnull=True) | Q(scope_unit__path__in=prefixes)))


@transaction.atomic
def clue_submit(
    *,
    category: ClueCategory | None,
    place: str,
    text: str,
    unit: Unit | None = None,
    photo=None,
    contact: str = "",
) -> Submitted:
    """Store a clue from the public form (no actor) and return it with its receipt code."""
    place = _clean_text(place)
    text = _clean_text(text)
    contact = (contact or "").strip()
    errors = validate_submission(
        category=category, place=place, unit=unit, text=text, contact=contact
    )
    photo_file = None
    if photo is not None:
        try:
            photo_file = photos.reencode(photo)
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    code = receipts.new_code()
    clue = Clue(
        receipt_hash=receipts.code_hash(code),
        category=category,
        place=place,
        unit=unit,
        text=text,
        contact=contact,
        submitted_at=clock.now(),
    )
    if photo_file is not None:
        clue.photo.save(photo_file.name, photo_file, save=False)
    clue.full_clean()
    clue.save()
    ClueEvent.objects.create(clue=clue, kind=ClueEventKind.SUBMITTED, at=clue.submitted_at)
    audit_log(
        actor=None,
        action="clues.submit",
        obj=clue,
        data={
            "category": category.name,
            "unit": unit.name if unit else "",
            "photo": bool(photo_file),
            "contact": mask_phone(contact),
        },
    )
    notify(
        recipients=_office(unit),
        kind=NotificationKind.TASK,
        title=_("收到群众线索 %(number)s（%(category)s）")
        % {"number": clue.number, "category": category.name},
        body=Truncator(text).chars(120),
        url=reverse("clues:detail", args=[clue.pk]),
        dedupe_key=f"clue-new:{clue.pk}",
    )
    return Submitted(clue=clue, receipt_code=code)


def clue_find_by_code(raw: str) -> Clue | None:
    """The clue of a receipt code, or None: a malformed code is not looked up."""
    if not receipts.is_well_formed(raw):
        return None
    return (
        Clue.objects.select_related("task", "inspection", "merged_into__task")
        .filter(receipt_hash=receipts.code_hash(raw))
        .first()
    )
