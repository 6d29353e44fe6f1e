"""短信: a pluggable gateway, chosen by class path in settings.LUOSHI["SMS_GATEWAY"].

A gateway has one method, `send(*, phone, text, timeout)`, that returns when the gateway
accepted the message and raises ChannelError otherwise. Two come with Luoshi:

- ConsoleGateway (the default, for development): writes the message to standard output and
  keeps it in `ConsoleGateway.outbox`; nothing leaves the machine.
- HttpJsonGateway: POSTs {"phone": …, "text": …} as JSON to LUOSHI_SMS_URL, with
  "Authorization: Bearer LUOSHI_SMS_TOKEN" when a token is set. A 2xx answer in JSON whose
  "code" (or "errcode") is 0 / "0" / "OK", or that has neither field, is success.

An operator's own gateway (a carrier's SDK, the government's SMS platform) is a class with
the same method, named in the setting."""

from __future__ import annotations

import sys
import threading
from abc import ABC, abstractmethod

from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from luoshi.notifications.channels.base import BaseChannel, ChannelError, Outgoing, post_json
from luoshi.notifications.conf import conf

MAX_CHARS = 300


class SmsGateway(ABC):
    @abstractmethod
    def send(self, *, phone: str, text: str, timeout: float) -> None:
        """Return once the gateway accepted the message; raise ChannelError otherwise."""


class ConsoleGateway(SmsGateway):
    outbox: list[tuple[str, str]] = []
    _lock = threading.Lock()

    def send(self, *, phone: str, text: str, timeout: float) -> None:
        with self._lock:
            type(self).outbox.append((phone, text))
            del type(self).outbox[:-1000]
            sys.stdout.write(f"[SMS → {phone}] {text}\n")


class HttpJsonGateway(SmsGateway):
    def send(self, *, phone: str, text: str, timeout: float) -> None:
        url = conf("SMS_URL")
        if not url:
            raise ChannelError(_("未配置短信网关地址（LUOSHI_SMS_URL）。"))
        token = conf("SMS_TOKEN")
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        answer = post_json(url, {"phone": phone, "text": text}, timeout=timeout, headers=headers)
        if isinstance(answer, dict):
            code = answer.get("code", answer.get("errcode", 0))
            if str(code).upper() not in ("0", "OK"):
                message = answer.get("message", answer.get("msg", answer.get("errmsg", "")))
                raise ChannelError(
                    _("短信网关拒收：code=%(code)s %(message)s")
                    % {"code": code, "message": message}
                )


def gateway() -> SmsGateway:
    return import_string(conf("SMS_GATEWAY"))()


def text(message: Outgoing) -> str:
    words = f"{conf('SMS_SIGNATURE')}{message.subject}"
    if message.url:
        words += " " + message.url
    return words[:MAX_CHARS]


class SmsChannel(BaseChannel):
    code = "sms"

    def send(self, message: Outgoing, *, timeout: float) -> None:
        gateway().send(phone=message.to, text=text(message), timeout=timeout)
