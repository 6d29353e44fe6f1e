"""Keeping the search index up to date: the services call these when a task, a progress
report or a source is made or changed (task_event_record for tasks and reports,
source_create for sources); `luoshi search-reindex` rebuilds everything."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection, transaction

from luoshi.lib import clock
from luoshi.search.models import EntryKind, SearchEntry, SearchTerm
from luoshi.search.terms import encoded, index_terms


def _join(*parts: str) -> str:
    return "\n".join(p for p in parts if p)


def _task_entry(task, now) -> SearchEntry:
    text = _join(task.code, task.title, task.content, task.category)
    return SearchEntry(
        kind=EntryKind.TASK,
        object_id=task.pk,
        task_id=task.pk,
        title=task.title[:300],
        text=text,
        terms=encoded(index_terms(text)),
        updated_at=now,
    )


def _report_entry(report, now) -> SearchEntry:
    text = _join(report.progress_text, report.problems, report.next_steps)
    return SearchEntry(
        kind=EntryKind.REPORT,
        object_id=report.pk,
        task_id=report.task_id,
        unit_id=report.unit_id,
        title=report.task.title[:300],
        text=text,
        terms=encoded(index_terms(text)),
        updated_at=now,
    )


def _source_entry(source, now) -> SearchEntry:
    text = _join(source.code, source.title, source.doc_number, source.issuer, source.content)
    return SearchEntry(
        kind=EntryKind.SOURCE,
        object_id=source.pk,
        source_id=source.pk,
        title=source.title[:300],
        text=text,
        terms=encoded(index_terms(text)),
        updated_at=now,
    )


def _uses_term_table() -> bool:
    return connection.vendor != "postgresql"


def _insert(entries: list[SearchEntry]) -> None:
    SearchEntry.objects.bulk_create(entries, batch_size=500)
    if _uses_term_table():
        if entries and entries[0].pk is None:  # a database that does not return ids
            keys = {(e.kind, e.object_id): e for e in entries}
            for row in SearchEntry.objects.filter(
                object_id__in=[e.object_id for e in entries]
            ).values("pk", "kind", "object_id"):
                if (row["kind"], row["object_id"]) in keys:
                    keys[(row["kind"], row["object_id"])].pk = row["pk"]
        SearchTerm.objects.bulk_create(
            [SearchTerm(entry_id=e.pk, term=t) for e in entries for t in e.terms.split()],
            batch_size=2000,
        )


def _save(entries: list[SearchEntry]) -> None:
    """Replace the entries (delete, then insert with their terms)."""
    if not entries:
        return
    with transaction.atomic():
        for kind in {e.kind for e in entries}:
            ids = [e.object_id for e in entries if e.kind == kind]
            SearchEntry.objects.filter(kind=kind, object_id__in=ids).delete()
        _insert(entries)


def index_task(task) -> None:
    _save([_task_entry(task, clock.now())])


def index_tasks(tasks: Iterable) -> None:
    """Index many tasks at once (tasks written in bulk, e.g. a ledger import)."""
    now = clock.now()
    _save([_task_entry(task, now) for task in tasks])


def index_report(report) -> None:
    _save([_report_entry(report, clock.now())])


def index_source(source) -> None:
    _save([_source_entry(source, clock.now())])


def on_task_event(event) -> None:
    """Called by task_event_record: a task made or edited, a report submitted."""
    if event.kind in ("created", "updated"):
        index_task(event.task)
    elif event.kind == "reported" and event.data.get("report"):
        from luoshi.reports.models import ProgressReport

        report = ProgressReport.objects.select_related("task").filter(pk=event.data["report"])
        for r in report:
            index_report(r)


def _batched(qs, make, now, size: int = 2000) -> Iterable[list[SearchEntry]]:
    batch = []
    for obj in qs.iterator(chunk_size=size):
        batch.append(make(obj, now))
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def reindex_all() -> dict[str, int]:
    """Rebuild the whole index (the command `luoshi search-reindex`)."""
    from luoshi.reports.models import ProgressReport
    from luoshi.tasks.models import Source, Task

    now = clock.now()
    counts = {}
    with transaction.atomic():
        SearchTerm.objects.all().delete()
        SearchEntry.objects.all().delete()
        for name, qs, make in (
            ("tasks", Task.objects.all(), _task_entry),
            ("reports", ProgressReport.objects.select_related("task"), _report_entry),
            ("sources", Source.objects.all(), _source_entry),
        ):
            n = 0
            for batch in _batched(qs.order_by("pk"), make, now):
                _insert(batch)
                n += len(batch)
            counts[name] = n
    return counts
