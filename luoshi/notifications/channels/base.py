"""What every channel shares: the message handed to it, the error it raises, and a JSON POST
with a strict timeout (the standard library's urllib; no extra dependency).

A channel's `send` either returns (the other side accepted the message) or raises
ChannelError with a Chinese reason that the administrator reads on the deliveries page.
`unreachable=True` says the other side could not be reached at all (refused, timed out,
5xx): the sender then puts off the rest of this run's messages to the same place instead of
waiting on each of them in turn."""

from __future__ import annotations

import json
import socket
import urllib.error
import urllib.parse
import urllib.request
from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _


class ChannelError(Exception):
    def __init__(self, message: str, *, unreachable: bool = False):
        super().__init__(message)
        self.unreachable = unreachable


@dataclass(frozen=True)
class Outgoing:
    """One message as a channel sees it: plain data, no database access needed to send."""

    delivery_id: int
    channel: str
    to: str  # e-mail address, phone number, or the robot's webhook URL
    subject: str
    body: str
    url: str = ""  # link to open in Luoshi (absolute when SITE_URL is set)
    secret: str = ""  # a robot's signing secret

    @property
    def group(self) -> str:
        """Messages to the same place: one failure to reach it puts off the others."""
        return self.channel if self.channel in ("email", "sms") else f"{self.channel}:{self.to}"


class BaseChannel(ABC):
    code = ""

    @abstractmethod
    def send(self, message: Outgoing, *, timeout: float) -> None:
        """Return once the other side accepted `message`; raise ChannelError otherwise."""


def post_json(
    url: str, payload: dict[str, Any], *, timeout: float, headers: dict[str, str] | None = None
) -> Any:
    """POST `payload` as JSON and return the decoded JSON answer.

    Raises ChannelError: unreachable (refused, DNS, timeout, HTTP 5xx) or refused (HTTP 4xx,
    an answer that is not JSON)."""
    scheme = urllib.parse.urlsplit(url).scheme.lower()
    if scheme not in ("http", "https"):
        raise ChannelError(_("地址必须以 http:// 或 https:// 开头。"))
    data = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    request = urllib.request.Request(
        url,
        data=data,
        method="POST",
        headers={"Content-Type": "application/json; charset=utf-8", **(headers or {})},
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            raw = response.read(1024 * 1024)
    except urllib.error.HTTPError as exc:
        raise ChannelError(
            _("对方返回 HTTP %(status)s。") % {"status": exc.code}, unreachable=exc.code >= 500
        ) from exc
    except TimeoutError as exc:
        raise ChannelError(
            _("连接超时（%(seconds)s 秒内没有应答）。") % {"seconds": timeout}, unreachable=True
        ) from exc
    except urllib.error.URLError as exc:
        reason = exc.reason
        if isinstance(reason, TimeoutError | socket.timeout):
            raise ChannelError(
                _("连接超时（%(seconds)s 秒内没有应答）。") % {"seconds": timeout},
                unreachable=True,
            ) from exc
        raise ChannelError(
            _("无法连接：%(reason)s") % {"reason": reason}, unreachable=True
        ) from exc
    except OSError as exc:  # connection reset mid-answer and the like
        raise ChannelError(_("无法连接：%(reason)s") % {"reason": exc}, unreachable=True) from exc
    try:
        return json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise ChannelError(_("对方的应答不是 JSON：%(text)s") % {"text": repr(raw[:200])}) from exc


def truncate_bytes(text: str, limit: int) -> str:
    """`text` cut to at most `limit` UTF-8 bytes (robots refuse longer messages)."""
    encoded = text.encode("utf-8")
    if len(encoded) <= limit:
        return text
    return encoded[: limit - 3].decode("utf-8", errors="ignore") + "…"
