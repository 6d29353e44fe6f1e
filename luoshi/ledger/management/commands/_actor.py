"""Who a ledger command acts as: --user USERNAME, or the only active supervisor."""

from __future__ import annotations

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from luoshi.org.models import Role, User


def command_actor(username: str | None) -> User:
    if username:
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(_("用户“%(u)s”不存在或已停用。") % {"u": username})
        return user
    supervisors = list(User.objects.filter(role=Role.SUPERVISOR, is_active=True)[:2])
    if len(supervisors) != 1:
        raise CommandError(_("请用 --user 指定以哪个账号的身份执行（例如督查室人员的用户名）。"))
    return supervisors[0]
