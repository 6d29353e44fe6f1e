"""台账: the ledger of tasks, filtered and sorted through the URL so that a link can be shared.
An htmx request (the filter bar, a sort header, a page link) gets only the table back."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext_lazy as _

from luoshi.access.views import rule
from luoshi.lib import clock
from luoshi.tasks import queries
from luoshi.tasks.views.ledger_form import LedgerFilterForm

PAGE_SIZE = 50

COLUMNS = (
    ("code", _("任务编号"), "code"),
    ("title", _("任务名称"), ""),
    ("lead_unit", _("牵头单位"), ""),
    ("co_units", _("配合单位"), ""),
    ("owner", _("责任人"), ""),
    ("due", _("完成时限"), "due"),
    ("progress", _("进度"), "progress"),
    ("light", _("亮灯"), "light"),
    ("state", _("状态"), ""),
    ("last_report", _("最近填报"), "last_report"),
)


def _columns(sort: str) -> list[dict]:
    """Column headers; a sortable one links to its sort, reversed when it is the current one."""
    current = sort.lstrip("-")
    descending = sort.startswith("-")
    columns = []
    for key, label, sort_key in COLUMNS:
        column = {"key": key, "label": label, "sort": None, "direction": ""}
        if sort_key:
            active = sort_key == current
            column["sort"] = f"-{sort_key}" if active and not descending else sort_key
            column["direction"] = ("desc" if descending else "asc") if active else ""
        columns.append(column)
    return columns


def wants_fragment(request) -> bool:
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not htmx.history_restore_request and not htmx.boosted


@rule("task.list")
def task_list(request):
    choices = queries.ledger_choices(request.user)
    form = LedgerFilterForm(request.GET, user=request.user, choices=choices)
    ledger_filter = form.to_filter()
    today = clock.today()
    tasks = queries.ledger_tasks(request.user, ledger_filter, today=today)
    page = Paginator(tasks, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "columns": _columns(ledger_filter.sort),
        "sort": ledger_filter.sort,
        "today": today,
    }
    template = "tasks/_ledger_table.html" if wants_fragment(request) else "tasks/ledger.html"
    response = render(request, template, context)
    patch_vary_headers(response, ("HX-Request",))
    return response
