"""`luoshi generate`: a synthetic province for benchmarks and load tests (see docs/GENERATOR.md)."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from luoshi.generator.build import PASSWORD, province_generate
from luoshi.generator.plan import GenerateError, options_check, parse_date
from luoshi.lib import clock


class Command(BaseCommand):
    @property
    def help(self) -> str:
        return _(
            "生成一个模拟省份的数据（单位树、账号、任务来源、任务树、填报历史、督办等），"
            "用于性能测试。同一随机种子生成相同的数据。只写入空数据库，除非加 --force。"
        )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--units", default="2000", help=_("单位数（默认 2000）"))
        parser.add_argument("--tasks", default="200000", help=_("任务数（默认 200000）"))
        parser.add_argument("--reports", default="2000000", help=_("填报数，约数（默认 2000000）"))
        parser.add_argument("--seed", default="1", help=_("随机种子（默认 1）"))
        parser.add_argument("--start", help=_("数据起始日期（默认当前日期前一年）"))
        parser.add_argument("--today", help=_("视为当前的日期（默认今天）"))
        parser.add_argument(
            "--search", action="store_true", help=_("同时为任务和来源建立搜索索引（较慢）")
        )
        parser.add_argument("--force", action="store_true", help=_("数据库非空时仍然写入"))
        parser.add_argument("--json", action="store_true", help=_("以 JSON 输出统计"))

    def handle(self, *args, **options) -> None:
        try:
            numbers = {}
            for name, label in (
                ("units", _("单位数")),
                ("tasks", _("任务数")),
                ("reports", _("填报数")),
                ("seed", _("随机种子")),
            ):
                numbers[name] = _integer(options[name], label)
            today = parse_date(options["today"], _("当前日期")) if options["today"] else None
            start = parse_date(options["start"], _("起始日期")) if options["start"] else None
            opts = options_check(
                **numbers,
                start=start,
                today=today or clock.today(),
                search=options["search"],
            )
            result = province_generate(opts, force=options["force"], say=self.stdout.write)
        except GenerateError as exc:
            raise CommandError(str(exc)) from exc
        if options["json"]:
            self.stdout.write(json.dumps(result, ensure_ascii=False))
            return
        c, tm = result["counts"], result["timings"]
        self.stdout.write(
            _(
                "已生成：单位 %(u)d 个，账号 %(a)d 个，任务来源 %(s)d 个，任务 %(t)d 项，"
                "填报 %(r)d 条，督办单 %(n)d 份，用时 %(sec).1f 秒。"
            )
            % {
                "u": c.get("unit", 0),
                "a": c.get("user", 0),
                "s": c.get("source", 0),
                "t": c.get("task", 0),
                "r": c.get("progressreport", 0),
                "n": c.get("supervisionnotice", 0),
                "sec": tm["total_s"],
            }
        )
        self.stdout.write(_("亮灯：%(l)s") % {"l": result["lights"]})
        self.stdout.write(_("各阶段用时（秒）：%(t)s") % {"t": tm})
        self.stdout.write(_("所有生成账号的密码均为 %(p)s。") % {"p": PASSWORD})


def _integer(text: str, label: str) -> int:
    try:
        return int(str(text).replace(",", "").replace("_", ""))
    except ValueError:
        raise GenerateError(
            _("%(label)s“%(text)s”不是整数。") % {"label": label, "text": text}
        ) from None
