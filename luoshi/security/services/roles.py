"""三员分立 (separation of duties): the system, security and audit administrators are three
accounts (User.role is one field), and

- only the 安全管理员 grants or changes roles and scopes (role_grant); the 系统管理员 opens
  accounts with a business role and manages units and account details, never roles;
- the administrator accounts (their role, and whether they are active) are the 安全管理员's;
- nobody changes their own role or deactivates themselves;
- each administrator role keeps at least one active account.

org.services calls `sysadmin_change_check` and `last_admin_check`; the grant itself is here.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from luoshi.audit.services import audit_log
from luoshi.org.models import Role, Unit, User

ADMIN_ROLES = {Role.SYSADMIN, Role.SECADMIN, Role.AUDITOR}
BUSINESS_ROLES = {Role.SUPERVISOR, Role.LEADER, Role.LIAISON, Role.UNIT_HEAD}
GRANT_FIELDS = ("role", "scope_unit", "is_active")


def sysadmin_create_check(*, actor, role: str) -> None:
    """The 系统管理员 opens accounts with a business role only."""
    if actor is not None and actor.role != Role.SECADMIN and role in ADMIN_ROLES:
        raise ValidationError(
            {"role": _("管理员角色（系统、安全、审计管理员）只能由安全管理员授予。")}
        )


def sysadmin_change_check(*, actor, user: User, changes: dict) -> None:
    """What the 系统管理员 may not change on an account: its role and scope (role grants),
    nor whether an administrator account is active."""
    if actor is None or actor.role == Role.SECADMIN:
        return
    if "role" in changes and changes["role"] != user.role:
        raise ValidationError({"role": _("角色只能由安全管理员授予或变更。")})
    if "scope_unit" in changes and changes["scope_unit"] != user.scope_unit:
        raise ValidationError({"scope_unit": _("管辖范围只能由安全管理员授予或变更。")})
    if (
        user.role in ADMIN_ROLES
        and "is_active" in changes
        and changes["is_active"] != user.is_active
    ):
        raise ValidationError({"is_active": _("管理员账号的启用和停用由安全管理员负责。")})


def last_admin_check(*, user: User, role: str, is_active: bool) -> None:
    """Refuse to leave an administrator role without an active account."""
    if user.role not in ADMIN_ROLES or not user.is_active:
        return
    if role == user.role and is_active:
        return
    others = User.objects.filter(role=user.role, is_active=True).exclude(pk=user.pk)
    if not others.exists():
        raise ValidationError(
            _("%(role)s至少要保留一个启用的账号，不能停用或变更最后一个。")
            % {"role": user.get_role_display()}
        )


def _shown(value) -> str:
    return "" if value is None else str(value)


@transaction.atomic
def role_grant(
    *,
    actor: User,
    user: User,
    role: str,
    scope_unit: Unit | None = None,
    is_active: bool | None = None,
) -> User:
    """The 安全管理员 grants a role (and scope), or activates/deactivates an account; audited
    with old → new."""
    if actor.role != Role.SECADMIN:
        raise ValidationError(_("只有安全管理员可以授予或变更角色。"))
    if user.pk == actor.pk:
        raise ValidationError(_("不能变更自己的角色或启用状态。"))
    if role not in Role.values:
        raise ValidationError({"role": _("角色不存在。")})
    user = User.objects.select_for_update(no_key=True).get(pk=user.pk)
    active = user.is_active if is_active is None else is_active
    last_admin_check(user=user, role=role, is_active=active)
    changes = {"role": role, "scope_unit": scope_unit, "is_active": active}
    diff = {}
    for field, value in changes.items():
        old = getattr(user, field)
        if old != value:
            diff[field] = [_shown(old), _shown(value)]
            setattr(user, field, value)
    if not diff:
        return user
    from luoshi.org.services import _check_user  # org's own rules on role, unit and scope

    user.full_clean(exclude=["password"])
    _check_user(user)
    user.save(update_fields=list(diff))
    audit_log(actor=actor, action="security.role.grant", obj=user, data={"changes": diff})
    return user
