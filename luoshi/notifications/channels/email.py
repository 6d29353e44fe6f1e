"""E-mail through Django's mail backend (SMTP settings from the environment: EMAIL_HOST,
EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD, EMAIL_USE_TLS, DEFAULT_FROM_EMAIL), with
a timeout so a mail server that hangs cannot hold the worker."""

from __future__ import annotations

import smtplib

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.utils.translation import gettext as _

from luoshi.notifications.channels.base import BaseChannel, ChannelError, Outgoing


def text(message: Outgoing) -> str:
    parts = [message.body] if message.body else []
    if message.url:
        parts.append(_("查看详情：%(url)s") % {"url": message.url})
    parts.append(_("—— 落实督查督办系统自动发送，请勿直接回复。"))
    return "\n\n".join(parts)


class EmailChannel(BaseChannel):
    code = "email"

    def send(self, message: Outgoing, *, timeout: float) -> None:
        timeout = getattr(settings, "EMAIL_TIMEOUT", None) or timeout
        try:
            connection = get_connection(fail_silently=False, timeout=timeout)
            EmailMessage(
                subject=message.subject,
                body=text(message),
                from_email=settings.DEFAULT_FROM_EMAIL,
                to=[message.to],
                connection=connection,
            ).send()
        except smtplib.SMTPRecipientsRefused as exc:
            raise ChannelError(_("邮件服务器拒收该地址：%(to)s") % {"to": message.to}) from exc
        except smtplib.SMTPServerDisconnected as exc:
            raise ChannelError(
                _("邮件服务器断开了连接：%(reason)s") % {"reason": exc}, unreachable=True
            ) from exc
        except smtplib.SMTPResponseException as exc:
            reason = exc.smtp_error.decode("utf-8", "replace") if exc.smtp_error else ""
            raise ChannelError(
                _("邮件服务器拒绝：%(code)s %(reason)s")
                % {"code": exc.smtp_code, "reason": reason},
                unreachable=exc.smtp_code == 421,
            ) from exc
        except smtplib.SMTPException as exc:
            raise ChannelError(_("发送邮件失败：%(reason)s") % {"reason": exc}) from exc
        except TimeoutError as exc:
            raise ChannelError(
                _("连接邮件服务器超时（%(seconds)s 秒）。") % {"seconds": timeout},
                unreachable=True,
            ) from exc
        except OSError as exc:
            raise ChannelError(
                _("无法连接邮件服务器：%(reason)s") % {"reason": exc}, unreachable=True
            ) from exc
