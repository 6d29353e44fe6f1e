"""企业微信群机器人: POST {"msgtype": "markdown", "markdown": {"content": …}} to the robot's
webhook URL (…/cgi-bin/webhook/send?key=…). No signing: the key in the URL is the secret.
Success is {"errcode": 0, "errmsg": "ok"}; any other errcode is a failure."""

from __future__ import annotations

from django.utils.translation import gettext as _

from luoshi.notifications.channels.base import (
    BaseChannel,
    ChannelError,
    Outgoing,
    post_json,
    truncate_bytes,
)

MAX_BYTES = 4096  # markdown content limit


def payload(message: Outgoing) -> dict:
    lines = [f"**{message.subject}**"]
    if message.body:
        lines.append(message.body)
    if message.url:
        lines.append(f"[{_('查看详情')}]({message.url})")
    content = truncate_bytes("\n".join(lines), MAX_BYTES)
    return {"msgtype": "markdown", "markdown": {"content": content}}


def check_answer(answer) -> None:
    if not isinstance(answer, dict) or answer.get("errcode") != 0:
        code = answer.get("errcode") if isinstance(answer, dict) else None
        text = answer.get("errmsg", "") if isinstance(answer, dict) else answer
        raise ChannelError(
            _("机器人拒收：errcode=%(code)s %(message)s") % {"code": code, "message": text}
        )


class WecomChannel(BaseChannel):
    code = "wecom"

    def send(self, message: Outgoing, *, timeout: float) -> None:
        check_answer(post_json(message.to, payload(message), timeout=timeout))
