"""Organisation services: creating and moving units keeps the materialised path right."""

from __future__ import annotations

from django.db import transaction

from luoshi.audit.services import audit_log
from luoshi.org.models import Unit, User


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
        name=name,
        kind=kind,
        parent=parent,
        short_name=short_name,
        aliases=aliases,
        sort_order=sort_order,
    )
    unit.full_clean(exclude=["path"])
    unit.save()
    unit.path = _path_for(unit)
    unit.save(update_fields=["path"])
    audit_log(actor=actor, action="org.unit.create", obj=unit, data={"name": name})
    return unit


def unit_subtree(unit: Unit):
    """The unit and everything below it, as a queryset."""
    return Unit.objects.filter(path__startswith=unit.path)


def unit_ancestors(unit: Unit) -> list[Unit]:
    ids = [int(p) for p in unit.path.strip("/").split("/") if p]
    by_id = Unit.objects.in_bulk(ids)
    return [by_id[i] for i in ids if i in by_id]
