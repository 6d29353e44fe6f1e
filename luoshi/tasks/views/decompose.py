"""分解: add many sub-tasks under a task at once, like filling rows of a ledger.

One POST URL, three buttons: 保存 (create all rows, all or nothing), 再加 5 行 and 填入表格
(the pasted Excel rows); the last two only re-draw the grid with what was typed. With htmx
they replace just the form; without JavaScript they re-draw the whole page.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from luoshi.access import policy
from luoshi.access.views import object_rule
from luoshi.tasks.forms.decompose import (
    ADD_STEP,
    MAX_ROWS,
    DecomposeGrid,
    blank_rows,
    merge_paste,
    rows_count,
    rows_from_paste,
    rows_from_post,
)
from luoshi.tasks.forms.units import active_units
from luoshi.tasks.models import ReportCycle
from luoshi.tasks.services import editing


@object_rule("task.decompose")
@require_http_methods(["GET", "POST"])
def decompose(request, pk: int):
    parent = policy.get_task_for_user(request.user, pk, "task.decompose")
    paste_text, notice = "", ""
    if request.method == "GET":
        grid = DecomposeGrid(parent, blank_rows(rows_count(request.GET.get("rows"))))
    else:
        grid = DecomposeGrid(parent, rows_from_post(request.POST))
        action = request.POST.get("action", "save")
        if action == "add":
            grid.rows += blank_rows(min(ADD_STEP, MAX_ROWS - len(grid.rows)))
        elif action == "paste":
            paste_text = request.POST.get("paste", "")
            pasted = rows_from_paste(paste_text)
            if pasted:
                grid.rows = merge_paste(grid.rows, pasted)
                paste_text = ""
                notice = ngettext(
                    "已填入 %(n)d 行，请核对后保存。",
                    "已填入 %(n)d 行，请核对后保存。",
                    len(pasted),
                ) % {"n": len(pasted)}
            else:
                grid.errors.append(_("粘贴区没有内容。请从 Excel 中复制若干行后粘贴。"))
        elif grid.is_valid():
            try:
                created = editing.tasks_create_children(
                    actor=request.user, parent=parent, rows=grid.service_rows
                )
            except ValidationError as exc:
                grid.add_service_errors(exc)
            else:
                messages.success(
                    request,
                    ngettext(
                        "已分解出 %(n)d 项子任务（起草），请核对后交办。",
                        "已分解出 %(n)d 项子任务（起草），请核对后交办。",
                        len(created),
                    )
                    % {"n": len(created)},
                )
                return redirect("tasks:detail", pk=parent.pk)
    grid.fill_defaults()
    context = {
        "task": parent,
        "grid": grid,
        "paste_text": paste_text,
        "notice": notice,
        "cycles": ReportCycle.choices,
        "units": active_units(),
        "add_step": ADD_STEP,
        "can_add": len(grid.rows) < MAX_ROWS,
        "error_rows": sum(1 for r in grid.rows if r.errors),
    }
    if getattr(request, "htmx", False) and request.method == "POST":
        return render(request, "tasks/forms/_decompose_form.html", context)
    return render(request, "tasks/forms/decompose.html", context)
