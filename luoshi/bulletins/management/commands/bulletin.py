"""`luoshi bulletin --from 2026-10-01 --to 2026-10-31 [-o FILE.docx] [--today D]`: generate a
督查通报 (a draft, stored like one generated on the page) and write its .docx."""

from __future__ import annotations

import shutil
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from luoshi.bulletins.services import bulletin_generate
from luoshi.lib import clock
from luoshi.org.models import User
from luoshi.tasks.management.commands.tick import parse_day


class Command(BaseCommand):
    @property
    def help(self) -> str:
        return _("按期间生成督查通报（草稿）并输出 Word 文档。")

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--from", dest="date_from", required=True, metavar="YYYY-MM-DD", help=_("通报期间自")
        )
        parser.add_argument(
            "--to", dest="date_to", required=True, metavar="YYYY-MM-DD", help=_("通报期间至")
        )
        parser.add_argument(
            "-o", "--output", metavar="FILE.docx", help=_("Word 文档写到哪里（默认当前目录）")
        )
        parser.add_argument("--title", default="", help=_("标题（默认按期间生成）"))
        parser.add_argument(
            "--today", metavar="YYYY-MM-DD", help=_("按哪一天生成（默认今天），例如 2026-11-02")
        )
        parser.add_argument(
            "--user",
            metavar="USERNAME",
            help=_("以哪个督查室账号生成（统计其可见的任务；默认以系统身份统计全部任务）"),
        )

    def handle(self, *args, **options) -> None:
        date_from = parse_day(options["date_from"])
        date_to = parse_day(options["date_to"])
        today = parse_day(options["today"]) if options.get("today") else clock.today()
        actor = None
        if options.get("user"):
            actor = User.objects.filter(username=options["user"]).first()
            if actor is None:
                raise CommandError(_("账号“%(name)s”不存在。") % {"name": options["user"]})
        with clock.pinned_today(today):
            try:
                bulletin = bulletin_generate(
                    actor=actor, date_from=date_from, date_to=date_to, title=options["title"]
                )
            except ValidationError as exc:
                raise CommandError(" ".join(exc.messages)) from exc
            except PermissionDenied as exc:
                raise CommandError(str(exc)) from exc
        output = Path(options.get("output") or bulletin.original_name)
        if output.is_dir():
            output = output / bulletin.original_name
        with bulletin.file.open("rb") as source, output.open("wb") as target:
            shutil.copyfileobj(source, target)
        stats = bulletin.statistics
        self.stdout.write(
            _(
                "已生成督查通报草稿“%(title)s”：纳入统计任务 %(tasks)d 项，"
                "逾期未办结 %(overdue)d 项，列入通报 %(listed)d 项，表扬 %(commended)d 项。"
                "文档：%(path)s"
            )
            % {
                "title": bulletin.title,
                "tasks": stats["total"],
                "overdue": len(stats["overdue"]),
                "listed": len(stats["listed"]),
                "commended": len(stats["commended"]),
                "path": output,
            }
        )
