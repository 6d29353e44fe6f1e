"""Identity and session rules (等保 身份鉴别): the one security policy, each account's
password and second-factor state, the password history and the log-in attempts that drive
lockout. See docs/SECURITY.md."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from luoshi.lib.encryption import EncryptedTextField


class SecurityPolicy(models.Model):
    """The single row (pk=1) the 安全管理员 edits on /security/policy/. Defaults are the
    figures of docs/SECURITY.md; security.services.policy.policy_update refuses values weaker
    than the 等保 floor."""

    min_length = models.PositiveSmallIntegerField(_("密码最小长度"), default=10)
    char_classes = models.PositiveSmallIntegerField(
        _("至少包含的字符类别数"),
        default=3,
        help_text=_("大写字母、小写字母、数字、符号四类中至少几类"),
    )
    history_count = models.PositiveSmallIntegerField(_("不得重复使用最近几次的密码"), default=5)
    expiry_days = models.PositiveSmallIntegerField(
        _("密码有效期（天）"), default=90, help_text=_("0 表示永不过期")
    )
    account_max_failures = models.PositiveSmallIntegerField(
        _("同一账号连续失败次数上限"), default=5
    )
    address_max_failures = models.PositiveSmallIntegerField(
        _("同一来源地址失败次数上限"), default=20
    )
    failure_window_minutes = models.PositiveSmallIntegerField(
        _("失败次数统计时间窗（分钟）"), default=15
    )
    lockout_minutes = models.PositiveSmallIntegerField(_("锁定时长（分钟）"), default=15)
    idle_timeout_minutes = models.PositiveSmallIntegerField(_("会话空闲超时（分钟）"), default=30)
    session_lifetime_hours = models.PositiveSmallIntegerField(
        _("会话最长有效期（小时）"), default=8
    )
    totp_for_all = models.BooleanField(
        _("所有用户必须使用动态口令"),
        default=False,
        help_text=_("系统管理员、安全管理员和审计管理员始终必须使用动态口令"),
    )
    updated_at = models.DateTimeField(_("修改时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("安全策略")
        verbose_name_plural = _("安全策略")

    def __str__(self) -> str:
        return str(_("安全策略"))


class AccountSecurity(models.Model):
    """One account's password age and second factor. Missing for accounts made before this
    app: then the password counts from date_joined and no second factor is enrolled."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="security"
    )
    password_changed_at = models.DateTimeField(_("密码修改时间"), null=True, blank=True)
    must_change_password = models.BooleanField(_("下次登录须修改密码"), default=False)
    # encrypted at rest when LUOSHI_FIELD_KEY is set: whoever reads the table (a backup, a
    # database administrator) must not be able to make the account's codes
    totp_secret = EncryptedTextField(max_length=64, blank=True)
    totp_confirmed_at = models.DateTimeField(_("动态口令启用时间"), null=True, blank=True)
    # the last 30-second step accepted: a code is never accepted twice
    totp_last_step = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("账号安全状态")
        verbose_name_plural = _("账号安全状态")

    def __str__(self) -> str:
        return str(self.user)

    @property
    def totp_enrolled(self) -> bool:
        return bool(self.totp_secret and self.totp_confirmed_at)


class PasswordHistory(models.Model):
    """The hashes of an account's earlier passwords (never the passwords)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="password_history"
    )
    password = models.CharField(max_length=128)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.user_id} {self.created_at:%Y-%m-%d}"


class RecoveryCode(models.Model):
    """A one-time recovery code for the second factor, stored hashed."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="recovery_codes"
    )
    code_hash = models.CharField(max_length=64, db_index=True)
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.user_id} {'used' if self.used_at else 'unused'}"


class AttemptKind(models.TextChoices):
    FAILURE = "failure", _("失败")
    SUCCESS = "success", _("成功")
    BLOCKED = "blocked", _("锁定期间被拒绝")
    PASSWORD_OK = "password", _("密码正确，待动态口令")
    UNLOCK = "unlock", _("解锁")


class LoginAttempt(models.Model):
    """One log-in attempt (password or second-factor step), by the username typed (whether
    or not such an account exists) and the client address. In the database so that every
    application process counts the same attempts."""

    username = models.CharField(max_length=150, db_index=True)
    ip = models.CharField(max_length=45, blank=True, db_index=True)
    at = models.DateTimeField(db_index=True)
    kind = models.CharField(max_length=10, choices=AttemptKind.choices)

    class Meta:
        indexes = [
            models.Index(fields=["username", "at"]),
            models.Index(fields=["ip", "at"]),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.username} {self.ip} {self.kind}"
