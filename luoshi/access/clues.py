"""Who sees and handles 群众线索 (public clues).

  supervisor  every clue when unscoped; a scoped supervisor (scope_unit) the clues that name
              a unit in their subtree. Triage (受理、合并、不予受理、答复) and the full contact.
  leader      reads the clues in scope, like a supervisor; the contact only masked.
  units       no clue at all (404): a unit sees the task made from a clue, whose description
              carries the text but never the contact.
  public      only the status of their own clue, by receipt code (luoshi.clues.views.public).

Outsiders get 404; a leader who tries to triage gets 403 with the reason.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from luoshi.access import policy
from luoshi.clues.models import Clue
from luoshi.org.models import Role


def visible_clues(user, qs: QuerySet[Clue] | None = None) -> QuerySet[Clue]:
    qs = Clue.objects.all() if qs is None else qs
    if not policy.allowed(user, "clue.list"):
        return qs.none()
    units = policy.scope_units(user)
    if units is None:
        return qs
    return qs.filter(unit__in=units)


def get_clue_for_user(user, pk: int, action: str = "clue.view") -> Clue:
    clue = visible_clues(
        user, Clue.objects.select_related("category", "unit", "task", "inspection", "merged_into")
    ).filter(pk=pk)
    found = clue.first()
    if found is None:
        raise Http404(_("线索不存在或您无权查看。"))
    if action == "clue.triage":
        policy.require(user, "clue.triage")
    elif action != "clue.view":
        raise PermissionDenied(_("您没有执行此操作的权限。"))
    return found


def may_see_contact(user) -> bool:
    """The submitter's phone in full: the office that handles the clue, no one else."""
    return bool(getattr(user, "is_authenticated", False)) and user.role == Role.SUPERVISOR


def mask_phone(contact: str) -> str:
    """138****5678; short or odd values keep at most their last two characters."""
    value = (contact or "").strip()
    if not value:
        return ""
    if len(value) >= 7:
        return value[:3] + "*" * (len(value) - 7) + value[-4:]
    return "*" * max(0, len(value) - 2) + value[-2:]
