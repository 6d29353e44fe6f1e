"""新建任务 and 编辑: a task's own fields; on create also its time nodes and indicators."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from luoshi.access import policy
from luoshi.access.views import object_rule, rule
from luoshi.lib.forms import add_service_errors
from luoshi.org.services import UnitNameIndex
from luoshi.tasks.forms.task import (
    MAX_ROWS,
    ROWS_STEP,
    IndicatorFormSet,
    MilestoneFormSet,
    TaskForm,
    filled_rows,
    unit_people,
)
from luoshi.tasks.forms.units import active_units
from luoshi.tasks.models import Task
from luoshi.tasks.services import editing

FORMSET_PREFIXES = {"milestones": "ms", "indicators": "ind"}


def _parent(request) -> Task | None:
    raw = request.GET.get("parent", "")
    if not raw:
        return None
    if not raw.isdigit():
        raise Http404(_("上级任务不存在。"))
    return policy.get_task_for_user(request.user, int(raw), "task.decompose")


def _with_more_rows(data, which: str):
    """The posted data with ROWS_STEP more blank rows in one of the formsets."""
    data = data.copy()
    key = f"{FORMSET_PREFIXES[which]}-TOTAL_FORMS"
    try:
        total = int(data.get(key, 0))
    except ValueError:
        total = 0
    data[key] = str(min(total + ROWS_STEP, MAX_ROWS))
    return data


def _form_context(**extra):
    """What every task form page needs: the unit names for the datalist, the categories."""
    return {
        "units": active_units(),
        "categories": Task.objects.exclude(category="")
        .order_by("category")
        .values_list("category", flat=True)
        .distinct(),
        **extra,
    }


@rule("task.create")
@require_http_methods(["GET", "POST"])
def task_create(request, source_pk: int | None = None):
    """A new task (起草) under a source, or under a parent task with ?parent=<pk>."""
    parent = _parent(request)
    source, sources = None, None
    if parent is not None:
        source = parent.source
        if source_pk is not None and source_pk != source.pk:
            raise Http404(_("上级任务不属于该任务来源。"))
    elif source_pk is not None:
        source = get_object_or_404(policy.visible_sources(request.user), pk=source_pk)
    else:
        sources = policy.visible_sources(request.user).order_by("-issued_on", "-id")
        if request.GET.get("source", "").isdigit():
            source = sources.filter(pk=int(request.GET["source"])).first()
    initial = {"report_cycle": parent.report_cycle if parent else "monthly"}
    if parent is not None:
        initial["report_day"] = parent.report_day
    if sources is not None and source is not None:
        initial["source"] = source.pk
    data = request.POST if request.method == "POST" else None
    more = request.POST.get("more") if data is not None else None
    if more in FORMSET_PREFIXES:
        data = _with_more_rows(data, more)
    form = TaskForm(data, sources=sources, initial=initial)
    milestones = MilestoneFormSet(data, prefix="ms")
    indicators = IndicatorFormSet(data, prefix="ind")
    quiet = more in FORMSET_PREFIXES
    if data is not None and not quiet:
        forms_valid = all([form.is_valid(), milestones.is_valid(), indicators.is_valid()])
        if forms_valid:
            target = form.cleaned_data.get("source") or source
            try:
                task = editing.task_create(
                    actor=request.user,
                    source=target,
                    parent=parent,
                    co_units=form.cleaned_data["co_units"],
                    milestones=filled_rows(milestones),
                    indicators=filled_rows(indicators),
                    **form.service_fields(),
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("任务 %(code)s 已创建（起草）。") % {"code": task.code})
                return redirect("tasks:detail", pk=task.pk)
    return render(
        request,
        "tasks/forms/task_form.html",
        _form_context(
            form=form,
            milestones=milestones,
            indicators=indicators,
            source=source,
            parent=parent,
            quiet=quiet,
        ),
    )


@object_rule("task.edit")
@require_http_methods(["GET", "POST"])
def task_edit(request, pk: int):
    task = policy.get_task_for_user(request.user, pk, "task.edit")
    form = TaskForm(request.POST if request.method == "POST" else None, task=task)
    if request.method == "POST" and form.is_valid():
        try:
            editing.task_update(
                actor=request.user,
                task=task,
                co_units=form.cleaned_data["co_units"],
                **form.service_fields(),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("任务已保存。"))
            return redirect("tasks:detail", pk=task.pk)
    return render(
        request,
        "tasks/forms/task_form.html",
        _form_context(form=form, task=task, source=task.source, parent=task.parent),
    )


@rule("task.create")
@require_GET
def owner_options(request):
    """The <option>s of 责任人 for the lead unit typed (htmx, when the lead unit changes)."""
    unit = UnitNameIndex().resolve(request.GET.get("lead_unit", ""))
    return render(
        request,
        "tasks/forms/_owner_options.html",
        {"people": unit_people(unit), "unit": unit},
    )
