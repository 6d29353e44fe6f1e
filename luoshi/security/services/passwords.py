"""Passwords: setting one (validated against the policy, kept in the history), changing one's
own, and whether a password must be changed (expired, or set by an administrator)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from luoshi.audit.services import audit_log
from luoshi.lib import clock
from luoshi.security.models import AccountSecurity, PasswordHistory
from luoshi.security.services.policy import security_policy


def account_security(user) -> AccountSecurity:
    state, _created = AccountSecurity.objects.get_or_create(user=user)
    return state


def password_recorded(*, user, must_change: bool) -> None:
    """Note a password just set on `user` (already saved): its hash in the history, the time,
    and whether it must be changed at the next log-in. Older history beyond what the policy
    keeps is left in place (history is append-only)."""
    now = clock.now()
    PasswordHistory.objects.create(user=user, password=user.password, created_at=now)
    state = account_security(user)
    state.password_changed_at = now
    state.must_change_password = must_change
    state.save(update_fields=["password_changed_at", "must_change_password"])


@transaction.atomic
def password_set(*, actor, user, password: str, must_change: bool, action: str) -> None:
    """Set `user`'s password after the policy's checks; audited as `action`."""
    validate_password(password, user)
    user.set_password(password)
    user.save(update_fields=["password"])
    password_recorded(user=user, must_change=must_change)
    audit_log(actor=actor, action=action, obj=user, data={"password": "changed"})


@transaction.atomic
def password_change(*, actor, old_password: str, new_password: str) -> None:
    """The user changes their own password (required when it expired or was reset)."""
    if not actor.check_password(old_password):
        raise ValidationError({"old_password": _("当前密码不正确。")})
    if old_password == new_password:
        raise ValidationError({"new_password": _("新密码不能与当前密码相同。")})
    password_set(
        actor=actor,
        user=actor,
        password=new_password,
        must_change=False,
        action="security.password.change",
    )


def password_expires_at(user) -> dt.datetime | None:
    days = security_policy().expiry_days
    if not days:
        return None
    state = AccountSecurity.objects.filter(user=user).first()
    since = (state.password_changed_at if state else None) or user.date_joined
    return since + dt.timedelta(days=days)


def password_change_reason(user) -> str:
    """Why this user must change their password before anything else ("" when not)."""
    if not getattr(settings, "LUOSHI_ENFORCE_PASSWORD_CHANGE", True):
        return ""
    state = AccountSecurity.objects.filter(user=user).first()
    if state and state.must_change_password:
        return _("您的密码是管理员设置的初始密码或重置密码，请先修改密码。")
    expires = password_expires_at(user)
    if expires is not None and clock.now() >= expires:
        return _("您的密码已过期，请修改密码后继续使用。")
    return ""
