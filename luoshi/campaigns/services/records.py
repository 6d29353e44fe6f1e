"""督查记录 with photos and documents. Append-only: a correction is a new record pointing at
the one it corrects; the old one stays as it was."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from luoshi.access import campaigns as access
from luoshi.audit.services import audit_log
from luoshi.campaigns.models import Inspection, InspectionRecord, RecordFile, RecordKind
from luoshi.campaigns.services.common import Errors, event_record, lock
from luoshi.campaigns.uploads import files_validate
from luoshi.lib import clock
from luoshi.org.models import Unit, User
from luoshi.reports.attachments import uploads_store

PLACE_MAX = 200
PERSONS_MAX = 500
TEXT_MAX = 10000


@transaction.atomic
def record_add(
    *,
    actor: User,
    inspection: Inspection,
    kind: str,
    held_on: dt.date | None,
    place: str,
    persons: str,
    text: str,
    unit: Unit | None = None,
    files: Sequence[UploadedFile] = (),
    corrects: InspectionRecord | None = None,
) -> InspectionRecord:
    inspection = lock(inspection)
    if not access.may_record(actor, inspection):
        raise PermissionDenied(_("只有督查室人员和督查组成员可以在督查实施后添加督查记录。"))
    errors = Errors()
    if kind not in RecordKind.values:
        errors.add("kind", _("请选择督查方式。"))
    today = clock.today()
    if held_on is None:
        errors.add("held_on", _("请填写日期。"))
    elif held_on > today:
        errors.add("held_on", _("日期不能晚于今天。"))
    elif held_on < inspection.start_date:
        errors.add(
            "held_on",
            _("日期不能早于督查开始日期（%(d)s）。") % {"d": inspection.start_date.isoformat()},
        )
    place, persons, text = (place or "").strip(), (persons or "").strip(), (text or "").strip()
    if not place:
        errors.add("place", _("请填写地点。"))
    elif len(place) > PLACE_MAX:
        errors.add("place", _("地点不能超过 %(n)d 字。") % {"n": PLACE_MAX})
    if not persons:
        errors.add("persons", _("请填写参加人员。"))
    elif len(persons) > PERSONS_MAX:
        errors.add("persons", _("参加人员不能超过 %(n)d 字。") % {"n": PERSONS_MAX})
    if not text:
        errors.add("text", _("请填写情况记录。"))
    elif len(text) > TEXT_MAX:
        errors.add("text", _("情况记录不能超过 %(n)d 字。") % {"n": TEXT_MAX})
    if unit is not None and not inspection.subject_units.filter(pk=unit.pk).exists():
        errors.add("unit", _("“%(name)s”不是本次督查的对象。") % {"name": unit.display_name})
    if corrects is not None:
        if corrects.inspection_id != inspection.pk:
            errors.add("corrects", _("被更正的记录不属于本次督查。"))
        elif InspectionRecord.objects.filter(corrects=corrects).exists():
            errors.add("corrects", _("该记录已被更正过，请更正最新的记录。"))
    try:
        files_validate(files)
    except ValidationError as exc:
        for message in exc.messages:
            errors.add("files", message)
    errors.raise_if_any()
    record = InspectionRecord.objects.create(
        inspection=inspection,
        unit=unit,
        kind=kind,
        held_on=held_on,
        place=place,
        persons=persons,
        text=text,
        corrects=corrects,
        recorded_by=actor,
        created_at=clock.now(),
    )
    stored = uploads_store(files, model=RecordFile, actor=actor, record=record)
    data = {
        "record": record.pk,
        "kind": kind,
        "held_on": held_on.isoformat(),
        "unit": unit.pk if unit else None,
        "corrects": corrects.pk if corrects else None,
        "files": [f.sha256 for f in stored],
    }
    event_record(
        inspection=inspection,
        kind="record_corrected" if corrects else "record_added",
        actor=actor,
        data=data,
    )
    audit_log(actor=actor, action="campaigns.record_add", obj=record, data=data)
    return record
