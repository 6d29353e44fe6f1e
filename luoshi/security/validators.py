"""Password validators that read the security policy (settings.AUTH_PASSWORD_VALIDATORS).

Every place a password is set calls Django's validate_password: the system administrator's
account creation and reset (org.services) and the user's own change (security.services)."""

from __future__ import annotations

from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from luoshi.security.services.policy import security_policy

SYMBOLS = set("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~ ")


def char_classes(password: str) -> int:
    """How many of upper case, lower case, digits and symbols the password uses."""
    return sum(
        (
            any(c.isupper() for c in password),
            any(c.islower() for c in password),
            any(c.isdigit() for c in password),
            any(c in SYMBOLS or not c.isalnum() for c in password),
        )
    )


class PolicyLengthValidator:
    def validate(self, password, user=None):
        minimum = security_policy().min_length
        if len(password) < minimum:
            raise ValidationError(
                _("密码太短，至少需要 %(n)d 个字符。") % {"n": minimum}, code="password_too_short"
            )

    def get_help_text(self):
        return _("密码至少 %(n)d 个字符。") % {"n": security_policy().min_length}


class PolicyComplexityValidator:
    def validate(self, password, user=None):
        needed = security_policy().char_classes
        if char_classes(password) < needed:
            raise ValidationError(
                _("密码须至少包含大写字母、小写字母、数字、符号中的 %(n)d 类。") % {"n": needed},
                code="password_too_simple",
            )

    def get_help_text(self):
        needed = security_policy().char_classes
        return _("至少包含大写字母、小写字母、数字、符号中的 %(n)d 类。") % {"n": needed}


class NotContainingUsernameValidator:
    def validate(self, password, user=None):
        username = (getattr(user, "username", "") or "").strip().lower()
        if len(username) >= 3 and username in password.lower():
            raise ValidationError(_("密码不能包含登录名。"), code="password_contains_username")

    def get_help_text(self):
        return _("密码不能包含登录名。")


class PasswordHistoryValidator:
    """Not the current password nor one of the last N (policy.history_count)."""

    def validate(self, password, user=None):
        if user is None or not getattr(user, "pk", None):
            return
        count = security_policy().history_count
        earlier = [user.password] if user.password else []
        earlier += list(
            user.password_history.order_by("-created_at", "-id").values_list("password", flat=True)[
                :count
            ]
        )
        if any(check_password(password, hashed) for hashed in earlier[: count + 1]):
            raise ValidationError(
                _("不能使用最近 %(n)d 次用过的密码。") % {"n": count}, code="password_reused"
            )

    def get_help_text(self):
        return _("不能使用最近用过的密码。")
