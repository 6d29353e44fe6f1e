"""The channels a Delivery can go out on. Each module holds one; `get_channel` picks it."""

from __future__ import annotations

from luoshi.notifications.channels.base import BaseChannel, ChannelError, Outgoing


def get_channel(code: str) -> BaseChannel:
    from luoshi.notifications.channels.dingtalk import DingtalkChannel
    from luoshi.notifications.channels.email import EmailChannel
    from luoshi.notifications.channels.feishu import FeishuChannel
    from luoshi.notifications.channels.sms import SmsChannel
    from luoshi.notifications.channels.wecom import WecomChannel

    channels = {
        c.code: c for c in (EmailChannel, SmsChannel, WecomChannel, DingtalkChannel, FeishuChannel)
    }
    return channels[code]()


__all__ = ["BaseChannel", "ChannelError", "Outgoing", "get_channel"]
