"""任务来源: the list of sources with their tasks' lights, and one source's task tree."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render

from luoshi.access import policy
from luoshi.access.views import rule
from luoshi.tasks import queries
from luoshi.tasks.models import SourceKind, TaskState

PAGE_SIZE = 50


@rule("source.list")
def source_list(request):
    sources = policy.visible_sources(request.user).order_by("-issued_on", "-id")
    kind = request.GET.get("kind", "")
    if kind in SourceKind.values:
        sources = sources.filter(kind=kind)
    page = Paginator(sources, PAGE_SIZE).get_page(request.GET.get("page"))
    counts = queries.lights_by_source(request.user, [s.pk for s in page])
    for source in page:
        source.counts = counts.get(source.pk, {})
    return render(
        request,
        "tasks/source_list.html",
        {"page": page, "kind": kind, "kinds": SourceKind.choices},
    )


@rule("source.list")
def source_detail(request, pk: int):
    source = get_object_or_404(policy.visible_sources(request.user), pk=pk)
    tasks = queries.with_ledger_columns(policy.visible_tasks(request.user).filter(source=source))
    tree = queries.as_tree(list(tasks))
    counts = queries.light_counts(
        policy.visible_tasks(request.user).filter(source=source).exclude(state=TaskState.DRAFT)
    )
    return render(
        request,
        "tasks/source_detail.html",
        {
            "source": source,
            "tree": tree,
            "counts": counts,
            "top_count": sum(1 for t in tree if t.tree_level == 0),
        },
    )
