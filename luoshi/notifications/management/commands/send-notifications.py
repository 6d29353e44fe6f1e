"""`luoshi send-notifications`: send the due e-mails, SMS and robot messages now (the worker
does this every minute; this is for a manual run). Safe beside a running worker: deliveries
are claimed, so none is sent twice."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from luoshi.notifications.sending import deliveries_send_due


class Command(BaseCommand):
    @property
    def help(self) -> str:
        return _("立即发送到期的邮件、短信和群机器人消息（后台每分钟自动发送）。")

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--limit",
            type=int,
            default=200,
            help=_("本次最多发送多少条（默认 200）"),
        )

    def handle(self, *args, **options) -> None:
        limit = options["limit"]
        if limit < 1:
            raise CommandError(_("--limit 必须是正整数。"))
        result = deliveries_send_due(limit=limit)
        self.stdout.write(
            _(
                "发送完成：取出 %(claimed)d 条，成功 %(sent)d 条，失败待重试 %(failed)d 条，"
                "顺延 %(deferred)d 条，放弃 %(dead)d 条。"
            )
            % result
        )
