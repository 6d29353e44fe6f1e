"""Reading a 完成时限 as offices write it in their ledgers: 2026-06-30, 2026/6/30,
2026年6月30日前, 6月底前, 2026年底, 长期坚持 / 持续推进 — through the project's one deadline
parser, luoshi.lib.deadlines."""

from __future__ import annotations

import datetime as dt
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from luoshi.lib.deadlines import DeadlineError, parse_deadline

_PLAIN = re.compile(r"^\d{4}[-/.]\d{1,2}[-/.]\d{1,2}$")
_TIME = re.compile(r"\s+\d{1,2}:\d{2}(?::\d{2})?$")


def parse_due(text: str, *, year: int) -> tuple[dt.date | None, bool, str]:
    """(due, ongoing, due_text) from a ledger's 完成时限 cell. `year` fills in a date written
    without one (6月底前). due_text keeps the words when they are not a plain date."""
    raw = re.sub(r"\s+", "", _TIME.sub("", (text or "").strip()))
    if not raw:
        return None, False, ""
    try:
        deadline = parse_deadline(raw, year=year)
    except DeadlineError:  # 2月30日, 13月, 下周
        raise ValidationError(
            _("完成时限“%(text)s”无法识别，请填写日期（如 2026-06-30、6月底前）或“长期坚持”。")
            % {"text": text.strip()}
        ) from None
    if deadline.ongoing:
        return None, True, raw
    return deadline.due, False, "" if _PLAIN.match(raw) else raw
