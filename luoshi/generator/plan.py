"""What `luoshi generate` was asked for, checked, with Chinese messages for bad input."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext as _

MAX_UNITS = 100_000
MAX_TASKS = 5_000_000
MAX_REPORTS = 50_000_000


class GenerateError(ValueError):
    """Bad options or a database the generator will not write into."""


@dataclass(frozen=True)
class Options:
    units: int
    tasks: int
    reports: int
    seed: int
    start: dt.date
    today: dt.date
    search: bool = False

    @property
    def now(self) -> dt.datetime:
        """The generation's "now" (naive UTC): 18:00 in Shanghai on `today`."""
        return dt.datetime.combine(self.today, dt.time(10, 0))


def options_check(
    *,
    units: int,
    tasks: int,
    reports: int,
    seed: int,
    start: dt.date | None,
    today: dt.date,
    search: bool = False,
) -> Options:
    if not 3 <= units <= MAX_UNITS:
        raise GenerateError(
            _("单位数应在 3 到 %(max)d 之间（省政府、办公厅和至少一个部门）。") % {"max": MAX_UNITS}
        )
    if not 1 <= tasks <= MAX_TASKS:
        raise GenerateError(_("任务数应在 1 到 %(max)d 之间。") % {"max": MAX_TASKS})
    if not 0 <= reports <= MAX_REPORTS:
        raise GenerateError(_("填报数应在 0 到 %(max)d 之间。") % {"max": MAX_REPORTS})
    if seed < 0:
        raise GenerateError(_("随机种子不能为负数。"))
    start = start or today - dt.timedelta(days=365)
    if start >= today - dt.timedelta(days=30):
        raise GenerateError(_("起始日期应早于当前日期至少 30 天。"))
    if (today - start).days > 3 * 366:
        raise GenerateError(_("起止日期相隔不能超过三年。"))
    return Options(
        units=units, tasks=tasks, reports=reports, seed=seed, start=start, today=today,
        search=search,
    )  # fmt: skip


def parse_date(text: str, what: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise GenerateError(
            _("%(what)s“%(text)s”不是有效日期，请写成 2026-06-15 的格式。")
            % {"what": what, "text": text}
        ) from None
