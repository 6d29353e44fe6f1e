"""导入台账: upload → preview (mapping, unit resolutions) → confirm, one transaction.

imp = ledger_import_start(actor=user, upload=f, new_source_title="…")
sheet, plan = ledger_import_plan(imp)
ledger_import_update(actor=user, imp=imp, mapping={...}, resolutions={...})
result = ledger_import_confirm(actor=user, imp=imp)
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Mapping
from typing import IO

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _

from luoshi.access import policy
from luoshi.audit.services import audit_log
from luoshi.ledger.models import ImportStatus, LedgerImport
from luoshi.ledger.plan import NEW, Plan, plan_commit, plan_from_rows
from luoshi.ledger.reader import (
    MAPPABLE,
    Sheet,
    check_file,
    max_bytes,
    read_sheet,
    sheet_from_json,
    sheet_rows,
    sheet_to_json,
)
from luoshi.lib import clock
from luoshi.lib.uploads import check_upload, display_name, random_name
from luoshi.org.models import User
from luoshi.tasks.models import Source, SourceKind
from luoshi.tasks.services.sources import source_create


def _read_upload(upload: IO[bytes], size: int | None) -> bytes:
    if size is not None:
        upload.seek(0)
        check_file(size, upload.read(8))  # too big or encrypted: refused before reading it all
    upload.seek(0)
    return upload.read()


def ledger_import_start(
    *,
    actor: User,
    upload: IO[bytes],
    name: str = "",
    source: Source | None = None,
    new_source_title: str = "",
    year: int | None = None,
) -> LedgerImport:
    """Check and read the file (a Chinese ValidationError and nothing written if it cannot be
    read), then keep it for the preview."""
    policy.require(actor, "ledger.import")
    if source is not None and not policy.visible_sources(actor).filter(pk=source.pk).exists():
        raise ValidationError({"source": _("任务来源不存在或您无权查看。")})
    size = getattr(upload, "size", None)
    data = _read_upload(upload, size)
    sheet = read_sheet(data)
    name = display_name(name or getattr(upload, "name", "") or "ledger.xlsx")
    # read as a workbook; now the same content check as every upload (a disguised page, …)
    check_upload(
        io.BytesIO(data),
        kinds={"xlsx", "xlsm"},
        max_bytes=max_bytes(),
        field_label=_("台账文件"),
        name=name,
    )
    with transaction.atomic():
        imp = LedgerImport(
            original_name=name,
            size=len(data),
            sha256=hashlib.sha256(data).hexdigest(),
            created_by=actor,
            created_at=clock.now(),
            source=source,
            new_source_title=(new_source_title or "").strip()[:200] or sheet.title[:200],
            year=year or clock.today().year,
            mapping={str(c): k for c, k in sheet.mapping.items()},
            sheet=sheet_to_json(sheet),
        )
        imp.file.save(random_name(name), ContentFile(data), save=False)
        imp.save()
        audit_log(
            actor=actor,
            action="ledger.upload",
            obj=imp,
            data={"name": name, "rows": len(sheet.rows), "sheet": sheet.name},
        )
    return imp


def ledger_import_get(user: User, pk: int) -> LedgerImport:
    """An import its own uploader may open (anyone else: 404)."""
    policy.require(user, "ledger.import")
    imp = LedgerImport.objects.filter(pk=pk, created_by=user).select_related("source").first()
    if imp is None:
        raise Http404(_("导入记录不存在或您无权查看。"))
    return imp


def import_mapping(imp: LedgerImport) -> dict[int, str]:
    return {int(c): k for c, k in (imp.mapping or {}).items() if k in MAPPABLE}


def ledger_import_plan(imp: LedgerImport) -> tuple[Sheet, Plan]:
    """Build the plan from the sheet read at upload (or the kept file, read again) with the
    current mapping and resolutions."""
    if imp.sheet:
        sheet = sheet_from_json(imp.sheet)
    else:
        with imp.file.open("rb") as f:
            sheet = read_sheet(f.read())
    rows = sheet_rows(sheet, import_mapping(imp))
    plan = plan_from_rows(
        rows, actor=imp.created_by, year=imp.year, resolutions=imp.resolutions or {}
    )
    return sheet, plan


@transaction.atomic
def ledger_import_update(
    *,
    actor: User,
    imp: LedgerImport,
    mapping: Mapping[int, str] | None = None,
    resolutions: Mapping[str, int] | None = None,
    source: Source | None = None,
    new_source_title: str | None = None,
) -> LedgerImport:
    """Change the column mapping (column → field; one column per field) and the unit
    resolutions (name → unit id, 0 = do not import this name)."""
    if imp.created_by_id != actor.pk:
        raise PermissionDenied(_("只能修改自己上传的台账。"))
    if imp.status != ImportStatus.PREVIEW:
        raise ValidationError(_("该台账已导入，不能再修改。"))
    if mapping is not None:
        clean: dict[str, str] = {}
        for col, key in mapping.items():
            if not key:
                continue
            if key not in MAPPABLE:
                raise ValidationError(_("未知的字段：%(k)s") % {"k": key})
            if key in clean.values():
                raise ValidationError(_("同一个字段只能对应一列。"))
            clean[str(int(col))] = key
        if "title" not in clean.values():
            raise ValidationError(_("请指定“工作任务”（任务名称）所在的列。"))
        imp.mapping = clean
    if resolutions is not None:
        imp.resolutions = {str(k): int(v) for k, v in resolutions.items() if str(v) != ""}
    if source is not None:
        imp.source = source
    if new_source_title is not None:
        imp.new_source_title = new_source_title.strip()[:200]
    imp.save()
    return imp


@transaction.atomic
def ledger_plan_commit(
    *,
    actor: User,
    plan: Plan,
    source: Source | None,
    new_source_title: str = "",
    label: str = "",
) -> tuple[dict, Source | None]:
    """Commit a plan (the page's confirm and `luoshi import-ledger --commit`): new tasks go
    under `source`, or under a new source titled `new_source_title`; round-trip rows need
    none. Returns the counts (with "unchanged") and the source used."""
    if plan.blocking:
        raise ValidationError(plan.blocking)
    # new rows under an existing task go into that task's source; only new top-level rows
    # need one chosen (or a new one)
    if source is None and any(r.kind == NEW and r.parent is None for r in plan.rows):
        if not (new_source_title or "").strip():
            raise ValidationError(_("请选择任务来源，或填写新来源的标题。"))
        policy.require(actor, "source.create")
        source = source_create(
            actor=actor, kind=SourceKind.DOCUMENT, title=new_source_title.strip()[:200]
        )
    target = source or next((r.task.source for r in plan.rows if r.task is not None), None)
    if target is None:
        raise ValidationError(_("台账中没有任务。"))
    result = plan_commit(actor=actor, plan=plan, source=target, import_label=label)
    result["unchanged"] = plan.unchanged
    return result, source


@transaction.atomic
def ledger_import_confirm(*, actor: User, imp: LedgerImport) -> dict:
    """Write the whole ledger in one transaction (all or nothing)."""
    policy.require(actor, "ledger.import")
    imp = LedgerImport.objects.select_for_update(no_key=True).get(pk=imp.pk)
    if imp.created_by_id != actor.pk:
        raise PermissionDenied(_("只能导入自己上传的台账。"))
    if imp.status != ImportStatus.PREVIEW:
        raise ValidationError(_("该台账已导入，不能重复导入。"))
    _sheet, plan = ledger_import_plan(imp)
    if plan.blocking:
        raise ValidationError(plan.blocking)
    result, source = ledger_plan_commit(
        actor=actor,
        plan=plan,
        source=imp.source,
        new_source_title=imp.new_source_title,
        label=imp.original_name,
    )
    imp.source = source
    imp.status = ImportStatus.DONE
    imp.result = result
    imp.committed_at = clock.now()
    imp.save()
    return result
