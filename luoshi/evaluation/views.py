"""考核评价 pages: schemes (list, edit with the rules grid), periods (list, create), a period's
rankings with charts, freeze and adjustments, a unit's breakdown, Excel exports, and the
quality grade form of a closed task.

Thin views: the role rule (decorator), the form, the service, a redirect with a message.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Avg
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from luoshi.access import policy
from luoshi.access.evaluation import (
    get_unit_score_for_user,
    visible_adjustments,
    visible_score_items,
    visible_scores,
)
from luoshi.access.views import rule
from luoshi.audit.services import audit_log
from luoshi.evaluation import export, services
from luoshi.evaluation.forms import AdjustForm, GradeForm, PeriodForm, SchemeForm
from luoshi.evaluation.models import (
    ITEM_KIND_LABELS,
    EvaluationPeriod,
    EvaluationScheme,
    ScoreAdjustment,
    ScoreItem,
    UnitScore,
)
from luoshi.lib.forms import add_service_errors

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TREND_PERIODS = 8


# — schemes —


@rule("evaluation.view")
@require_safe
def scheme_list(request):
    schemes = EvaluationScheme.objects.prefetch_related("rules", "groups").order_by("id")
    return render(
        request,
        "evaluation/scheme_list.html",
        {"schemes": schemes, "may_manage": services.may_manage(request.user)},
    )


@rule("evaluation.manage")
@require_http_methods(["GET", "POST"])
def scheme_edit(request, pk: int | None = None):
    scheme = get_object_or_404(EvaluationScheme, pk=pk) if pk else None
    form = SchemeForm(request.POST if request.method == "POST" else None, scheme=scheme)
    if request.method == "POST" and form.is_valid():
        try:
            scheme = services.scheme_save(actor=request.user, scheme=scheme, **form.service_args())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("考核方案已保存。"))
            return redirect("evaluation:schemes")
    return render(request, "evaluation/scheme_form.html", {"form": form, "scheme": scheme})


# — periods —


@rule("evaluation.view")
@require_safe
def period_list(request):
    periods = EvaluationPeriod.objects.select_related("scheme").order_by("-start", "-id")
    return render(
        request,
        "evaluation/period_list.html",
        {
            "periods": periods,
            "form": PeriodForm(),
            "may_manage": services.may_manage(request.user),
        },
    )


@rule("evaluation.manage")
@require_POST
def period_create(request):
    form = PeriodForm(request.POST)
    if form.is_valid():
        try:
            period = services.period_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("考核周期已建立，请计分。"))
            return redirect("evaluation:period", pk=period.pk)
    periods = EvaluationPeriod.objects.select_related("scheme").order_by("-start", "-id")
    return render(
        request,
        "evaluation/period_list.html",
        {"periods": periods, "form": form, "may_manage": True},
        status=400,
    )


def _groups(user, period: EvaluationPeriod) -> list[dict]:
    """The period's ranking groups with the scores `user` may read (their scope's units, with
    the ranks they hold among all the group's units)."""
    groups: dict[str, dict] = {}
    for s in visible_scores(user, UnitScore.objects.filter(period=period)).select_related("unit"):
        groups.setdefault(s.group, {"name": s.group, "order": s.group_order, "rows": []})
        groups[s.group]["rows"].append(s)
    ordered = sorted(groups.values(), key=lambda g: g["order"])
    for g in ordered:
        g["rows"].sort(key=lambda s: (s.rank, s.unit.name))
    return ordered


def _trend(user, period: EvaluationPeriod) -> dict:
    """Each group's average score over this and the previous periods of the same kind (over
    the units `user` may read)."""
    periods = list(
        EvaluationPeriod.objects.filter(
            scheme_id=period.scheme_id,
            kind=period.kind,
            end__lte=period.end,
            computed_at__isnull=False,
        ).order_by("-end", "-id")[:TREND_PERIODS]
    )[::-1]
    rows = (
        visible_scores(user, UnitScore.objects.filter(period__in=periods))
        .values("period_id", "group")
        .annotate(avg=Avg("score"))
        .order_by()
    )
    by_group: dict[str, dict[int, float]] = defaultdict(dict)
    for r in rows:
        by_group[r["group"]][r["period_id"]] = round(float(r["avg"]), 2)
    return {
        "periods": [p.name for p in periods],
        "series": [
            {"name": g, "data": [values.get(p.pk) for p in periods]}
            for g, values in by_group.items()
        ],
    }


def _period_page(request, period, *, adjust_form=None, status=200):
    groups = _groups(request.user, period)
    chart = {
        "groups": [
            {
                "name": g["name"],
                "units": [s.unit.display_name for s in g["rows"]],
                "scores": [float(s.score) for s in g["rows"]],
            }
            for g in groups
        ],
        "trend": _trend(request.user, period),
        "labels": {"score": _("得分"), "trend": _("平均得分")},
    }
    units = [(s.unit_id, s.unit.display_name) for g in groups for s in g["rows"]]
    return render(
        request,
        "evaluation/period_detail.html",
        {
            "period": period,
            "groups": groups,
            "chart": chart,
            "adjustments": visible_adjustments(
                request.user, ScoreAdjustment.objects.filter(period=period)
            ).select_related("unit", "by"),
            "adjust_form": adjust_form or AdjustForm(units=units),
            "may_manage": services.may_manage(request.user),
            "previous": services.previous_period(period),
        },
        status=status,
    )


@rule("evaluation.view")
@require_safe
def period_detail(request, pk: int):
    period = get_object_or_404(EvaluationPeriod.objects.select_related("scheme"), pk=pk)
    return _period_page(request, period)


@rule("evaluation.manage")
@require_POST
def period_score(request, pk: int):
    period = get_object_or_404(EvaluationPeriod, pk=pk)
    try:
        n = services.period_score(actor=request.user, period=period)
    except ValidationError as exc:
        for m in exc.messages:
            messages.error(request, m)
    else:
        if n:
            messages.success(request, _("计分完成：%(n)d 个单位。") % {"n": n})
        else:
            messages.info(request, _("本期没有可计分的任务，没有单位得分。"))
    return redirect("evaluation:period", pk=pk)


@rule("evaluation.manage")
@require_POST
def period_freeze(request, pk: int):
    period = get_object_or_404(EvaluationPeriod, pk=pk)
    try:
        services.period_freeze(actor=request.user, period=period)
    except ValidationError as exc:
        for m in exc.messages:
            messages.error(request, m)
    else:
        messages.success(request, _("考核结果已发布，不再变动；更正请录入调整。"))
    return redirect("evaluation:period", pk=pk)


@rule("evaluation.manage")
@require_POST
def period_adjust(request, pk: int):
    period = get_object_or_404(EvaluationPeriod.objects.select_related("scheme"), pk=pk)
    units = visible_scores(request.user, UnitScore.objects.filter(period=period)).select_related(
        "unit"
    )
    form = AdjustForm(request.POST, units=[(s.unit_id, s.unit.display_name) for s in units])
    if form.is_valid():
        try:
            services.score_adjust(
                actor=request.user,
                period=period,
                unit_id=form.cleaned_data["unit"],
                points=form.cleaned_data["points"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("调整已记录。"))
            return redirect("evaluation:period", pk=pk)
    return _period_page(request, period, adjust_form=form, status=400)


@rule("evaluation.view")
@require_safe
def unit_breakdown(request, pk: int, unit_id: int):
    period = get_object_or_404(EvaluationPeriod.objects.select_related("scheme"), pk=pk)
    score = get_unit_score_for_user(request.user, period, unit_id)
    items = list(
        ScoreItem.objects.filter(period=period, unit_id=unit_id)
        .select_related("task")
        .order_by("kind", "on_date", "id")
    )
    by_kind: dict[str, dict] = {}
    for item in items:
        entry = by_kind.setdefault(
            item.kind,
            {"label": ITEM_KIND_LABELS.get(item.kind, item.kind), "items": [], "total": Decimal(0)},
        )
        entry["items"].append(item)
        entry["total"] += item.points
    history = list(
        visible_scores(request.user)
        .filter(
            unit_id=unit_id,
            period__scheme_id=period.scheme_id,
            period__kind=period.kind,
            period__end__lte=period.end,
        )
        .select_related("period")
        .order_by("-period__end")[:TREND_PERIODS]
    )[::-1]
    chart = {
        "periods": [h.period.name for h in history],
        "scores": [float(h.score) for h in history],
        "ranks": [h.rank for h in history],
        "labels": {"score": _("得分"), "rank": _("名次")},
    }
    return render(
        request,
        "evaluation/unit_breakdown.html",
        {
            "period": period,
            "score": score,
            "kinds": list(by_kind.values()),
            "adjustments": ScoreAdjustment.objects.filter(period=period, unit_id=unit_id)
            .select_related("by")
            .order_by("at"),
            "chart": chart,
        },
    )


def _xlsx(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{filename}"
    response["Cache-Control"] = "private, no-store"
    return response


@rule("evaluation.view")
@require_safe
def period_export(request, pk: int):
    period = get_object_or_404(EvaluationPeriod, pk=pk)
    adjustments = visible_adjustments(
        request.user, ScoreAdjustment.objects.filter(period=period)
    ).select_related("unit", "by")
    content = export.workbook(
        export.ranking_sheets(_groups(request.user, period), adjustments), user=request.user
    )
    audit_log(actor=request.user, action="evaluation.export", obj=period)
    return _xlsx(content, f"evaluation-{period.pk}.xlsx")


@rule("evaluation.view")
@require_safe
def unit_export(request, pk: int, unit_id: int):
    period = get_object_or_404(EvaluationPeriod, pk=pk)
    score = get_unit_score_for_user(request.user, period, unit_id)
    unit = score.unit
    items = visible_score_items(
        request.user, ScoreItem.objects.filter(period=period, unit_id=unit_id)
    ).select_related("task")
    adjustments = ScoreAdjustment.objects.filter(period=period, unit_id=unit_id).select_related(
        "by"
    )
    content = export.workbook(
        export.breakdown_sheets(unit.name, items, adjustments), user=request.user
    )
    audit_log(actor=request.user, action="evaluation.export", obj=period, data={"unit": unit_id})
    return _xlsx(content, f"evaluation-{period.pk}-{unit_id}.xlsx")


# — quality grade of a task —


@rule("evaluation.manage")
@require_POST
def task_grade(request, pk: int):
    task = policy.get_task_for_user(request.user, pk)
    form = GradeForm(request.POST)
    if form.is_valid():
        try:
            services.quality_grade_set(
                actor=request.user,
                task=task,
                grade=form.cleaned_data["grade"],
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as exc:
            for m in exc.messages:
                messages.error(request, m)
        else:
            messages.success(
                request, _("质量等次已评定：%(g)s") % {"g": form.cleaned_data["grade"]}
            )
    else:
        messages.error(request, _("请选择质量等次 A、B、C 或 D。"))
    return redirect(reverse("tasks:detail", args=[task.pk]) + "#quality")
