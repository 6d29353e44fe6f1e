"""Joining a list of names for a sentence in the user's language: 甲、乙、丙 in Chinese,
"A, B, C" in English. The separators are translated, never glued to other fragments."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import pgettext


def join_list(items: Iterable[object]) -> str:
    """Names in a run: 市发展改革委、市财政局."""
    return pgettext("list separator", "、").join(str(item) for item in items)


def join_clauses(items: Iterable[object]) -> str:
    """Whole statements one after another: 已逾期 3 个工作日；进度滞后于时间 35 个百分点."""
    return pgettext("clause separator", "；").join(str(item) for item in items)
