"""`luoshi tick [--today YYYY-MM-DD]`: run one day's scheduled work as of that date."""

from __future__ import annotations

import datetime as dt
import re

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from luoshi.lib import clock
from luoshi.tasks.models import Light
from luoshi.tasks.services.tick import TickFailed, daily_tick, step_title
from luoshi.workcal.services import WorkCalendar

DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
LIGHT_ORDER = (Light.GREEN, Light.YELLOW, Light.RED, Light.BLUE)


def parse_day(value: str) -> dt.date:
    """A real calendar date written YYYY-MM-DD, else CommandError in Chinese."""
    text = (value or "").strip()
    if DATE_RE.match(text):
        try:
            return dt.datetime.strptime(text, "%Y-%m-%d").date()  # noqa: DTZ007 (a date)
        except ValueError:
            pass
    raise CommandError(
        _("日期“%(value)s”无效：请按 YYYY-MM-DD 格式填写一个真实存在的日期，例如 2026-03-02。")
        % {"value": value}
    )


class Command(BaseCommand):
    @property
    def help(self) -> str:  # translated when the parser is made, not at import
        return _("按指定日期运行一天的例行工作（重新计算亮灯等），默认为今天。")

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--today",
            metavar="YYYY-MM-DD",
            help=_("按哪一天运行（默认今天），例如 2026-03-02"),
        )

    def handle(self, *args, **options) -> None:
        given = options.get("today")
        day = parse_day(given) if given is not None else clock.today()
        failed: TickFailed | None = None
        with clock.pinned_today(day):
            try:
                summary = daily_tick(today=day)
            except TickFailed as exc:  # the other steps ran; say which failed, then fail
                summary, failed = exc.summary, exc
        if not WorkCalendar().is_working_day(day):
            self.stdout.write(
                _("%(day)s 是休息日；亮灯与日期有关，仍已按该日重新计算。") % {"day": day}
            )
        lights = pgettext("count separator", "，").join(
            f"{light.label} {summary.get(light.value, 0)}" for light in LIGHT_ORDER
        )
        self.stdout.write(
            ngettext(
                "%(day)s 例行工作完成：共 %(tasks)d 项任务，亮灯或进度变化 %(changed)d 项；"
                "%(lights)s，无灯 %(none)d。",
                "%(day)s 例行工作完成：共 %(tasks)d 项任务，亮灯或进度变化 %(changed)d 项；"
                "%(lights)s，无灯 %(none)d。",
                summary.get("tasks", 0),
            )
            % {
                "day": day,
                "tasks": summary.get("tasks", 0),
                "changed": summary.get("changed", 0),
                "lights": lights,
                "none": summary.get("none", 0),
            }
        )
        for step, counts in _other_steps(summary).items():
            self.stdout.write(
                _("%(step)s：%(counts)s")
                % {
                    "step": step_title(step),
                    "counts": pgettext("count separator", "，").join(
                        f"{key} {value}" for key, value in counts.items()
                    )
                    or _("无"),
                }
            )
        if failed is not None:
            raise CommandError(
                _("以下步骤出错，其余步骤已完成：%(steps)s。详情见日志。")
                % {"steps": "、".join(step_title(name) for name in failed.failures)}
            )


def _other_steps(summary: dict) -> dict[str, dict[str, int]]:
    """The counts of the steps after lights, by step: {"supervision": {"urged": 3}}."""
    steps: dict[str, dict[str, int]] = {}
    for key, value in summary.items():
        if "." in key:
            step, name = key.split(".", 1)
            steps.setdefault(step, {})[name] = value
    return steps
