"""The second factor: TOTP (RFC 6238, 30-second steps, 6 digits, ±1 step accepted, a code
never accepted twice) and ten one-time recovery codes stored hashed."""

from __future__ import annotations

import hashlib
import hmac
import secrets

import pyotp
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from luoshi.audit.services import audit_log
from luoshi.lib import clock
from luoshi.org.models import Role
from luoshi.security.models import AccountSecurity, RecoveryCode
from luoshi.security.services.passwords import account_security
from luoshi.security.services.policy import security_policy

ISSUER = "Luoshi"
STEP = 30
RECOVERY_CODES = 10
# the three administrators (三员) always need the second factor
ALWAYS_TOTP_ROLES = {Role.SYSADMIN, Role.SECADMIN, Role.AUDITOR}


def totp_enrolled(user) -> bool:
    state = AccountSecurity.objects.filter(user=user).first()
    return bool(state and state.totp_enrolled)


def totp_required(user) -> bool:
    """Must this user give a second factor at log-in (or enrol one right after)?"""
    if not getattr(settings, "LUOSHI_ENFORCE_TOTP", True):
        return False
    return user.role in ALWAYS_TOTP_ROLES or security_policy().totp_for_all


def provisioning_uri(user, secret: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=user.username, issuer_name=ISSUER)


def totp_enrol_start(*, user) -> str:
    """A new secret, kept pending (not active) until a code from it is confirmed."""
    state = account_security(user)
    if state.totp_enrolled:
        raise ValidationError(_("您已启用动态口令；如需更换，请联系安全管理员重置。"))
    state.totp_secret = pyotp.random_base32()
    state.totp_confirmed_at = None
    state.totp_last_step = 0
    state.save(update_fields=["totp_secret", "totp_confirmed_at", "totp_last_step"])
    return state.totp_secret


def _match_step(secret: str, code: str, last_step: int) -> int | None:
    """The step whose code is `code`, within ±1 step of now and after `last_step`."""
    code = (code or "").strip().replace(" ", "")
    if len(code) != 6 or not code.isdigit():
        return None
    totp = pyotp.TOTP(secret)
    # wall time (the phone's), never a pinned business day
    now_step = int(timezone.now().timestamp()) // STEP
    for step in (now_step - 1, now_step, now_step + 1):
        if step > last_step and secrets.compare_digest(totp.at(step * STEP), code):
            return step
    return None


def _code_hash(code: str) -> str:
    """HMAC-SHA256 keyed with SECRET_KEY: 40 random bits per code cannot be searched offline
    without the key, and a log-in finds the code by its hash in one query."""
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, code.encode(), hashlib.sha256).hexdigest()


def _new_recovery_codes(user) -> list[str]:
    RecoveryCode.objects.filter(user=user, used_at__isnull=True).update(used_at=clock.now())
    codes = []
    for _i in range(RECOVERY_CODES):
        raw = secrets.token_hex(5)
        codes.append(f"{raw[:5]}-{raw[5:]}")
    RecoveryCode.objects.bulk_create(
        RecoveryCode(user=user, code_hash=_code_hash(code)) for code in codes
    )
    return codes


@transaction.atomic
def totp_enrol_confirm(*, user, code: str) -> list[str]:
    """Activate the pending secret with a code from it; returns the recovery codes (shown
    once)."""
    state = AccountSecurity.objects.select_for_update(no_key=True).get(user=user)
    if not state.totp_secret or state.totp_confirmed_at:
        raise ValidationError(_("请先在本页生成新的动态口令密钥。"))
    step = _match_step(state.totp_secret, code, 0)
    if step is None:
        raise ValidationError({"code": _("动态口令不正确，请核对手机上的 6 位数字后重试。")})
    state.totp_confirmed_at = clock.now()
    state.totp_last_step = step
    state.save(update_fields=["totp_confirmed_at", "totp_last_step"])
    codes = _new_recovery_codes(user)
    audit_log(actor=user, action="security.totp.enrol", obj=user)
    return codes


@transaction.atomic
def totp_verify(*, user, code: str) -> str:
    """Check a log-in's second factor: a current TOTP code not used before, or an unused
    recovery code (then used up). Returns "totp" or "recovery"; "" when it fails."""
    state = AccountSecurity.objects.select_for_update(no_key=True).filter(user=user).first()
    if state is None or not state.totp_enrolled:
        return ""
    step = _match_step(state.totp_secret, code, state.totp_last_step)
    if step is not None:
        state.totp_last_step = step
        state.save(update_fields=["totp_last_step"])
        return "totp"
    typed = (code or "").strip().lower()
    if len(typed) == 11 and typed[5] == "-":
        used = RecoveryCode.objects.filter(
            user=user, used_at__isnull=True, code_hash=_code_hash(typed)
        ).update(used_at=clock.now())
        if used:
            audit_log(actor=user, action="security.totp.recovery_used", obj=user)
            return "recovery"
    return ""


def recovery_codes_left(user) -> int:
    return RecoveryCode.objects.filter(user=user, used_at__isnull=True).count()


@transaction.atomic
def recovery_codes_renew(*, user) -> list[str]:
    if not totp_enrolled(user):
        raise ValidationError(_("请先启用动态口令。"))
    codes = _new_recovery_codes(user)
    audit_log(actor=user, action="security.totp.recovery_renew", obj=user)
    return codes


@transaction.atomic
def totp_reset(*, actor, user) -> None:
    """The 安全管理员 removes a user's second factor (lost phone); the user enrols again at the
    next log-in when it is required."""
    if user.pk == actor.pk:
        raise ValidationError(_("不能重置自己的动态口令，请由另一位安全管理员操作。"))
    state = account_security(user)
    state.totp_secret = ""
    state.totp_confirmed_at = None
    state.totp_last_step = 0
    state.save(update_fields=["totp_secret", "totp_confirmed_at", "totp_last_step"])
    RecoveryCode.objects.filter(user=user, used_at__isnull=True).update(used_at=clock.now())
    audit_log(actor=actor, action="security.totp.reset", obj=user)


def totp_demo_enrol(*, user, secret: str) -> None:
    """The demo only: enrol `user` with a published secret (README) so that the demo
    administrators can log in. Never used outside `luoshi demo`."""
    state = account_security(user)
    state.totp_secret = secret
    state.totp_confirmed_at = clock.now()
    state.save(update_fields=["totp_secret", "totp_confirmed_at"])
