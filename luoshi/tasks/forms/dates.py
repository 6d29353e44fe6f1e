"""Reading a 完成时限 as offices write it in their ledgers: 2026-06-30, 2026/6/30,
2026年6月30日前, 6月底前, 2026年底, 长期坚持 / 持续推进."""

from __future__ import annotations

import calendar
import datetime as dt
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

ONGOING_WORDS = ("长期坚持", "持续推进", "长期", "持续", "常态化推进")

_FULL = re.compile(r"^(?:(\d{4})[-/.年])?(\d{1,2})[-/.月](\d{1,2})日?(?:前|之前|以前)?$")
_MONTH = re.compile(r"^(?:(\d{4})年)?(\d{1,2})月(?:底|末|份|中旬|下旬)?(?:前|之前|以前)?$")
_YEAR_END = re.compile(r"^(?:(\d{4})年)?(?:年底|底|年末|末)(?:前|之前|以前)?$")
_HALF = re.compile(r"^(?:(\d{4})年)?(上|下)半年(?:前|之前|以前)?$")
_QUARTER = re.compile(r"^(?:(\d{4})年)?(?:第)?([一二三四1-4])季度(?:末|底)?(?:前|之前|以前)?$")
_QUARTERS = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _parse(text: str, year: int) -> dt.date | None:
    if m := _FULL.match(text):
        return dt.date(int(m[1] or year), int(m[2]), int(m[3]))
    if m := _MONTH.match(text):
        return _month_end(int(m[1] or year), int(m[2]))
    if m := _YEAR_END.match(text):
        return dt.date(int(m[1] or year), 12, 31)
    if m := _HALF.match(text):
        return _month_end(int(m[1] or year), 6 if m[2] == "上" else 12)
    if m := _QUARTER.match(text):
        return _month_end(int(m[1] or year), _QUARTERS[m[2]] * 3)
    return None


_PLAIN = re.compile(r"^\d{4}[-/.]\d{1,2}[-/.]\d{1,2}$")
_TIME = re.compile(r"\s+\d{1,2}:\d{2}(?::\d{2})?$")


def parse_due(text: str, *, year: int) -> tuple[dt.date | None, bool, str]:
    """(due, ongoing, due_text) from a ledger's 完成时限 cell. `year` fills in a date written
    without one (6月底前). due_text keeps the words when they are not a plain date."""
    raw = re.sub(r"\s+", "", _TIME.sub("", (text or "").strip()))
    if not raw:
        return None, False, ""
    if any(raw.startswith(word) for word in ONGOING_WORDS):
        return None, True, raw
    try:
        due = _parse(raw, year)
    except ValueError:  # 2月30日, 13月
        due = None
    if due is None:
        raise ValidationError(
            _("完成时限“%(text)s”无法识别，请填写日期（如 2026-06-30、6月底前）或“长期坚持”。")
            % {"text": text.strip()}
        )
    return due, False, "" if _PLAIN.match(raw) else raw
