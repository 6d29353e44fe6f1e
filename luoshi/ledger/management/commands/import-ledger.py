"""`luoshi import-ledger FILE.xlsx [--source CODE | --new-source TITLE] [--map 列=字段]
[--resolve 名称=单位] [--year N] [--user NAME] [--commit]`: preview, then import a ledger.

Without --commit nothing is written: the command prints the detected columns and what would
be created or changed, with every problem. The same reader, plan and services as the page."""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from openpyxl.utils import column_index_from_string

from luoshi.access import policy
from luoshi.ledger.management.commands._actor import command_actor
from luoshi.ledger.plan import CHANGE, NEW, plan_from_rows
from luoshi.ledger.reader import FIELDS, check_file, field_for_label, read_sheet, sheet_rows
from luoshi.ledger.services import ledger_plan_commit
from luoshi.lib import clock
from luoshi.org.matching import unit_matcher
from luoshi.tasks.models import Source


def _column(text: str, labels: list[str]) -> int:
    text = text.strip()
    if text.isdigit():
        return int(text) - 1
    if text.isascii() and text.isalpha():
        return column_index_from_string(text.upper()) - 1
    for i, label in enumerate(labels):
        if text in label.split("›") or text == label:
            return i
    raise CommandError(_("找不到列“%(c)s”：请写列字母（C）、列号（3）或表头文字。") % {"c": text})


def _field(text: str) -> str:
    text = text.strip()
    if text in ("", "-", "none"):
        return ""
    if text in FIELDS:
        return text
    key = field_for_label(text)
    if key is None:
        raise CommandError(
            _("未知的字段“%(f)s”，可用：%(all)s") % {"f": text, "all": "、".join(FIELDS)}
        )
    return key


class Command(BaseCommand):
    @property
    def help(self) -> str:
        return _("预览并导入 Excel 台账（不加 --commit 时只预览，不写入）。")

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", help=_("台账文件（.xlsx）"))
        group = parser.add_mutually_exclusive_group()
        group.add_argument("--source", metavar="CODE", help=_("加入已有任务来源（来源编号）"))
        group.add_argument("--new-source", metavar="TITLE", help=_("新登记的来源标题"))
        parser.add_argument(
            "--map",
            action="append",
            default=[],
            metavar="列=字段",
            help=_("手工指定列对应，例如 C=title 或 工作任务=title；字段留空表示不导入该列"),
        )
        parser.add_argument(
            "--resolve",
            action="append",
            default=[],
            metavar="名称=单位",
            help=_("未匹配单位名称的对应，例如 市园林局=市住建局；单位留空表示不导入该名称"),
        )
        parser.add_argument("--year", type=int, help=_("未写年份的时限按哪一年计算（默认今年）"))
        parser.add_argument("--user", help=_("以哪个账号的身份导入（默认唯一的督查室人员）"))
        parser.add_argument("--commit", action="store_true", help=_("确认导入（写入数据库）"))

    def handle(self, *args, **options) -> None:
        actor = command_actor(options.get("user"))
        if not policy.allowed(actor, "ledger.import"):
            raise CommandError(policy.denial_message("ledger.import", actor))
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(_("文件不存在：%(p)s") % {"p": path})
        try:
            with path.open("rb") as f:
                check_file(path.stat().st_size, f.read(8))
            sheet = read_sheet(path.read_bytes())
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        mapping = dict(sheet.mapping)
        for item in options["map"]:
            col, _sep, key = item.partition("=")
            index = _column(col, sheet.labels)
            field = _field(key)
            mapping = {c: k for c, k in mapping.items() if k != field and c != index}
            if field:
                mapping[index] = field
        if "title" not in mapping.values():
            raise CommandError(_("请用 --map 指定“工作任务”（任务名称）所在的列。"))
        matcher = unit_matcher()
        resolutions: dict[str, int] = {}
        for item in options["resolve"]:
            name, _sep, unit_name = item.partition("=")
            if not unit_name.strip():
                resolutions[name.strip()] = 0
                continue
            unit = matcher.match(unit_name)
            if unit is None:
                raise CommandError(_("找不到单位“%(u)s”。") % {"u": unit_name})
            resolutions[name.strip()] = unit.pk
        plan = plan_from_rows(
            sheet_rows(sheet, mapping),
            actor=actor,
            year=options.get("year") or clock.today().year,
            resolutions=resolutions,
            matcher=matcher,
        )
        self._print(sheet, mapping, plan)
        if plan.blocking:
            for message in plan.blocking:
                self.stderr.write(message)
            raise CommandError(_("台账有问题，未导入。"))
        if not options["commit"]:
            self.stdout.write(_("预览完成，未写入任何内容。确认无误后加 --commit 导入。"))
            return
        source = None
        if options.get("source"):
            source = policy.visible_sources(actor).filter(code=options["source"]).first()
            if source is None:
                raise CommandError(_("任务来源“%(c)s”不存在。") % {"c": options["source"]})
        try:
            result, source = ledger_plan_commit(
                actor=actor,
                plan=plan,
                source=source,
                new_source_title=options.get("new_source") or sheet.title,
                label=path.name,
            )
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        if result["unchanged"]:
            self.stdout.write(_("无变化：没有新建或修改任何内容。"))
        else:
            self.stdout.write(
                _(
                    "已导入：新建 %(created)d 项任务，修改 %(changed)d 项，"
                    "提交进展 %(progress)d 项。"
                )
                % result
            )
        if source is not None and isinstance(source, Source):
            self.stdout.write(
                _("任务来源：%(code)s %(title)s") % {"code": source.code, "title": source.title}
            )

    def _print(self, sheet, mapping, plan) -> None:
        self.stdout.write(
            _("工作表“%(s)s”，表头在第 %(a)d–%(b)d 行。列对应：")
            % {"s": sheet.name, "a": sheet.header_rows[0], "b": sheet.header_rows[1]}
        )
        for i, label in enumerate(sheet.labels):
            key = mapping.get(i, "")
            target = str(FIELDS[key][0]) if key else _("（不导入）")
            self.stdout.write(f"  {i + 1:>2}. {label or '—'} → {target}")
        counts = plan.counts
        self.stdout.write(
            _("新建 %(new)d 项，修改 %(change)d 项，无变化 %(same)d 项，提交进展 %(progress)d 项。")
            % counts
        )
        for r in plan.rows:
            mark = {NEW: "+", CHANGE: "~"}.get(r.kind, "=")
            numbering = ".".join(p for p in r.path if not p.startswith("#"))
            units = r.lead_unit.display_name if r.lead_unit else ""
            if r.co_units:
                units += " / " + "、".join(u.display_name for u in r.co_units)
            due = _("长期坚持") if r.ongoing else (r.due.isoformat() if r.due else "")
            self.stdout.write(f"{mark} {numbering:<10} {r.title}  [{units}]  {due}")
            for label, (old, new) in r.changes.items():
                self.stdout.write(f"      {label}: {old} → {new}")
            for note in [*r.problems, *r.warnings]:
                self.stdout.write(f"      ! {note}")
