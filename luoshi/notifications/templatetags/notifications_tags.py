"""{% unread_badge %}: the unread count in the top bar (one COUNT on an index), refreshed by
htmx every minute and after marking read."""

from __future__ import annotations

from django import template

from luoshi.notifications.services import unread_count

register = template.Library()


@register.inclusion_tag("notifications/_badge.html", takes_context=True)
def unread_badge(context):
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"hidden": True}
    return {"unread": unread_count(user), "request": request}
