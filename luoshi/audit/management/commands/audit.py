"""luoshi audit verify [--file ARCHIVE] [--chunk N]
luoshi audit export --from YYYY-MM-DD --to YYYY-MM-DD --format jsonl|xlsx [--output PATH]

verify walks the whole chain (or an archive file) and prints OK with the count and the last
hash, or every break; the exit status is 1 on a break. export writes an archive of a date
range with its chain anchors (luoshi/audit/archive.py); the export itself is audited."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from luoshi.audit import archive, chain
from luoshi.audit.services import audit_log


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise CommandError(_("日期格式应为 YYYY-MM-DD：%(t)s") % {"t": text}) from None


class Command(BaseCommand):
    help = "审计日志：verify 校验哈希链，export 导出归档。"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="sub", required=True)
        verify = sub.add_parser("verify", help="校验哈希链（数据库或归档文件）")
        verify.add_argument("--file", help="校验一个导出的归档文件，而不是数据库")
        verify.add_argument("--chunk", type=int, default=chain.CHUNK)
        export = sub.add_parser("export", help="导出一个日期范围的审计记录（含链锚点）")
        export.add_argument("--from", dest="date_from", type=_date)
        export.add_argument("--to", dest="date_to", type=_date)
        export.add_argument("--format", dest="fmt", choices=["jsonl", "xlsx"], default="jsonl")
        export.add_argument("--output", help="输出文件（默认 audit-<from>-<to>.<format>）")

    def handle(self, *args, **options):
        if options["sub"] == "verify":
            return self.verify(options)
        return self.export(options)

    def verify(self, options) -> None:
        problems: list[str] = []
        if options["file"]:
            path = Path(options["file"])
            if not path.is_file():
                raise CommandError(_("找不到文件：%(p)s") % {"p": path})
            try:
                result, problems = archive.verify_archive(path)
            except archive.ArchiveError as exc:
                raise CommandError(str(exc)) from None
        else:
            if options["chunk"] < 1:
                raise CommandError(_("--chunk 必须是正整数。"))
            result = chain.verify_database(chunk=options["chunk"])
        for item in result.breaks:
            self.stderr.write(item.as_text())
        if result.truncated:
            self.stderr.write(_("（另有更多断点未列出）"))
        for problem in problems:
            self.stderr.write(problem)
        if not result.ok or problems:
            self.stderr.write(
                _("校验未通过：%(n)s 条记录中发现 %(b)s 处断点。")
                % {"n": result.count, "b": result.break_count + len(problems)}
            )
            raise SystemExit(1)
        self.stdout.write(
            _("校验通过（OK）：%(n)s 条记录，末条序号 %(s)s，末条哈希 %(h)s")
            % {"n": result.count, "s": result.last_seq, "h": result.last_hash or "—"}
        )

    def export(self, options) -> None:
        date_from, date_to = options["date_from"], options["date_to"]
        if date_from and date_to and date_from > date_to:
            raise CommandError(_("开始日期不能晚于结束日期。"))
        fmt = options["fmt"]
        default = "audit-{}-{}.{}".format(
            date_from.isoformat() if date_from else "start",
            date_to.isoformat() if date_to else "now",
            fmt,
        )
        path = Path(options["output"] or default)
        if not path.parent.is_dir():
            raise CommandError(_("输出目录不存在：%(p)s") % {"p": path.parent})
        trailer = archive.export_archive(path=path, fmt=fmt, date_from=date_from, date_to=date_to)
        audit_log(
            actor=None,
            action="audit.export",
            data={
                "via": "command",
                "format": fmt,
                "from": str(date_from or ""),
                "to": str(date_to or ""),
                "count": trailer["count"],
                "last_hash": trailer["last_hash"],
                "file": path.name,
            },
        )
        self.stdout.write(
            _("已导出 %(n)s 条记录到 %(p)s（末条哈希 %(h)s）")
            % {"n": trailer["count"], "p": path, "h": trailer["last_hash"] or "—"}
        )
