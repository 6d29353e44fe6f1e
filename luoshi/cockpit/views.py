"""领导驾驶舱 pages: the cockpit, its drill-down lists, a goal's timeline (甘特图) and the
leader's 批示/点评 on a task or report. Views stay thin: access → query or service → page."""

from __future__ import annotations

from urllib.parse import urlencode

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from luoshi.access import policy
from luoshi.access.views import object_rule, rule
from luoshi.cockpit import queries
from luoshi.cockpit.forms import LeaderCommentForm
from luoshi.cockpit.services import leader_comment_add
from luoshi.lib import clock
from luoshi.lib.forms import add_service_errors
from luoshi.tasks.models import Light

DRILL_PAGE = 100


def _ledger(**params) -> str:
    return _ledger_url() + "?" + urlencode({k: v for k, v in params.items() if v})


def _ledger_url() -> str:
    return reverse("tasks:list")


def _with_links(rows: list[dict], param: str, **extra) -> list[dict]:
    """Each row's light counts link to the ledger filtered to that row and light."""
    for r in rows:
        r["links"] = {
            light: _ledger(**{param: r["id"]}, **extra, light=light) for light in queries.LIGHTS
        }
        r["link"] = _ledger(**{param: r["id"]}, **extra)
    return rows


def _chart(rows: list[dict]) -> dict:
    rows = rows[: queries.PANEL_ROWS]
    return {
        "names": [r["name"] for r in rows],
        "series": {light: [r[light] for r in rows] for light in queries.LIGHTS},
        "links": {light: [r["links"][light] for r in rows] for light in queries.LIGHTS},
    }


@rule("cockpit.view")
@require_safe
def cockpit(request):
    today = clock.today()
    data = queries.cockpit(request.user, today)
    _with_links(data["by_unit"], "unit", unit_role="lead")
    _with_links(data["by_source"], "source")
    _with_links(data["by_category"], "category")
    _with_links(data["by_leader"], "leader")
    drill = reverse("cockpit:drill")
    for r in data["trend"]:
        r["links"] = {
            t: f"{drill}?{urlencode({'set': 'closed', 'month': r['month'], 't': t})}"
            for t in ("on_time", "extended", "late")
        }
        r["link"] = f"{drill}?{urlencode({'set': 'closed', 'month': r['month']})}"
    charts = {
        "units": _chart(data["by_unit"]),
        "sources": _chart(data["by_source"]),
        "trend": {
            "months": [r["month"] for r in data["trend"]],
            "on_time": [r["on_time"] for r in data["trend"]],
            "extended": [r["extended"] for r in data["trend"]],
            "late": [r["late"] for r in data["trend"]],
            "rate": [r["rate"] for r in data["trend"]],
            "links": [r["links"] for r in data["trend"]],
        },
    }
    context = {
        **data,
        "today": today,
        "screen": request.GET.get("screen") == "1",
        "charts": charts,
        "ledger_lights": {light: _ledger(light=light) for light in queries.LIGHTS},
        "panel_rows": queries.PANEL_ROWS,
    }
    return render(request, "cockpit/index.html", context)


@rule("cockpit.view")
@require_safe
def drill(request):
    today = clock.today()
    found = queries.drill(
        request.user,
        request.GET.get("set", ""),
        today,
        month=request.GET.get("month", ""),
        timeliness=request.GET.get("t", ""),
    )
    if found is None:
        raise Http404
    title, tasks = found
    page = Paginator(tasks.select_related("lead_unit"), DRILL_PAGE).get_page(
        request.GET.get("page")
    )
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "cockpit/drill.html",
        {"title": title, "page": page, "today": today, "params": params.urlencode()},
    )


@object_rule("task.view")
@require_safe
def timeline(request, pk: int):
    goal = policy.get_task_for_user(request.user, pk)
    today = clock.today()
    data = queries.timeline(request.user, goal, today)
    # The rows go to the page as JSON and are drawn there (one DOM pass), which keeps a tree
    # of thousands of tasks quick: rendering them through the template takes seconds.
    prefix = reverse("tasks:detail", args=[0])[: -len("0/")]
    labels = {light: str(label) for light, label in Light.choices}
    rows = [
        {
            "p": t.path,
            "l": t.tree_level,
            "c": t.code,
            "t": t.title,
            "u": f"{prefix}{t.pk}/",
            "s": t.bar_start.isoformat(),
            "d": t.due.isoformat() if t.due else "",
            "o": t.ongoing,
            "lt": t.light or "none",
            "ln": labels.get(t.light, ""),
            "pg": t.progress,
            "x": t.bar_left,
            "w": t.bar_width,
            "m": [[m.left, m.title, m.due.isoformat(), _ms_class(m)] for m in t.milestone_list],
            "e": [
                [e.left, e.width, e.old_due.isoformat(), e.new_due.isoformat()]
                for e in t.extension_list
            ],
        }
        for t in data["rows"]
    ]
    context = {
        "goal": goal,
        "today": today,
        "count": len(rows),
        "rows_json": rows,
        "first": data["first"],
        "last": data["last"],
        "ticks": data["ticks"],
        "today_left": data["today_left"],
    }
    return render(request, "cockpit/timeline.html", context)


def _ms_class(milestone) -> str:
    if milestone.completed_on:
        return "done"
    return "late" if milestone.late else ""


@object_rule("task.comment")
@require_POST
def comment_add(request, pk: int):
    task = policy.get_task_for_user(request.user, pk, "task.comment")
    form = LeaderCommentForm(request.POST)
    if form.is_valid():
        report = None
        if form.cleaned_data.get("report"):
            report = (
                policy.visible_reports(request.user, task)
                .filter(pk=form.cleaned_data["report"])
                .first()
            )
            if report is None:
                raise Http404
        try:
            leader_comment_add(
                actor=request.user, task=task, text=form.cleaned_data["text"], report=report
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect("tasks:detail", pk=task.pk)
    return render(request, "cockpit/comment_form.html", {"task": task, "form": form}, status=400)
