"""搜索: one page of results across tasks, progress reports and sources."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.views.decorators.http import require_GET

from luoshi.access.views import rule
from luoshi.search.models import EntryKind
from luoshi.search.query import search


@rule("search.use")
@require_GET
def search_page(request):
    raw = request.GET.get("q", "")
    kind = request.GET.get("kind", "")
    if kind not in EntryKind.values:
        kind = ""
    page = request.GET.get("page", "1")
    page = int(page) if page.isdigit() else 1
    results, error = None, ""
    if "q" in request.GET:
        try:
            results = search(request.user, raw, page=page, kind=kind)
        except ValidationError as exc:
            error = " ".join(exc.messages)
    return render(
        request,
        "search/results.html",
        {"q": raw, "kind": kind, "kinds": EntryKind.choices, "results": results, "error": error},
        status=400 if error else 200,
    )
