"""API tokens: made, shown once, looked up by prefix, checked by hash, revoked.

A token reads `ls_<prefix>_<secret>`: the prefix (8 hex characters) finds the row, the
SHA-256 of the whole token is compared in constant time. The secret has 256 bits of
randomness, so a plain hash (no salt, no stretching) is enough: nothing to guess from it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from luoshi.access import policy
from luoshi.api.models import ApiToken
from luoshi.audit.services import audit_log
from luoshi.lib import clock
from luoshi.org.models import Role, User

TOKEN_PREFIX = "ls_"
# last_used_at is written at most this often, so reading the API does not write every time
LAST_USED_GRANULARITY = dt.timedelta(minutes=1)
MAX_TOKENS_PER_USER = 20


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def token_create(
    *, actor: User, name: str, expires_on: dt.date | None = None
) -> tuple[ApiToken, str]:
    """Make a token for the actor; returns the row and the token (shown once, never stored)."""
    policy.require(actor, "api.use")
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("请填写令牌名称（例如对接的系统）。")})
    if len(name) > 100:
        raise ValidationError({"name": _("令牌名称不能超过 100 个字。")})
    if expires_on is not None and expires_on <= clock.today():
        raise ValidationError({"expires_on": _("有效期须晚于今天。")})
    live = ApiToken.objects.filter(user=actor, revoked_at=None)
    if live.count() >= MAX_TOKENS_PER_USER:
        raise ValidationError(
            _("每人最多 %(n)d 个有效令牌，请先吊销不用的令牌。") % {"n": MAX_TOKENS_PER_USER}
        )
    while True:
        prefix = secrets.token_hex(4)
        if not ApiToken.objects.filter(prefix=prefix).exists():
            break
    token = f"{TOKEN_PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
    expires_at = None
    if expires_on is not None:
        # the end of that day, office time
        midnight = dt.datetime.combine(expires_on + dt.timedelta(days=1), dt.time())
        expires_at = timezone.make_aware(midnight)
    row = ApiToken.objects.create(
        user=actor,
        name=name,
        prefix=prefix,
        token_hash=_hash(token),
        created_at=clock.now(),
        expires_at=expires_at,
    )
    audit_log(
        actor=actor, action="api.token.create", obj=row, data={"name": name, "prefix": prefix}
    )
    return row, token


def tokens_for_user(user: User):
    """The tokens a user sees on the 接口令牌 page: their own; the system administrator's,
    every user's (to revoke a leaked one)."""
    qs = ApiToken.objects.select_related("user", "revoked_by")
    if user.role == Role.SYSADMIN:
        return qs
    return qs.filter(user=user)


@transaction.atomic
def token_revoke(*, actor: User, token: ApiToken) -> ApiToken:
    policy.require(actor, "api.tokens")
    if token.user_id != actor.pk and actor.role != Role.SYSADMIN:
        raise PermissionDenied(_("只能吊销自己的令牌。"))
    token = ApiToken.objects.select_for_update(no_key=True).get(pk=token.pk)
    if token.revoked_at is not None:
        raise ValidationError(_("该令牌已吊销。"))
    token.revoked_at, token.revoked_by = clock.now(), actor
    token.save(update_fields=["revoked_at", "revoked_by"])
    audit_log(
        actor=actor,
        action="api.token.revoke",
        obj=token,
        data={"prefix": token.prefix, "owner": token.user.username},
    )
    return token


def token_authenticate(raw: str) -> User | None:
    """The active user a presented token belongs to, or None (unknown, wrong, revoked,
    expired, disabled account)."""
    raw = (raw or "").strip()
    if not raw.startswith(TOKEN_PREFIX):
        return None
    prefix = raw[len(TOKEN_PREFIX) :].split("_", 1)[0]
    row = ApiToken.objects.select_related("user").filter(prefix=prefix).first()
    if row is None or not hmac.compare_digest(row.token_hash, _hash(raw)):
        return None
    now = clock.now()
    if row.revoked_at is not None or (row.expires_at is not None and row.expires_at <= now):
        return None
    if not row.user.is_active:
        return None
    if row.last_used_at is None or now - row.last_used_at >= LAST_USED_GRANULARITY:
        ApiToken.objects.filter(pk=row.pk).update(last_used_at=now)
    return row.user
