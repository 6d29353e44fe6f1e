"""The search index (docs/SEARCH.md): one SearchEntry per task, progress report and source,
holding its text and that text cut into terms (luoshi.search.terms). On PostgreSQL the terms
column is indexed by a GIN index on to_tsvector('simple', terms) (migration 0002); on SQLite
(and any other database) each term is a SearchTerm row, looked up through its index.

(A plain table rather than SQLite's FTS5: the same code for every database but PostgreSQL,
no virtual table to keep in step by triggers, and the query is one indexed GROUP BY.)"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class EntryKind(models.TextChoices):
    TASK = "task", _("任务")
    REPORT = "report", _("进展反馈")
    SOURCE = "source", _("任务来源")


class SearchEntry(models.Model):
    kind = models.CharField(max_length=10, choices=EntryKind.choices)
    object_id = models.PositiveBigIntegerField()
    # for the visibility rules: a task's or report's task, a report's unit, a source
    task = models.ForeignKey(
        "tasks.Task", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    unit = models.ForeignKey(
        "org.Unit", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    source = models.ForeignKey(
        "tasks.Source", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    title = models.CharField(max_length=300)
    text = models.TextField()
    terms = models.TextField()
    updated_at = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="search_entry_once")
        ]

    def __str__(self) -> str:
        return f"{self.kind}:{self.object_id} {self.title}"


class SearchTerm(models.Model):
    """One term of one entry (SQLite's index; PostgreSQL uses its GIN index instead)."""

    entry = models.ForeignKey(SearchEntry, on_delete=models.CASCADE, related_name="+")
    term = models.CharField(max_length=64)

    class Meta:
        indexes = [models.Index(fields=["term", "entry"], name="search_term_lookup")]

    def __str__(self) -> str:
        return self.term
