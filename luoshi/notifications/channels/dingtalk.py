"""钉钉自定义机器人: POST {"msgtype": "markdown", "markdown": {"title": …, "text": …}} to the
webhook URL (…/robot/send?access_token=…). With 加签 (a secret starting SEC…): the string
`timestamp + "\n" + secret` (timestamp in milliseconds) is signed with HMAC-SHA256 keyed by
the secret, base64-encoded, URL-encoded and appended as &timestamp=…&sign=….
Success is {"errcode": 0, "errmsg": "ok"}; any other errcode is a failure."""

from __future__ import annotations

import base64
import hashlib
import hmac
import time
import urllib.parse

from django.utils.translation import gettext as _

from luoshi.notifications.channels.base import (
    BaseChannel,
    Outgoing,
    post_json,
    truncate_bytes,
)
from luoshi.notifications.channels.wecom import check_answer

MAX_BYTES = 18000  # the robot refuses messages over 20000 bytes


def sign(secret: str, timestamp_ms: int) -> str:
    """The base64 signature (not yet URL-encoded)."""
    to_sign = f"{timestamp_ms}\n{secret}".encode()
    digest = hmac.new(secret.encode("utf-8"), to_sign, hashlib.sha256).digest()
    return base64.b64encode(digest).decode("ascii")


def signed_url(url: str, secret: str, timestamp_ms: int) -> str:
    if not secret:
        return url
    sep = "&" if urllib.parse.urlsplit(url).query else "?"
    quoted = urllib.parse.quote_plus(sign(secret, timestamp_ms))
    return f"{url}{sep}timestamp={timestamp_ms}&sign={quoted}"


def payload(message: Outgoing) -> dict:
    parts = [f"#### {message.subject}"]
    if message.body:
        # Markdown needs a blank line (or two spaces) to break a line.
        parts.append(message.body.replace("\n", "  \n"))
    if message.url:
        parts.append(f"[{_('查看详情')}]({message.url})")
    text = truncate_bytes("\n\n".join(parts), MAX_BYTES)
    return {"msgtype": "markdown", "markdown": {"title": message.subject[:60], "text": text}}


class DingtalkChannel(BaseChannel):
    code = "dingtalk"

    def send(self, message: Outgoing, *, timeout: float) -> None:
        url = signed_url(message.to, message.secret, round(time.time() * 1000))
        check_answer(post_json(url, payload(message), timeout=timeout))
