from __future__ import annotations

from typing import Any

from luoshi.lib import clock
from luoshi.org.models import Unit
from luoshi.tasks.models import Task, TaskEvent


def task_event_record(
    *,
    task: Task,
    kind: str,
    actor: Any = None,
    unit: Unit | None = None,
    message: str = "",
    data: dict[str, Any] | None = None,
) -> TaskEvent:
    """Append one event to the task's history. History is never edited. The search index
    takes the task or report it is about (luoshi.search.indexing); outgoing webhooks
    (luoshi.api.webhooks) are queued for it once the transaction commits."""
    from luoshi.api.webhooks import on_task_event
    from luoshi.search.indexing import on_task_event as search_index

    event = TaskEvent.objects.create(
        task=task,
        kind=kind,
        at=clock.now(),
        actor=actor if getattr(actor, "pk", None) else None,
        unit=unit,
        message=message,
        data=data or {},
    )
    search_index(event)
    on_task_event(event)
    return event
