from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from luoshi.audit.services import audit_log
from luoshi.lib import clock
from luoshi.org.models import User
from luoshi.tasks.models import Source, SourceKind

KIND_CODES = {
    SourceKind.DOCUMENT: "WJ",
    SourceKind.MEETING: "HY",
    SourceKind.INSTRUCTION: "PS",
    SourceKind.WORK_REPORT: "ZD",
    SourceKind.PROPOSAL: "JY",
    SourceKind.CLUE: "XS",
    SourceKind.FINDING: "DC",
}


def next_source_code(kind: str, year: int) -> str:
    prefix = f"{year}-{KIND_CODES.get(kind, 'QT')}"
    taken = set(Source.objects.filter(code__startswith=prefix).values_list("code", flat=True))
    if prefix not in taken:
        return prefix
    n = 2
    while f"{prefix}{n}" in taken:
        n += 1
    return f"{prefix}{n}"


@transaction.atomic
def source_create(
    *,
    actor: User | None,
    kind: str,
    title: str,
    code: str = "",
    doc_number: str = "",
    issued_on: dt.date | None = None,
    issuer: str = "",
    content: str = "",
) -> Source:
    """Register where tasks come from. The code (e.g. 2026-ZD) prefixes its tasks' codes."""
    if kind not in SourceKind.values:
        raise ValidationError({"kind": _("未知的来源类型。")})
    year = (issued_on or clock.today()).year
    source = Source(
        kind=kind,
        title=title.strip(),
        code=code.strip() or next_source_code(kind, year),
        doc_number=doc_number.strip(),
        issued_on=issued_on,
        issuer=issuer.strip(),
        content=content,
        created_by=actor,
    )
    source.full_clean()
    source.save()
    audit_log(actor=actor, action="source.create", obj=source, data={"code": source.code})
    from luoshi.search.indexing import index_source

    index_source(source)
    return source
