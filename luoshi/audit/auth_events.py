"""Log-in, log-out and failed log-in attempts go into the audit log (who, when, from where).

Django announces these through its auth signals; this is the one place Luoshi listens to them.
A failed attempt records the username tried, never the password."""

from __future__ import annotations

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from luoshi.audit.services import audit_log


@receiver(user_logged_in, dispatch_uid="luoshi.audit.login")
def _logged_in(sender, request, user, **kwargs) -> None:
    audit_log(actor=user, action="auth.login", obj=user)


@receiver(user_logged_out, dispatch_uid="luoshi.audit.logout")
def _logged_out(sender, request, user, **kwargs) -> None:
    if user is not None:
        audit_log(actor=user, action="auth.logout", obj=user)


@receiver(user_login_failed, dispatch_uid="luoshi.audit.login_failed")
def _login_failed(sender, credentials, request=None, **kwargs) -> None:
    username = str((credentials or {}).get("username", ""))[:150]
    audit_log(actor=None, action="auth.login_failed", data={"username": username})
