"""`luoshi demo`: load the demo city 示范市 with three months of history (idempotent)."""

from __future__ import annotations

import time

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from luoshi.demo.builder import demo_load, demo_present, demo_summary
from luoshi.demo.people import DEMO_PASSWORD, DEMO_TOTP_SECRET
from luoshi.org.models import Unit
from luoshi.tasks.models import Light, Task, TaskState

ACCOUNTS = (
    ("duchashi", gettext_lazy("督查室人员")),
    ("lingdao", gettext_lazy("领导（市长）")),
    ("fgw_lly", gettext_lazy("市发展改革委联络员")),
    ("fgw_fzr", gettext_lazy("市发展改革委负责人")),
    ("jtj_lly", gettext_lazy("市交通运输局联络员")),
    ("sysadmin", gettext_lazy("系统管理员")),
    ("secadmin", gettext_lazy("安全管理员")),
    ("auditor", gettext_lazy("审计管理员")),
)


class Command(BaseCommand):
    @property
    def help(self) -> str:  # translated when the parser is made, not at import
        return _(
            "装入演示数据：示范市的单位、账号、任务和近三个月的办理过程。重复运行不会重复装入。"
        )

    def handle(self, *args, **options) -> None:
        if demo_present():
            self.stdout.write(_("演示数据已存在（示范市），未做任何改动。"))
            return
        if Unit.objects.exists() or Task.objects.exists():
            raise CommandError(
                _("数据库中已有单位或任务数据，演示数据只能装入空数据库，以免与真实数据混在一起。")
            )
        started = time.monotonic()
        try:
            demo_load()
        except ValidationError as exc:
            raise CommandError(
                _("演示数据装入失败：%(e)s") % {"e": "；".join(exc.messages)}
            ) from exc
        elapsed = time.monotonic() - started
        self._report(demo_summary(), elapsed)

    def _report(self, summary: dict, elapsed: float) -> None:
        w = self.stdout.write
        w(
            _(
                "演示数据已装入，用时 %(s).1f 秒：单位 %(u)d 个，账号 %(a)d 个，"
                "任务来源 %(src)d 个，任务 %(t)d 项。"
            )
            % {
                "s": elapsed,
                "u": summary["units"],
                "a": summary["users"],
                "src": summary["sources"],
                "t": summary["tasks"],
            }
        )
        states = "，".join(
            f"{state.label} {summary['states'].get(state.value, 0)}" for state in TaskState
        )
        w(
            _("状态：%(states)s（其中逾期办结 %(late)d 项，被退回后办理中 %(ret)d 项）。")
            % {
                "states": states,
                "late": summary["closed_late"],
                "ret": summary["returned"],
            }
        )
        lights = "，".join(
            f"{light.label} {summary['lights'].get(light.value, 0)}" for light in Light
        )
        w(_("亮灯（不含起草）：%(lights)s。") % {"lights": lights})
        w(_("演示账号（密码均为 %(pw)s）：") % {"pw": DEMO_PASSWORD})
        for username, label in ACCOUNTS:
            w(f"  {username:<10} {label}")
        w(
            _(
                "系统管理员、安全管理员、审计管理员登录时还需动态口令，演示密钥为 %(secret)s"
                "（在手机验证器中添加，或见 README）。"
            )
            % {"secret": DEMO_TOTP_SECRET}
        )
