"""`luoshi export-ledger [--source CODE] [--unit NAME] [--light red] [--state S] [--q WORDS]
[--user NAME] -o FILE.xlsx`: the ledger as the page's 导出台账 gives it, with the same filters
and what the user may see."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from luoshi.access import policy
from luoshi.ledger.export import ledger_workbook
from luoshi.ledger.management.commands._actor import command_actor
from luoshi.lib import clock
from luoshi.org.matching import unit_matcher
from luoshi.tasks import queries
from luoshi.tasks.views.ledger_form import LedgerFilterForm


class Command(BaseCommand):
    @property
    def help(self) -> str:
        return _("按台账页面的筛选条件导出 Excel 台账。")

    def add_arguments(self, parser) -> None:
        parser.add_argument("-o", "--output", required=True, help=_("输出文件（.xlsx）"))
        parser.add_argument("--source", metavar="CODE", help=_("任务来源编号"))
        parser.add_argument("--unit", help=_("单位名称（牵头或配合）"))
        parser.add_argument("--light", help=_("亮灯：red、yellow、green、blue、none"))
        parser.add_argument("--state", help=_("状态，例如 open（在办）、draft、in_progress"))
        parser.add_argument("--q", help=_("关键词"))
        parser.add_argument("--user", help=_("以哪个账号的视角导出（默认唯一的督查室人员）"))

    def handle(self, *args, **options) -> None:
        actor = command_actor(options.get("user"))
        if not policy.allowed(actor, "ledger.export"):
            raise CommandError(policy.denial_message("ledger.export", actor))
        data: dict[str, str] = {}
        if options.get("source"):
            source = policy.visible_sources(actor).filter(code=options["source"]).first()
            if source is None:
                raise CommandError(_("任务来源“%(c)s”不存在。") % {"c": options["source"]})
            data["source"] = str(source.pk)
        if options.get("unit"):
            unit = unit_matcher().match(options["unit"])
            if unit is None:
                raise CommandError(_("找不到单位“%(u)s”。") % {"u": options["unit"]})
            data["unit"] = str(unit.pk)
        for key in ("light", "state", "q"):
            if options.get(key):
                data[key] = options[key]
        form = LedgerFilterForm(data, user=actor, choices=queries.ledger_choices(actor))
        ledger_filter = form.to_filter()
        tasks = list(queries.ledger_tasks(actor, ledger_filter, today=clock.today()))
        title = ledger_filter.source.title if ledger_filter.source else _("任务台账")
        out = Path(options["output"])
        out.write_bytes(ledger_workbook(user=actor, tasks=tasks, title=title))
        self.stdout.write(_("已导出 %(n)d 项任务到 %(p)s") % {"n": len(tasks), "p": out})
