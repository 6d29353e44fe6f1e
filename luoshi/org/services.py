"""Organisation services: units (a tree with a materialised path) and user accounts."""

from __future__ import annotations

import difflib
import re

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from luoshi.audit.services import audit_log
from luoshi.org.models import Role, Unit, User
from luoshi.security.services import roles
from luoshi.security.services.passwords import password_recorded, password_set

UNIT_FIELDS = ("name", "short_name", "aliases", "kind", "parent", "sort_order", "is_active")
USER_FIELDS = ("full_name", "role", "unit", "scope_unit", "title", "phone", "is_active")
UNIT_BOUND_ROLES = {Role.LIAISON, Role.UNIT_HEAD}


def _path_for(unit: Unit) -> str:
    prefix = unit.parent.path if unit.parent_id else ""
    return f"{prefix}{unit.pk:05d}/"


@transaction.atomic
def unit_create(
    *,
    actor: User | None,
    name: str,
    kind: str,
    parent: Unit | None = None,
    short_name: str = "",
    aliases: str = "",
    sort_order: int = 0,
) -> Unit:
    unit = Unit(
        name=name.strip(),
        kind=kind,
        parent=parent,
        short_name=short_name.strip(),
        aliases=aliases,
        sort_order=sort_order,
    )
    unit.full_clean(exclude=["path"])
    unit.save()
    unit.path = _path_for(unit)
    unit.save(update_fields=["path"])
    audit_log(actor=actor, action="org.unit.create", obj=unit, data={"name": unit.name})
    return unit


@transaction.atomic
def unit_update(*, actor: User, unit: Unit, **changes) -> Unit:
    """Change a unit; moving it under another parent re-paths its whole subtree."""
    unknown = set(changes) - set(UNIT_FIELDS)
    if unknown:
        raise ValidationError(_("不能修改的字段：%(f)s") % {"f": ", ".join(sorted(unknown))})
    new_parent = changes.get("parent", unit.parent)
    if new_parent is not None and new_parent.path.startswith(unit.path):
        raise ValidationError({"parent": _("不能把单位移到它自己或其下级单位之下。")})
    diff = {}
    for field, value in changes.items():
        old = getattr(unit, field)
        if old != value:
            # None shows as "", False as "False" (old → new of a deactivation stays readable)
            diff[field] = [
                str(old if old is not None else ""),
                str(value if value is not None else ""),
            ]
            setattr(unit, field, value)
    if not diff:
        return unit
    unit.full_clean(exclude=["path"])
    unit.save()
    if "parent" in diff:
        old_path = unit.path
        new_path = _path_for(unit)
        for child in Unit.objects.filter(path__startswith=old_path):
            child.path = new_path + child.path[len(old_path) :]
            child.save(update_fields=["path"])
    audit_log(actor=actor, action="org.unit.update", obj=unit, data={"changes": diff})
    return unit


def unit_subtree(unit: Unit) -> QuerySet[Unit]:
    """The unit and everything below it, as a queryset."""
    return Unit.objects.filter(path__startswith=unit.path)


def unit_ancestors(unit: Unit) -> list[Unit]:
    ids = [int(p) for p in unit.path.strip("/").split("/") if p]
    by_id = Unit.objects.in_bulk(ids)
    return [by_id[i] for i in ids if i in by_id]


def _normalise(name: str) -> str:
    return re.sub(r"\s+", "", name or "")


def unit_resolve(name: str) -> Unit | None:
    """The active unit called `name`: its full name, short name or one of its aliases
    (whitespace ignored). None when no unit, or more than one, answers to it."""
    key = _normalise(name)
    if not key:
        return None
    exact = list(Unit.objects.filter(is_active=True, name=key)[:2])
    if len(exact) == 1:
        return exact[0]
    matches = [
        u
        for u in Unit.objects.filter(is_active=True)
        if key in {_normalise(u.short_name), *(_normalise(a) for a in u.alias_list())}
    ]
    return matches[0] if len(matches) == 1 else None


class UnitNameIndex:
    """Resolve many unit names with one query (a ledger row or a pasted sheet names dozens of
    units). Same rule as `unit_resolve`: a full name wins, else a unique short name or alias;
    whitespace ignored. `ambiguous(name)` tells a name that several units answer to."""

    def __init__(self, units: QuerySet[Unit] | None = None):
        units = Unit.objects.filter(is_active=True) if units is None else units
        self._by_name: dict[str, Unit] = {}
        self._by_other: dict[str, list[Unit]] = {}
        for unit in units:
            self._by_name[_normalise(unit.name)] = unit
            for other in {_normalise(unit.short_name), *(_normalise(a) for a in unit.alias_list())}:
                if other:
                    self._by_other.setdefault(other, []).append(unit)

    def resolve(self, name: str) -> Unit | None:
        key = _normalise(name)
        if not key:
            return None
        if key in self._by_name:
            return self._by_name[key]
        matches = self._by_other.get(key, [])
        return matches[0] if len(matches) == 1 else None

    def ambiguous(self, name: str) -> bool:
        key = _normalise(name)
        return key not in self._by_name and len(self._by_other.get(key, [])) > 1

    def suggest(self, name: str, n: int = 3) -> list[Unit]:
        """Units whose name, short name or alias is close to `name` (for "did you mean")."""
        key = _normalise(name)
        if not key:
            return []
        names = {k: [u] for k, u in self._by_name.items()} | self._by_other
        close = difflib.get_close_matches(key, names, n=n * 2, cutoff=0.75)
        found: list[Unit] = []
        for match in close:
            for unit in names[match]:
                if unit not in found:
                    found.append(unit)
        return found[:n]


def _check_user(user: User) -> None:
    if user.role in UNIT_BOUND_ROLES and user.unit_id is None:
        raise ValidationError({"unit": _("单位联络员和单位负责人必须属于一个单位。")})
    if user.scope_unit_id and user.role not in (Role.SUPERVISOR, Role.LEADER):
        raise ValidationError({"scope_unit": _("只有督查室人员和领导可以设置管辖范围。")})


@transaction.atomic
def user_create(
    *,
    actor: User | None,
    username: str,
    password: str,
    must_change_password: bool = True,
    policy_checked: bool = True,
    **fields,
) -> User:
    """Create an account with exactly one role (三员分立: administrators are separate
    accounts; the system administrator opens accounts with a business role only, the
    security administrator grants the others — security.services.roles).

    The password is checked against the security policy and must be changed at the first
    log-in (`must_change_password`). `policy_checked=False` is for the demo's published
    password only."""
    unknown = set(fields) - set(USER_FIELDS)
    if unknown:
        raise ValidationError(_("未知的字段：%(f)s") % {"f": ", ".join(sorted(unknown))})
    user = User(username=username.strip(), **fields)
    user.full_clean(exclude=["password"])
    _check_user(user)
    roles.sysadmin_create_check(actor=actor, role=user.role)
    if policy_checked:
        validate_password(password, user)
    user.set_password(password)
    user.save()
    password_recorded(user=user, must_change=must_change_password)
    audit_log(
        actor=actor,
        action="org.user.create",
        obj=user,
        data={"username": user.username, "role": user.role},
    )
    return user


@transaction.atomic
def user_update(*, actor: User | None, user: User, **changes) -> User:
    """Change an account's details. Role, scope and whether an administrator account is
    active are role grants: the security administrator's (security.services.roles)."""
    unknown = set(changes) - set(USER_FIELDS)
    if unknown:
        raise ValidationError(_("不能修改的字段：%(f)s") % {"f": ", ".join(sorted(unknown))})
    own = actor is not None and user.pk == actor.pk
    if own and changes.get("is_active") is False:
        raise ValidationError(_("不能停用自己的账号。"))
    if own and "role" in changes and changes["role"] != user.role:
        raise ValidationError({"role": _("不能变更自己的角色。")})
    roles.sysadmin_change_check(actor=actor, user=user, changes=changes)
    roles.last_admin_check(
        user=user,
        role=changes.get("role", user.role),
        is_active=changes.get("is_active", user.is_active),
    )
    diff = {}
    for field, value in changes.items():
        old = getattr(user, field)
        if old != value:
            diff[field] = [
                str(old if old is not None else ""),
                str(value if value is not None else ""),
            ]
            setattr(user, field, value)
    if not diff:
        return user
    user.full_clean(exclude=["password"])
    _check_user(user)
    user.save()
    audit_log(actor=actor, action="org.user.update", obj=user, data={"changes": diff})
    return user


def user_set_password(*, actor: User, user: User, password: str) -> None:
    """The system administrator resets a password: checked against the security policy,
    and the user must change it at the next log-in."""
    password_set(
        actor=actor,
        user=user,
        password=password,
        must_change=user.pk != actor.pk,
        action="org.user.password",
    )
