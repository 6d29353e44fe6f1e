import datetime as dt
import json
from collections import Counter

import pytest
from django.utils import timezone
from huey.contrib.djhuey import HUEY

from luoshi.tasks.models import TaskEvent

DAY = dt.date(2026, 6, 15)  # a Monday; 端午节 (19 June) is four days ahead


@pytest.fixture(autouse=True)
def _empty_queue_store():
    """The in-memory queue of the tests keeps its marks (done days, locks) between tests."""
    HUEY.storage.flush_all()
    yield
    HUEY.storage.flush_all()


def build_world(n: int = 150) -> dict:
    """A small city like the benchmark's: goals, tasks, sub-tasks, overdue and due-soon ones,
    report cycles, milestones; no task lit yet."""
    from bench.tick import build_city

    try:  # the default ladder, which an earlier transactional test may have emptied
        from luoshi.supervision.ladder import ladder_seed_defaults
    except ImportError:
        pass
    else:
        ladder_seed_defaults()
    return build_city(n, seed=7)


def duplicate_events() -> list:
    """History events that occur more than once for one task on one day with the same kind and
    data (a daily 催办 rightly repeats on the next day)."""
    seen = Counter(
        (task_id, kind, timezone.localdate(at), json.dumps(data, sort_keys=True))
        for task_id, kind, at, data in TaskEvent.objects.values_list(
            "task_id", "kind", "at", "data"
        )
    )
    return [key for key, count in seen.items() if count > 1]
