"""The notification settings, read from settings.LUOSHI with these defaults."""

from __future__ import annotations

from typing import Any

from django.conf import settings

DEFAULTS: dict[str, Any] = {
    # The address users open Luoshi at, for links in e-mails and robot messages ("" = none).
    "SITE_URL": "",
    # A user without saved preferences: e-mail on (when the account has an address), SMS
    # off, and one digest a day rather than a message per notification.
    "NOTIFY_DEFAULT_EMAIL": True,
    "NOTIFY_DEFAULT_SMS": False,
    "NOTIFY_DEFAULT_MODE": "digest",
    # Network timeout of one send (seconds): a robot or SMS gateway that does not answer in
    # time counts as failed. E-mail uses settings.EMAIL_TIMEOUT.
    "NOTIFY_TIMEOUT": 10.0,
    # Retry after 1, 5, 25, 125 … minutes (× NOTIFY_BACKOFF_FACTOR), at most the cap; after
    # NOTIFY_MAX_ATTEMPTS attempts a delivery is given up (dead).
    "NOTIFY_BACKOFF_FIRST_MINUTES": 1,
    "NOTIFY_BACKOFF_FACTOR": 5,
    "NOTIFY_BACKOFF_CAP_MINUTES": 12 * 60,
    "NOTIFY_MAX_ATTEMPTS": 8,
    # A delivery claimed ("sending") longer ago than this was left by a worker that died: it
    # may be claimed again.
    "NOTIFY_STALE_MINUTES": 10,
    # How many channels (an SMTP server, each robot) are sent to at once.
    "NOTIFY_SEND_THREADS": 4,
    # A digest lists at most this many notifications; the rest are counted.
    "NOTIFY_DIGEST_MAX_ITEMS": 50,
    # SMS gateway: a class path (channels.sms.ConsoleGateway logs; HttpJsonGateway posts).
    "SMS_GATEWAY": "luoshi.notifications.channels.sms.ConsoleGateway",
    "SMS_URL": "",
    "SMS_TOKEN": "",
    "SMS_SIGNATURE": "【落实】",
}


def conf(name: str) -> Any:
    values = getattr(settings, "LUOSHI", {}) or {}
    if name in values:
        return values[name]
    return DEFAULTS[name]
