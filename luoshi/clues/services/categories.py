"""The list of clue categories the office keeps."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from luoshi.access import policy
from luoshi.audit.services import audit_log
from luoshi.clues.models import ClueCategory
from luoshi.org.models import User


@transaction.atomic
def category_create(*, actor: User, name: str) -> ClueCategory:
    policy.require(actor, "clue.triage")
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": [_("请填写类别名称。")]})
    if len(name) > 40:
        raise ValidationError({"name": [_("类别名称不能超过 40 个字。")]})
    if ClueCategory.objects.filter(name=name).exists():
        raise ValidationError({"name": [_("已有同名的类别。")]})
    last = ClueCategory.objects.aggregate(m=Max("sort_order"))["m"] or 0
    category = ClueCategory.objects.create(name=name, sort_order=last + 10)
    audit_log(actor=actor, action="clues.category_create", obj=category, data={"name": name})
    return category


@transaction.atomic
def category_set_active(*, actor: User, category: ClueCategory, active: bool) -> ClueCategory:
    """Retire a category (the public form stops offering it) or bring it back."""
    policy.require(actor, "clue.triage")
    category = ClueCategory.objects.select_for_update(no_key=True).get(pk=category.pk)
    if category.active == active:
        return category
    if not active and ClueCategory.objects.filter(active=True).count() <= 1:
        raise ValidationError(_("至少要保留一个启用的类别。"))
    category.active = active
    category.save(update_fields=["active"])
    audit_log(
        actor=actor,
        action="clues.category_set_active",
        obj=category,
        data={"name": category.name, "active": active},
    )
    return category
