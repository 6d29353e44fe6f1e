"""飞书自定义机器人: POST {"msg_type": "text", "content": {"text": …}} to the webhook URL
(…/open-apis/bot/v2/hook/…). With 签名校验: `timestamp + "\n" + secret` (timestamp in
seconds) is the HMAC-SHA256 *key* over an empty message; the base64 digest goes in the body
as "timestamp" and "sign". Success is {"code": 0, …}; any other code (older answers say
"StatusCode") is a failure."""

from __future__ import annotations

import base64
import hashlib
import hmac
import time

from django.utils.translation import gettext as _

from luoshi.notifications.channels.base import (
    BaseChannel,
    ChannelError,
    Outgoing,
    post_json,
    truncate_bytes,
)

MAX_BYTES = 18000  # the request body may not exceed 20 KB


def sign(secret: str, timestamp_s: int) -> str:
    key = f"{timestamp_s}\n{secret}".encode()
    return base64.b64encode(hmac.new(key, b"", hashlib.sha256).digest()).decode("ascii")


def payload(message: Outgoing, timestamp_s: int) -> dict:
    lines = [message.subject]
    if message.body:
        lines.append(message.body)
    if message.url:
        lines.append(f"{_('查看详情')}：{message.url}")
    body: dict = {
        "msg_type": "text",
        "content": {"text": truncate_bytes("\n".join(lines), MAX_BYTES)},
    }
    if message.secret:
        body = {"timestamp": str(timestamp_s), "sign": sign(message.secret, timestamp_s), **body}
    return body


def check_answer(answer) -> None:
    if not isinstance(answer, dict):
        raise ChannelError(_("机器人拒收：%(message)s") % {"message": answer})
    code = answer.get("code", answer.get("StatusCode"))
    if code != 0:
        text = answer.get("msg", answer.get("StatusMessage", ""))
        raise ChannelError(
            _("机器人拒收：code=%(code)s %(message)s") % {"code": code, "message": text}
        )


class FeishuChannel(BaseChannel):
    code = "feishu"

    def send(self, message: Outgoing, *, timeout: float) -> None:
        answer = post_json(message.to, payload(message, int(time.time())), timeout=timeout)
        check_answer(answer)
