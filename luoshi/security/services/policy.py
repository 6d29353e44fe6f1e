"""The security policy (one row) and its changes by the 安全管理员."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from luoshi.audit.services import audit_log
from luoshi.lib import clock
from luoshi.security.models import SecurityPolicy

POLICY_FIELDS = (
    "min_length",
    "char_classes",
    "history_count",
    "expiry_days",
    "account_max_failures",
    "address_max_failures",
    "failure_window_minutes",
    "lockout_minutes",
    "idle_timeout_minutes",
    "session_lifetime_hours",
    "totp_for_all",
)

# The floor (等保 level 3, docs/SECURITY.md): a policy weaker than this is refused.
# (field, lowest, highest, message)
BOUNDS = {
    "min_length": (8, 64, _l("密码最小长度须在 8 到 64 之间（等保三级要求不少于 8 位）。")),
    "char_classes": (2, 4, _l("字符类别数须在 2 到 4 之间（等保三级要求至少两类字符组合）。")),
    "history_count": (1, 24, _l("不得重复使用的历史密码次数须在 1 到 24 之间。")),
    "expiry_days": (0, 180, _l("密码有效期须在 0（永不过期）到 180 天之间。")),
    "account_max_failures": (3, 10, _l("同一账号失败次数上限须在 3 到 10 之间，不能关闭锁定。")),
    "address_max_failures": (5, 200, _l("同一来源地址失败次数上限须在 5 到 200 之间。")),
    "failure_window_minutes": (1, 1440, _l("失败次数统计时间窗须在 1 到 1440 分钟之间。")),
    "lockout_minutes": (5, 1440, _l("锁定时长须在 5 到 1440 分钟之间，不能关闭锁定。")),
    "idle_timeout_minutes": (
        5,
        30,
        _l("会话空闲超时须在 5 到 30 分钟之间（等保三级要求不超过 30 分钟）。"),
    ),
    "session_lifetime_hours": (1, 24, _l("会话最长有效期须在 1 到 24 小时之间。")),
}


def security_policy() -> SecurityPolicy:
    """The policy in force (created with the defaults on first use)."""
    policy, _created = SecurityPolicy.objects.get_or_create(pk=1)
    return policy


def policy_validate(values: dict) -> None:
    """Raise ValidationError (per field, in Chinese) for a value outside the bounds."""
    errors = {}
    for field, (low, high, message) in BOUNDS.items():
        if field not in values:
            continue
        value = values[field]
        if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
            errors[field] = str(message)
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def policy_update(*, actor, **changes) -> SecurityPolicy:
    """Change the policy; audited with every changed value old → new."""
    unknown = set(changes) - set(POLICY_FIELDS)
    if unknown:
        raise ValidationError(_("不能修改的字段：%(f)s") % {"f": ", ".join(sorted(unknown))})
    policy_validate(changes)
    policy = SecurityPolicy.objects.select_for_update(no_key=True).get(pk=security_policy().pk)
    diff = {}
    for field, value in changes.items():
        old = getattr(policy, field)
        if old != value:
            diff[field] = [old, value]
            setattr(policy, field, value)
    if not diff:
        return policy
    policy.updated_at = clock.now()
    policy.save(update_fields=[*diff, "updated_at"])
    audit_log(actor=actor, action="security.policy.update", obj=policy, data={"changes": diff})
    return policy
