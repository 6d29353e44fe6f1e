"""干部评价: running a round, reviewers' sheets, results and the evidence beside the form.

review_create   the office opens a round: name, period, the cadres and the reviewers
review_close    the office ends it: no more sheets
sheet_submit    a reviewer scores one cadre on the five dimensions, once
sheet_correct   a reviewer corrects their sheet while the round is open: a new version
                supersedes the old one (kept)
review_results  averages per dimension and overall, from the sheets in force
cadre_evidence  the task record of the cadre's unit and of tasks the cadre owns, with the
                outcome records naming the cadre or the unit, over the round's period

Each change is one transaction: the permission through access.policy, validation (Chinese
messages), the audit log.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Avg, Count, Q
from django.utils.translation import gettext as _

from luoshi.access import policy
from luoshi.audit.services import audit_log
from luoshi.cadres.models import (
    GRADE_MAX,
    GRADE_MIN,
    CadreReview,
    Dimension,
    ReviewCadre,
    Reviewer,
    ReviewScore,
    ReviewSheet,
    ReviewState,
    grade_band,
)
from luoshi.lib import clock
from luoshi.org.models import Role, User

NAME_MAX = 200
COMMENT_MAX = 2000
REVIEWER_ROLES = policy.ROLE_ACTIONS["cadre.review"]
CADRE_ROLES = {Role.LEADER, Role.UNIT_HEAD, Role.LIAISON, Role.SUPERVISOR}


def _people(users: Iterable[User]) -> list[User]:
    seen: dict[int, User] = {}
    for u in users:
        seen.setdefault(u.pk, u)
    return list(seen.values())


@transaction.atomic
def review_create(
    *,
    actor: User,
    name: str,
    date_from: dt.date | None,
    date_to: dt.date | None,
    cadres: Iterable[User],
    reviewers: Iterable[User],
) -> CadreReview:
    """组织干部评价: a round over a period with its cadres and reviewers."""
    policy.require(actor, "cadre.manage")
    cadres, reviewers = _people(cadres), _people(reviewers)
    errors: dict[str, list[str]] = {}

    def err(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    name = " ".join((name or "").split())
    if not name:
        err("name", _("请填写评价名称。"))
    elif len(name) > NAME_MAX:
        err("name", _("评价名称不能超过 %(n)d 字。") % {"n": NAME_MAX})
    if date_from is None or date_to is None:
        err("date_to", _("请填写评价期的起止日期。"))
    elif date_from > date_to:
        err("date_to", _("评价期的截止日期不能早于起始日期。"))
    if not cadres:
        err("cadres", _("请选择被评价的干部。"))
    if not reviewers:
        err("reviewers", _("请指定评价人。"))
    _check_people(actor, cadres, reviewers, err)
    if len(cadres) == 1 and len(reviewers) == 1 and cadres[0].pk == reviewers[0].pk:
        err("reviewers", _("干部不能评价自己，请另行指定评价人。"))
    if errors:
        raise ValidationError(errors)
    review = CadreReview(
        name=name,
        date_from=date_from,
        date_to=date_to,
        scope_unit=actor.scope_unit,
        created_by=actor,
        created_at=clock.now(),
    )
    review.full_clean(exclude=["scope_unit", "created_by"])
    review.save()
    ReviewCadre.objects.bulk_create(
        [ReviewCadre(review=review, cadre=c, unit_id=c.unit_id) for c in cadres]
    )
    Reviewer.objects.bulk_create([Reviewer(review=review, user=r) for r in reviewers])
    audit_log(
        actor=actor,
        action="cadre.review.create",
        obj=review,
        data={
            "period": [date_from.isoformat(), date_to.isoformat()],
            "cadres": [c.pk for c in cadres],
            "reviewers": [r.pk for r in reviewers],
        },
    )
    return review


def _check_people(actor: User, cadres: list[User], reviewers: list[User], err) -> None:
    scope = policy.scope_units(actor)
    for c in cadres:
        if not c.is_active or c.role not in CADRE_ROLES:
            err("cadres", _("“%(name)s”不能作为被评价干部。") % {"name": c.display_name})
        elif (
            scope is not None
            and c.role != Role.LEADER
            and not scope.filter(pk=c.unit_id or c.scope_unit_id or 0).exists()
        ):
            err("cadres", _("“%(name)s”不在您的管辖范围内。") % {"name": c.display_name})
    for r in reviewers:
        if not r.is_active or r.role not in REVIEWER_ROLES:
            err(
                "reviewers",
                _("“%(name)s”不能作为评价人：评价人须是督查室人员、领导或单位负责人。")
                % {"name": r.display_name},
            )


@transaction.atomic
def review_add(
    *,
    actor: User,
    review: CadreReview,
    cadres: Iterable[User] = (),
    reviewers: Iterable[User] = (),
) -> CadreReview:
    """增加被评价干部或评价人 to an open round (none is removed: sheets may exist)."""
    review = CadreReview.objects.select_for_update(no_key=True).get(pk=review.pk)
    if not policy.can_manage_review(actor, review):
        raise PermissionDenied(policy.denial_message("cadre.manage"))
    if not review.is_open:
        raise ValidationError(_("该评价已结束，不能再增加人员。"))
    have_c = set(review.cadres.values_list("cadre_id", flat=True))
    have_r = set(review.reviewers.values_list("user_id", flat=True))
    cadres = [c for c in _people(cadres) if c.pk not in have_c]
    reviewers = [r for r in _people(reviewers) if r.pk not in have_r]
    errors: dict[str, list[str]] = {}

    def err(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    if not cadres and not reviewers:
        err("cadres", _("请选择要增加的被评价干部或评价人（已在本次评价中的不重复增加）。"))
    _check_people(actor, cadres, reviewers, err)
    if errors:
        raise ValidationError(errors)
    ReviewCadre.objects.bulk_create(
        [ReviewCadre(review=review, cadre=c, unit_id=c.unit_id) for c in cadres]
    )
    Reviewer.objects.bulk_create([Reviewer(review=review, user=r) for r in reviewers])
    audit_log(
        actor=actor,
        action="cadre.review.add",
        obj=review,
        data={"cadres": [c.pk for c in cadres], "reviewers": [r.pk for r in reviewers]},
    )
    return review


@transaction.atomic
def review_close(*, actor: User, review: CadreReview) -> CadreReview:
    review = CadreReview.objects.select_for_update(no_key=True).get(pk=review.pk)
    if not policy.can_manage_review(actor, review):
        raise PermissionDenied(policy.denial_message("cadre.manage"))
    if not review.is_open:
        raise ValidationError(_("该评价已结束。"))
    review.state = ReviewState.CLOSED
    review.closed_at = clock.now()
    review.save(update_fields=["state", "closed_at"])
    audit_log(actor=actor, action="cadre.review.close", obj=review)
    return review


def _scores(scores: Mapping[str, tuple[int | None, str]]) -> list[tuple[str, int, str]]:
    """Check one grade per dimension (1–10) and the comments' length."""
    errors: dict[str, list[str]] = {}
    rows = []
    for dim in Dimension:
        grade, comment = scores.get(dim.value, (None, ""))
        comment = (comment or "").strip()
        if grade is None:
            errors.setdefault(dim.value, []).append(_("请为“%(dim)s”评分。") % {"dim": dim.label})
            continue
        if not isinstance(grade, int) or not GRADE_MIN <= grade <= GRADE_MAX:
            errors.setdefault(dim.value, []).append(
                _("“%(dim)s”的评分须是 %(min)d 到 %(max)d 的整数。")
                % {"dim": dim.label, "min": GRADE_MIN, "max": GRADE_MAX}
            )
            continue
        if len(comment) > COMMENT_MAX:
            errors.setdefault(dim.value, []).append(
                _("评语不能超过 %(n)d 字。") % {"n": COMMENT_MAX}
            )
            continue
        rows.append((dim.value, grade, comment))
    unknown = set(scores) - set(Dimension.values)
    if unknown:
        errors.setdefault("__all__", []).append(_("评价维度不正确。"))
    if errors:
        raise ValidationError(errors)
    return rows


def _check_sheet(actor: User, review: CadreReview, cadre: User) -> CadreReview:
    review = CadreReview.objects.select_for_update(no_key=True).get(pk=review.pk)
    if not policy.allowed(actor, "cadre.review"):
        raise PermissionDenied(policy.denial_message("cadre.review"))
    if not Reviewer.objects.filter(review=review, user=actor).exists():
        raise PermissionDenied(_("您不是该评价的评价人。"))
    if not ReviewCadre.objects.filter(review=review, cadre=cadre).exists():
        raise ValidationError(_("该干部不在本次评价范围内。"))
    if cadre.pk == actor.pk:
        raise PermissionDenied(_("干部不能评价自己。"))
    if not review.is_open:
        raise ValidationError(_("该评价已结束，不能再提交评价表。"))
    return review


def _write_sheet(actor, review, cadre, rows, comment, version) -> ReviewSheet:
    sheet = ReviewSheet.objects.create(
        review=review,
        reviewer=actor,
        cadre=cadre,
        version=version,
        comment=comment,
        submitted_at=clock.now(),
    )
    ReviewScore.objects.bulk_create(
        [ReviewScore(sheet=sheet, dimension=d, grade=g, comment=c) for d, g, c in rows]
    )
    return sheet


def _comment(comment: str) -> str:
    comment = (comment or "").strip()
    if len(comment) > COMMENT_MAX:
        raise ValidationError({"comment": _("总体评价不能超过 %(n)d 字。") % {"n": COMMENT_MAX}})
    return comment


def current_sheet(review: CadreReview, reviewer: User, cadre: User) -> ReviewSheet | None:
    return (
        ReviewSheet.objects.filter(review=review, reviewer=reviewer, cadre=cadre, current=True)
        .prefetch_related("scores")
        .first()
    )


@transaction.atomic
def sheet_submit(
    *,
    actor: User,
    review: CadreReview,
    cadre: User,
    scores: Mapping[str, tuple[int | None, str]],
    comment: str = "",
) -> ReviewSheet:
    """提交评价表: once per reviewer and cadre."""
    review = _check_sheet(actor, review, cadre)
    if current_sheet(review, actor, cadre) is not None:
        raise ValidationError(_("您已提交对该干部的评价表，不能重复提交；如需更正，请提交更正。"))
    rows = _scores(scores)
    comment = _comment(comment)
    try:
        with transaction.atomic():
            sheet = _write_sheet(actor, review, cadre, rows, comment, 1)
    except IntegrityError as exc:  # a second submission racing the first
        raise ValidationError(
            _("您已提交对该干部的评价表，不能重复提交；如需更正，请提交更正。")
        ) from exc
    audit_log(
        actor=actor,
        action="cadre.sheet.submit",
        obj=sheet,
        data={"review": review.pk, "cadre": cadre.pk},
    )
    return sheet


@transaction.atomic
def sheet_correct(
    *,
    actor: User,
    review: CadreReview,
    cadre: User,
    scores: Mapping[str, tuple[int | None, str]],
    comment: str = "",
) -> ReviewSheet:
    """更正评价表: a new version; the old one is kept and no longer counts."""
    review = _check_sheet(actor, review, cadre)
    old = (
        ReviewSheet.objects.select_for_update(no_key=True)
        .filter(review=review, reviewer=actor, cadre=cadre, current=True)
        .first()
    )
    if old is None:
        raise ValidationError(_("您还没有提交对该干部的评价表。"))
    rows = _scores(scores)
    comment = _comment(comment)
    old.current = False
    old.save(update_fields=["current"])
    sheet = _write_sheet(actor, review, cadre, rows, comment, old.version + 1)
    old.superseded_by = sheet
    old.save(update_fields=["superseded_by"])
    audit_log(
        actor=actor,
        action="cadre.sheet.correct",
        obj=sheet,
        data={"review": review.pk, "cadre": cadre.pk, "supersedes": old.pk},
    )
    return sheet


# --- results ------------------------------------------------------------------------------


@dataclass
class CadreResult:
    item: ReviewCadre
    sheets: int
    expected: int
    by_dimension: list[tuple[str, float | None]]
    overall: float | None

    @property
    def band(self) -> str:
        return grade_band(self.overall)


def review_results(review: CadreReview, cadres=None) -> list[CadreResult]:
    """Per cadre (of `cadres`, default all the round's): sheets in force, the average per
    dimension, the overall (the mean of the dimensions' averages) and its band. Three
    queries whatever the number of sheets."""
    cadres = review.cadres.all() if cadres is None else cadres
    items = list(cadres.select_related("cadre", "unit"))
    reviewer_ids = set(review.reviewers.values_list("user_id", flat=True))
    averages: dict[int, dict[str, float]] = {}
    counts: dict[int, int] = {}
    rows = (
        ReviewScore.objects.filter(sheet__review=review, sheet__current=True)
        .values("sheet__cadre_id", "dimension")
        .annotate(avg=Avg("grade"), n=Count("pk"))
        .order_by()
    )
    for row in rows:
        averages.setdefault(row["sheet__cadre_id"], {})[row["dimension"]] = row["avg"]
        counts[row["sheet__cadre_id"]] = max(counts.get(row["sheet__cadre_id"], 0), row["n"])
    results = []
    for item in items:
        avgs = averages.get(item.cadre_id, {})
        dims = [(d.label, round(avgs[d.value], 2) if d.value in avgs else None) for d in Dimension]
        values = [v for _label, v in dims if v is not None]
        overall = round(sum(values) / len(values), 2) if len(values) == len(Dimension) else None
        results.append(
            CadreResult(
                item=item,
                sheets=counts.get(item.cadre_id, 0),
                expected=len(reviewer_ids - {item.cadre_id}),
                by_dimension=dims,
                overall=overall,
            )
        )
    return results


def sheets_about(review: CadreReview, cadre_id: int):
    """Every sheet about one cadre, the versions superseded included (for the office)."""
    return (
        ReviewSheet.objects.filter(review=review, cadre_id=cadre_id)
        .select_related("reviewer")
        .prefetch_related("scores")
        .order_by("reviewer__username", "version")
    )


def results_workbook(review: CadreReview, results: list[CadreResult], *, user: User) -> bytes:
    """The results table as .xlsx; names typed by users are written as text (lib.xlsx)."""
    import io

    from openpyxl import Workbook
    from openpyxl.styles import Font

    from luoshi.lib.watermark import watermark_workbook
    from luoshi.lib.xlsx import safe_row

    wb = Workbook()
    ws = wb.active
    ws.title = _("评价结果")
    safe_row(ws, 1, [review.name])
    ws["A1"].font = Font(bold=True)
    header = [
        _("干部"),
        _("职务"),
        _("单位"),
        *[str(d.label) for d in Dimension],
        _("总分"),
        _("等次"),
        _("已评"),
        _("应评"),
    ]
    safe_row(ws, 2, header)
    for cell in ws[2]:
        cell.font = Font(bold=True)
    for n, r in enumerate(results, start=3):
        cadre = r.item.cadre
        safe_row(
            ws,
            n,
            [
                cadre.display_name,
                cadre.title,
                r.item.unit.display_name if r.item.unit_id else "",
                *[v for _label, v in r.by_dimension],
                r.overall,
                r.band,
                r.sheets,
                r.expected,
            ],
        )
    out = io.BytesIO()
    watermark_workbook(wb, user)
    wb.save(out)
    return out.getvalue()


# --- evidence -------------------------------------------------------------------------------


def _task_record(user: User, tasks, period) -> dict:
    from luoshi.bulletins.statistics import counted_tasks, overdue_at_end
    from luoshi.extensions.queries import Timeliness, with_timeliness
    from luoshi.tasks.models import Light, TaskState

    counted = counted_tasks(tasks, period)
    states = dict(counted.values_list("state").annotate(n=Count("pk")).order_by())
    lights = dict(counted.values_list("light").annotate(n=Count("pk")).order_by())
    closed = dict(
        with_timeliness(
            counted.filter(
                state=TaskState.CLOSED, closed_at__gte=period.start, closed_at__lt=period.end
            )
        )
        .values_list("timeliness")
        .annotate(n=Count("pk"))
        .order_by()
    )
    overdue = overdue_at_end(counted, period).select_related("lead_unit").order_by("due", "code")
    overdue_rows = list(overdue[:50])
    visible = set(
        policy.visible_tasks(
            user, overdue.model.objects.filter(pk__in=[t.pk for t in overdue_rows])
        ).values_list("pk", flat=True)
    )
    n_overdue = overdue.count()
    good = closed.get(Timeliness.ON_TIME, 0) + closed.get(Timeliness.EXTENDED, 0)
    base = sum(closed.values()) + n_overdue
    return {
        "total": sum(states.values()),
        "by_state": [(TaskState(s).label, n) for s, n in sorted(states.items())],
        "by_light": [
            (Light(li).label if li in Light.values else li, li, n)
            for li, n in sorted(lights.items())
        ],
        "on_time": closed.get(Timeliness.ON_TIME, 0),
        "extended": closed.get(Timeliness.EXTENDED, 0),
        "late": closed.get(Timeliness.LATE, 0),
        "overdue_count": n_overdue,
        "rate": round(100.0 * good / base, 1) if base else None,
        "overdue": [t for t in overdue_rows if t.pk in visible],
        "overdue_hidden": n_overdue - len([t for t in overdue_rows if t.pk in visible]),
    }


def cadre_evidence(*, user: User, review: CadreReview, item: ReviewCadre) -> dict:
    """The record beside the sheet, over the round's period. Counts cover every task of the
    cadre's unit and every task the cadre owns; the overdue list names only the tasks the
    reader may see (the others are counted, not named)."""
    from luoshi.bulletins.statistics import Period
    from luoshi.outcomes.models import OutcomeRecord
    from luoshi.tasks.models import Task

    # a period not yet over is read up to today (nothing is overdue ahead of its due)
    period = Period(review.date_from, max(review.date_from, min(review.date_to, clock.today())))
    unit_record = (
        _task_record(user, Task.objects.filter(lead_unit_id=item.unit_id), period)
        if item.unit_id
        else None
    )
    owner_record = _task_record(user, Task.objects.filter(owner_id=item.cadre_id), period)
    named = Q(cadre_id=item.cadre_id)
    if item.unit_id:
        named |= Q(unit_id=item.unit_id)
    outcomes = list(
        OutcomeRecord.objects.in_force()
        .recorded_between(review.date_from, review.date_to)
        .filter(named)
        .select_related("unit", "task", "cadre")
        .order_by("-recorded_on", "-id")[:50]
    )
    return {"unit": unit_record, "owner": owner_record, "outcomes": outcomes}
