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
    """Append one event to the task's history. History is never edited. Outgoing webhooks
    (luoshi.api.webhooks) are queued for it once the transaction commits."""
    from luoshi.api.webhooks import on_task_event

    event = TaskEvent.objects.create(
        task=task,
        kind=kind,
        at=clock.now(),
        actor=actor if getattr(actor, "pk", None) else None,
        unit=unit,
        message=message,
        data=data or {},
    )
    on_task_event(event)
    return event
