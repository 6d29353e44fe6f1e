"""The one deadline parser (完成时限): the words offices write become a date or "ongoing".

Used by the ledger import and by extraction from documents — never write a second one.

    parse_deadline("6月底前完成", year=2026)   -> Deadline(date(2026, 6, 30), False, "6月底前完成")
    parse_deadline("三季度末前", year=2026)     -> Deadline(date(2026, 9, 30), False, …)
    parse_deadline("长期坚持", year=2026)       -> Deadline(None, True, "长期坚持")
    parse_deadline("2026年2月30日", year=2026)  -> DeadlineError (no such day)
    parse_deadline("尽快", year=2026)           -> DeadlineError (not a deadline)

Forms: a day (2026年12月31日, 12月31日, 2026-12-31, 2026.12.31, 2026/12/31);
a month and its 上旬/中旬/下旬/底/末/初 (6月底前, 2026年6月, 十二月底);
a quarter (三季度, 第三季度末, 2026年一季度); a half (上半年, 下半年);
a year (年底前, 年内, 全年, 2027年底, 明年底); "X月前", before the month begins (6月前 → 5月31日);
ongoing (长期坚持, 持续推进, 常态化推进, 长期, 持续, 常态化 …) when no date is named.
A text naming several dates ("6月底前完成试点，年底前全面推开") gets the latest: it is the
task's deadline; the words are kept whole. The year comes from `year` unless written.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from typing import NamedTuple

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

__all__ = ["Deadline", "DeadlineError", "deadline_in_sentence", "parse_deadline"]


class Deadline(NamedTuple):
    due: dt.date | None
    ongoing: bool
    text: str


class DeadlineError(ValidationError):
    """The words are not a deadline, or name a day that does not exist (message in Chinese)."""


_CN_DIGITS = {
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_FULL_WIDTH = str.maketrans("０１２３４５６７８９．／－", "0123456789./-")

_NUM = r"(?:\d{1,2}|十[一二]?|[一二三四五六七八九])"
_YEAR = r"(?:(?P<{0}>\d{{4}})\s*年|(?P<{0}r>今|本|当|明|次)年)"

_PATTERN = re.compile(
    "|".join(
        [
            # 2026年12月31日, 12月31日
            rf"(?:{_YEAR.format('dy')})?\s*(?P<dm>{_NUM})\s*月\s*(?P<dd>\d{{1,2}}|[一二三]?十[一二三四五六七八九]?|[一二三四五六七八九])\s*[日号]",
            # 2026-12-31, 2026.12.31, 2026/12/31
            r"(?P<iy>\d{4})\s*[-./]\s*(?P<im>\d{1,2})\s*[-./]\s*(?P<id>\d{1,2})(?!\d)",
            # 6月底, 2026年6月, 十二月下旬, 6月份
            rf"(?:{_YEAR.format('my')})?\s*(?P<mm>{_NUM})\s*月份?\s*(?P<mpart>上旬|中旬|下旬|底|末|中|初|前)?",
            # 三季度, 第三季度末, 2026年一季度
            rf"(?:{_YEAR.format('qy')})?\s*第?(?P<q>[一二三四1-4])\s*季度(?:末|底)?",
            # 上半年, 2026年下半年
            rf"(?:{_YEAR.format('hy')})?\s*(?P<h>上|下)半年",
            # 2027年底, 2027年, 年底, 年内, 全年, 明年底
            rf"{_YEAR.format('yy')}\s*(?:底|末|内|年底)?",
            r"(?P<yend>年底|年末|年内|全年)",
        ]
    )
)

_ONGOING = re.compile(r"长期|持续|常态化|久久为功|每年|逐年")
_WHITESPACE = re.compile(r"\s+")


def _number(word: str) -> int:
    if word.isdigit():
        return int(word)
    if word.startswith("十"):  # 十, 十一, 十二
        return 10 + (_CN_DIGITS[word[1]] if len(word) > 1 else 0)
    if "十" in word:  # 二十, 二十五, 三十一
        tens, _sep, ones = word.partition("十")
        return _CN_DIGITS[tens] * 10 + (_CN_DIGITS[ones] if ones else 0)
    return _CN_DIGITS[word]


def _year(match: re.Match, key: str, default: int) -> int:
    written = match.group(key)
    if written:
        return int(written)
    relative = match.group(key + "r")
    if relative in ("明", "次"):
        return default + 1
    return default


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _no_such_day(text: str) -> DeadlineError:
    return DeadlineError(
        _("完成时限“%(text)s”不是一个存在的日期，请检查年、月、日。") % {"text": text},
        code="impossible_date",
    )


def _date_of(match: re.Match, text: str, default_year: int) -> dt.date:
    if match.group("dm") is not None:
        year, month, day = (
            _year(match, "dy", default_year),
            _number(match["dm"]),
            _number(match["dd"]),
        )
    elif match.group("im") is not None:
        year, month, day = int(match["iy"]), int(match["im"]), int(match["id"])
    elif match.group("mm") is not None:
        year, month = _year(match, "my", default_year), _number(match["mm"])
        if not 1 <= month <= 12:
            raise _no_such_day(text)
        part = match.group("mpart") or "底"
        if part == "前":  # 6月前: before June begins
            return dt.date(year, month, 1) - dt.timedelta(days=1)
        if part in ("上旬", "初"):
            return dt.date(year, month, 10)
        if part == "中":
            return dt.date(year, month, 15)
        if part == "中旬":
            return dt.date(year, month, 20)
        return _month_end(year, month)
    elif match.group("q") is not None:
        year, quarter = _year(match, "qy", default_year), _number(match["q"])
        return _month_end(year, quarter * 3)
    elif match.group("h") is not None:
        year = _year(match, "hy", default_year)
        return dt.date(year, 6, 30) if match["h"] == "上" else dt.date(year, 12, 31)
    elif match.group("yend") is not None:
        return dt.date(default_year, 12, 31)
    else:  # a year
        return dt.date(_year(match, "yy", default_year), 12, 31)
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise _no_such_day(text) from None


def _checked_date(match: re.Match, text: str, default_year: int) -> dt.date:
    """_date_of, with the years datetime cannot hold (0000年底, 0001年1月前) refused too."""
    try:
        return _date_of(match, text, default_year)
    except (ValueError, OverflowError):
        raise _no_such_day(text) from None


def parse_deadline(text: str | None, *, year: int) -> Deadline:
    """The deadline the words name; `year` is the one meant when none is written.

    Empty words are no deadline (Deadline(None, False, "")). Words that name no date and are
    not an ongoing form, or name a day that does not exist, raise DeadlineError.
    """
    original = _WHITESPACE.sub(" ", (text or "").strip())
    if not original:
        return Deadline(None, False, "")
    normal = original.translate(_FULL_WIDTH)
    dates = [_checked_date(m, original, year) for m in _PATTERN.finditer(normal)]
    if dates:
        return Deadline(max(dates), False, original)
    if _ONGOING.search(normal):
        return Deadline(None, True, original)
    raise DeadlineError(
        _(
            "无法识别完成时限“%(text)s”：请写成日期（如 2026年6月30日、6月底前、三季度末、"
            "年底前）或 长期坚持、持续推进。"
        )
        % {"text": original},
        code="unknown_deadline",
    )


_BY = re.compile(r"\s*(?:前|以前|之前)(?:完成)?")


def deadline_in_sentence(text: str) -> str | None:
    """The words of a deadline inside a sentence — a date in any form above followed by
    前/以前/之前 (and 完成 if it follows): "于5月底前拿出方案" → "5月底前". None when there is
    none ("2026年3月12日，市长主持召开…" names a date, not a deadline)."""
    original = text or ""
    normal = original.translate(_FULL_WIDTH)  # one character for one: positions hold
    for match in _PATTERN.finditer(normal):
        by = _BY.match(normal, match.end())
        if by:
            return original[match.start() : by.end()].strip()
    return None
