"""Who sees which units' scores (考核得分与排名).

Scores are for the office and leaders (ROLE_ACTIONS "evaluation.view"); each of them sees the
units in their scope (User.scope_unit's subtree; every unit when unset) — a district's leader
reads the district's units, with the ranks they hold among all the units of their group, and
not the other districts' scores. The same filter applies to score items, adjustments, exports
and the bulletin's ranking section.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from luoshi.access.policy import OVERSIGHT_ROLES, _active, scope_units


def _by_unit(user, qs: QuerySet) -> QuerySet:
    if not _active(user) or user.role not in OVERSIGHT_ROLES:
        return qs.none()
    units = scope_units(user)
    return qs if units is None else qs.filter(unit__in=units)


def visible_scores(user, qs: QuerySet | None = None) -> QuerySet:
    """The UnitScore rows this user may read (None: the acting system, every row)."""
    from luoshi.evaluation.models import UnitScore

    qs = UnitScore.objects.all() if qs is None else qs
    return qs if user is None else _by_unit(user, qs)


def visible_score_items(user, qs: QuerySet) -> QuerySet:
    return _by_unit(user, qs)


def visible_adjustments(user, qs: QuerySet) -> QuerySet:
    return _by_unit(user, qs)


def sees_every_unit(user) -> bool:
    return user.scope_unit_id is None


def get_unit_score_for_user(user, period, unit_id: int):
    """One unit's score in a period, if the user may read it (else 404, the unit's score is
    not revealed)."""
    score = (
        visible_scores(user).filter(period=period, unit_id=unit_id).select_related("unit").first()
    )
    if score is None:
        raise Http404(_("没有这个单位的得分，或它不在您的管辖范围内。"))
    return score
