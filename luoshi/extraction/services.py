"""从文件生成任务: upload → preview (units to resolve, tasks to leave out) → confirm.

The preview and the commit are the ledger import's own (luoshi.ledger.plan): the tasks found
become its rows, so units are matched, deadlines parsed and the tree built the same way, and
the whole document goes in in one transaction.

    ext = extraction_start(actor=user, upload=f, name="分工方案.docx")
    plan = extraction_plan(ext)
    extraction_update(actor=user, ext=ext, resolutions={...}, excluded=[2, 5], year=2026)
    result = extraction_confirm(actor=user, ext=ext)
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Iterable, Mapping
from typing import IO

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _

from luoshi.access import policy
from luoshi.audit.services import audit_log
from luoshi.extraction.engine import document_year, extract_tasks
from luoshi.extraction.models import Extraction, ExtractionStatus
from luoshi.extraction.reading import MAX_BYTES, ExtractionError, read_document
from luoshi.ledger.plan import Plan, plan_commit, plan_from_rows
from luoshi.lib import clock
from luoshi.lib.deadlines import DeadlineError, parse_deadline
from luoshi.lib.uploads import check_upload, display_name, random_name
from luoshi.org.models import User
from luoshi.tasks.models import Source, SourceKind
from luoshi.tasks.services.sources import source_create

TITLE_WORDS = ("方案", "通知", "纪要", "清单", "要点", "批示", "意见", "计划", "分工")


def _read_upload(upload: IO[bytes]) -> bytes:
    size = getattr(upload, "size", None)
    if size is not None and size > MAX_BYTES:  # refused before it is read
        raise ExtractionError(
            _("文件过大（%(size)s MB）：最大 50 MB。请拆分后分别上传。")
            % {"size": f"{size / 1024 / 1024:.1f}"},
            code="too_large",
        )
    upload.seek(0)
    return upload.read()


def _document_title(blocks) -> str:
    lines = [b.text.strip() for b in blocks[:10] if not b.is_table and b.text.strip()]
    for line in lines:
        if any(word in line for word in TITLE_WORDS) and len(line) <= 200:
            return line
    return lines[0][:200] if lines else ""


def extraction_start(
    *,
    actor: User,
    upload: IO[bytes],
    name: str = "",
    source: Source | None = None,
    new_source_title: str = "",
    year: int | None = None,
) -> Extraction:
    """Read the document and find its tasks (a Chinese ValidationError and nothing written if
    the file cannot be read or names no task), then keep both for the preview."""
    policy.require(actor, "extraction.run")
    if source is not None and not policy.visible_sources(actor).filter(pk=source.pk).exists():
        raise ValidationError({"source": _("任务来源不存在或您无权查看。")})
    name = display_name(name or getattr(upload, "name", "") or "document")
    data = _read_upload(upload)
    blocks = read_document(data, name)
    # read as a document; now the same content check as every upload (a disguised page, …)
    check_upload(
        io.BytesIO(data),
        kinds={"docx", "txt", "pdf"},
        max_bytes=MAX_BYTES,
        field_label=_("文件"),
        name=name,
    )
    year = year or document_year(blocks)
    found = extract_tasks(blocks, year=year)
    if not found:
        raise ValidationError(
            _(
                "文件中没有找到任务：系统识别带有牵头单位、责任单位或配合单位的条目"
                "（如“（市发展改革委牵头，……）”“责任单位：……”或含这些列的表格）。"
            ),
            code="no_tasks",
        )
    with transaction.atomic():
        ext = Extraction(
            original_name=name,
            size=len(data),
            sha256=hashlib.sha256(data).hexdigest(),
            created_by=actor,
            created_at=clock.now(),
            source=source,
            new_source_title=(new_source_title or "").strip()[:200]
            or _document_title(blocks)
            or name,
            year=year,
            found=[task.as_dict() for task in found],
        )
        ext.file.save(random_name(name), ContentFile(data), save=False)
        ext.save()
        audit_log(
            actor=actor,
            action="extraction.upload",
            obj=ext,
            data={"name": name, "tasks": len(found), "year": year},
        )
    return ext


def extraction_get(user: User, pk: int) -> Extraction:
    """An upload its own uploader may open (anyone else: 404)."""
    policy.require(user, "extraction.run")
    ext = Extraction.objects.filter(pk=pk, created_by=user).select_related("source").first()
    if ext is None:
        raise Http404(_("该文件不存在或您无权查看。"))
    return ext


def extraction_rows(ext: Extraction) -> list[dict]:
    """The found tasks not left out, as the plan's rows; deadlines dated with the chosen year.
    Words that are no deadline (按上级要求) stay in the content only; a day that does not exist
    (2月30日) goes to the plan, which refuses it with its message until the task is left out."""
    excluded = set(ext.excluded or [])
    rows = []
    for index, task in enumerate(ext.found):
        if index in excluded:
            continue
        row = {
            "title": task["title"],
            "content": task["content"],
            "lead_units": task["lead_units"],
            "co_units": task["co_units"],
            "path": task["path"] or [f"#{index + 1}"],
            "lead_leader": task.get("lead_leader", ""),
        }
        try:
            deadline = parse_deadline(task.get("due_text") or "", year=ext.year)
        except DeadlineError as exc:
            deadline = None
            if exc.code == "impossible_date":  # the plan refuses it with its message
                row["due_text"] = task["due_text"]
        if deadline is not None and (deadline.due or deadline.ongoing):
            row["due"] = deadline.due
            row["ongoing"] = deadline.ongoing
            row["due_text"] = deadline.text
        rows.append(row)
    return rows


def extraction_plan(ext: Extraction) -> Plan:
    """What confirming would create (reads the database, writes nothing)."""
    return plan_from_rows(
        extraction_rows(ext),
        actor=ext.created_by,
        year=ext.year,
        resolutions=ext.resolutions or {},
    )


@transaction.atomic
def extraction_update(
    *,
    actor: User,
    ext: Extraction,
    resolutions: Mapping[str, int | str] | None = None,
    excluded: Iterable[int] | None = None,
    year: int | None = None,
    new_source_title: str | None = None,
) -> Extraction:
    """Change the unit choices (name → unit id, 0 = leave the name out), the tasks left out
    (indexes into the found tasks), the year of deadlines written without one, or the title of
    the new source."""
    policy.require(actor, "extraction.run")
    ext = Extraction.objects.select_for_update(no_key=True).get(pk=ext.pk)
    if ext.created_by_id != actor.pk:
        raise PermissionDenied(_("只能修改自己上传的文件。"))
    if ext.status != ExtractionStatus.PREVIEW:
        raise ValidationError(_("该文件的任务已生成，不能再修改。"))
    if resolutions is not None:
        ext.resolutions = {str(k): int(v) for k, v in resolutions.items() if str(v) != ""}
    if excluded is not None:
        left_out = sorted({int(i) for i in excluded})
        if any(i < 0 or i >= len(ext.found) for i in left_out):
            raise ValidationError(_("要排除的任务不存在。"))
        if len(left_out) == len(ext.found):
            raise ValidationError(_("至少保留一项任务。"))
        ext.excluded = left_out
    if year is not None:
        if not 2000 <= year <= 2100:
            raise ValidationError({"year": _("时限年份应在 2000 至 2100 之间。")})
        ext.year = year
    if new_source_title is not None:
        ext.new_source_title = new_source_title.strip()[:200]
    ext.save()
    return ext


@transaction.atomic
def extraction_confirm(*, actor: User, ext: Extraction) -> dict:
    """Create the tasks of the preview in one transaction (all or nothing), as drafts under the
    chosen source or a new 文件 source."""
    policy.require(actor, "extraction.run")
    ext = Extraction.objects.select_for_update(no_key=True).get(pk=ext.pk)
    if ext.created_by_id != actor.pk:
        raise PermissionDenied(_("只能确认自己上传的文件。"))
    if ext.status != ExtractionStatus.PREVIEW:
        raise ValidationError(_("该文件的任务已生成，不能重复生成。"))
    plan = extraction_plan(ext)
    if plan.blocking:
        raise ValidationError(plan.blocking)
    source = ext.source
    if source is None:
        if not ext.new_source_title:
            raise ValidationError(_("请选择任务来源，或填写新来源的标题。"))
        source = source_create(actor=actor, kind=SourceKind.DOCUMENT, title=ext.new_source_title)
        ext.source = source
    result = plan_commit(actor=actor, plan=plan, source=source, import_label=ext.original_name)
    ext.status = ExtractionStatus.DONE
    ext.result = result
    ext.committed_at = clock.now()
    ext.save()
    audit_log(
        actor=actor,
        action="extraction.confirm",
        obj=ext,
        data={"name": ext.original_name, "source": source.pk, **result},
    )
    return result
