"""`luoshi extract FILE [--json] [--year 2026]`: the tasks a document names.

`luoshi extract --evaluate DIR`: precision and recall over documents with expected answers.
"""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from luoshi.extraction.engine import document_year, extract_tasks
from luoshi.extraction.evaluate import evaluate, format_report
from luoshi.extraction.reading import ExtractionError, read_path


def _width(text: str) -> int:
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)


def _cut(text: str, width: int) -> str:
    out = ""
    for ch in text:
        if _width(out + ch) > width - 1:
            return out + "…"
        out += ch
    return out


def _pad(text: str, width: int) -> str:
    text = _cut(text, width) if _width(text) > width else text
    return text + " " * (width - _width(text))


class Command(BaseCommand):
    @property
    def help(self) -> str:
        return _(
            "从文件（.docx、.txt、带文字层的 .pdf）中找出任务及其牵头单位、配合单位和完成时限。"
        )

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", nargs="?", help=_("要读取的文件"))
        parser.add_argument("--json", action="store_true", help=_("以 JSON 输出"))
        parser.add_argument("--year", type=int, help=_("文件所指的年份（默认从标题或日期中识别）"))
        parser.add_argument(
            "--evaluate",
            metavar="DIR",
            help=_("对目录中带 .expected.json 的文件计算准确率和召回率"),
        )

    def handle(self, *args, **options) -> None:
        if options["evaluate"]:
            try:
                report = evaluate(options["evaluate"])
            except (ExtractionError, OSError) as exc:
                raise CommandError(_message(exc)) from exc
            self.stdout.write(format_report(report))
            return
        if not options["file"]:
            raise CommandError(_("请指定要读取的文件，例如：luoshi extract 分工方案.docx"))
        try:
            blocks = read_path(options["file"])
        except ExtractionError as exc:
            raise CommandError(_message(exc)) from exc
        year = options["year"] or document_year(blocks)
        tasks = extract_tasks(blocks, year=year)
        if options["json"]:
            self.stdout.write(
                json.dumps([t.as_dict() for t in tasks], ensure_ascii=False, indent=1)
            )
            return
        self.stdout.write(
            "  ".join(
                [
                    _pad(_("编号"), 14),
                    _pad(_("任务"), 40),
                    _pad(_("牵头单位"), 24),
                    _pad(_("配合单位"), 30),
                    _("完成时限"),
                ]
            )
        )
        for task in tasks:
            if task.ongoing:
                due = _("%(words)s（长期）") % {"words": task.due_text}
            elif task.due:
                due = f"{task.due}（{task.due_text}）"
            else:
                due = task.due_text or "—"
            self.stdout.write(
                "  ".join(
                    [
                        _pad("/".join(task.path), 14),
                        _pad(task.title, 40),
                        _pad("、".join(task.lead_units), 24),
                        _pad("、".join(task.co_units), 30),
                        due,
                    ]
                )
            )
        self.stdout.write(
            _("共找到 %(count)d 项任务（年份按 %(year)d 年）。")
            % {"count": len(tasks), "year": year}
        )


def _message(exc: Exception) -> str:
    messages = getattr(exc, "messages", None)
    return "；".join(messages) if messages else str(exc)
