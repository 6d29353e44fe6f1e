"""The words of outgoing messages: a single notification, a group robot's post, a digest.

Rendered when the delivery is made, in the site's language (settings.LANGUAGE_CODE): the
worker sends what was written, and a message does not change language with whoever happened
to trigger it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from luoshi.notifications.conf import conf
from luoshi.notifications.models import Notification


def absolute(path: str) -> str:
    """A link users can open from a mail or a chat: only when SITE_URL is configured."""
    site = (conf("SITE_URL") or "").rstrip("/")
    if not path:
        return ""
    if path.startswith(("http://", "https://")):
        return path
    return f"{site}{path}" if site else ""


def note_path(note: Notification) -> str:
    if note.url:
        return note.url
    if note.task_id:
        return reverse("tasks:detail", args=[note.task_id])
    return ""


def _task_line(note: Notification) -> str:
    task = note.task if note.task_id else None
    if task is None:
        return ""
    return _("任务：%(code)s %(title)s") % {"code": task.code, "title": task.title}


def single(note: Notification) -> tuple[str, str, str]:
    """(subject, body, url) of one notification for e-mail and SMS."""
    subject = _("【%(kind)s】%(title)s") % {"kind": note.get_kind_display(), "title": note.title}
    parts = [p for p in (note.body.strip(), _task_line(note)) if p]
    return subject[:200], "\n\n".join(parts), absolute(note_path(note))


def robot(note: Notification, names: Sequence[str]) -> tuple[str, str, str]:
    """(subject, body, url) of one notification posted to a unit's group robot, naming the
    people it is for (one post for all of them)."""
    subject, body, url = single(note)
    sep = pgettext("list separator", "、")
    people = _("接收人：%(names)s") % {"names": sep.join(names)} if names else ""
    return subject, "\n".join(p for p in (body, people) if p), url


def digest(
    notes: Sequence[Notification], *, day: dt.date, greeting: str = ""
) -> tuple[str, str, str]:
    """(subject, body, url) of a day's digest: the count, then the list (at most
    NOTIFY_DIGEST_MAX_ITEMS lines, the rest counted)."""
    count = len(notes)
    subject = ngettext(
        "落实每日汇总（%(day)s）：您有 %(count)d 条新消息",
        "落实每日汇总（%(day)s）：您有 %(count)d 条新消息",
        count,
    ) % {"day": day.isoformat(), "count": count}
    limit = int(conf("NOTIFY_DIGEST_MAX_ITEMS"))
    lines = []
    if greeting:
        lines.append(_("%(name)s，您好：") % {"name": greeting})
    lines.append(
        ngettext(
            "您有 %(count)d 项待办或提醒：",
            "您有 %(count)d 项待办或提醒：",
            count,
        )
        % {"count": count}
    )
    for i, note in enumerate(notes[:limit], start=1):
        line = f"{i}. " + _("【%(kind)s】%(title)s") % {
            "kind": note.get_kind_display(),
            "title": note.title,
        }
        if note.task_id:
            line += pgettext("task code after a title", "（%(code)s）") % {"code": note.task.code}
        lines.append(line)
    if count > limit:
        rest = count - limit
        lines.append(
            ngettext(
                "……另有 %(count)d 条，请登录系统查看。",
                "……另有 %(count)d 条，请登录系统查看。",
                rest,
            )
            % {"count": rest}
        )
    url = absolute(reverse("notifications:inbox") + "?filter=unread")
    return subject[:200], "\n".join(lines), url
