"""`make bench` (政策体系 part): the policies overview, one policy's page and the exports over
a city with many policies.

`--policies` policies (default 100) of `--deliverables` promises each (default 10), made
through the services (policy_create with its deliverables, assigned), a third of the
deliverables signed and closed, some late. Then, as the office and as a unit's liaison, the
overview page (figures, sort, chart data), one policy's page and both Excel exports are timed
`--repeat` times (median and 95th percentile, with SQL counts). The database is a scratch
SQLite file, or PostgreSQL when DATABASE_URL is set (it is flushed first).

    python -m bench.policies
    python -m bench.policies --policies 500 --deliverables 10 --repeat 10

Figures go to bench-results/policies.json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import statistics
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DAY = dt.date(2026, 1, 5)
TODAY = dt.date(2026, 6, 15)


def _world(n_policies: int, n_deliverables: int):
    from django.utils import timezone

    from luoshi.lib import clock
    from luoshi.org.models import Role, UnitKind, User
    from luoshi.org.services import unit_create
    from luoshi.policies.services import DeliverableRow, policy_create
    from luoshi.tasks.models import Task, TaskState, TaskUnit
    from luoshi.tasks.services.lifecycle import task_assign

    with clock.pinned_today(DAY):
        gov = unit_create(actor=None, name="示范市人民政府", kind=UnitKind.GOVERNMENT)
        units = [
            unit_create(actor=None, name=f"示范市第{n}局", kind=UnitKind.DEPARTMENT, parent=gov)
            for n in range(1, 41)
        ]
        sup = User.objects.create_user("sup", role=Role.SUPERVISOR, unit=gov, full_name="督查")
        liaison = User.objects.create_user(
            "l0", role=Role.LIAISON, unit=units[0], full_name="联络员"
        )
        for p in range(n_policies):
            policy = policy_create(
                actor=sup,
                title=f"政策{p + 1}",
                issued_on=DAY,
                category=f"类别{p % 8}",
                deliverables=[
                    DeliverableRow(
                        promise=f"政策{p + 1}的第{d + 1}项承诺。",
                        lead_unit=units[(p + d) % len(units)],
                        due=DAY + dt.timedelta(days=30 + 20 * d),
                    )
                    for d in range(n_deliverables)
                ],
            )
            for deliverable in policy.deliverables.all():
                task_assign(actor=sup, task=deliverable.task)
    # a third closed (some late), without walking every life-cycle step: these figures are
    # about reading, the life cycle has its own benchmarks
    ids = list(Task.objects.order_by("pk").values_list("pk", flat=True))
    closed = ids[::3]
    now = timezone.now()
    Task.objects.filter(pk__in=closed).update(state=TaskState.CLOSED, closed_at=now, light="blue")
    Task.objects.filter(pk__in=closed[::4]).update(closed_late=True)
    Task.objects.exclude(pk__in=closed).update(state=TaskState.IN_PROGRESS, light="green")
    TaskUnit.objects.update(acknowledged_at=now)
    return sup, liaison


class _Count:
    """Counts statements through an execute wrapper (a test client's request clears
    connection.queries at request_started, so CaptureQueriesContext reads nothing)."""

    def __init__(self):
        self.n = 0

    def __call__(self, execute, sql, params, many, context):
        self.n += 1
        return execute(sql, params, many, context)


def _measure(fn, repeat: int) -> dict:
    from django.db import connection

    fn()
    count = _Count()
    with connection.execute_wrapper(count):
        fn()
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return {
        "median_ms": round(statistics.median(times), 1),
        "p95_ms": round(times[max(0, int(len(times) * 0.95) - 1)], 1),
        "queries": count.n,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--policies", type=int, default=100)
    parser.add_argument("--deliverables", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=10)
    args = parser.parse_args(argv)
    os.environ["LUOSHI_DATA_DIR"] = tempfile.mkdtemp(prefix="luoshi-bench-policies-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "luoshi.settings_test")
    os.environ["ALLOWED_HOSTS"] = "testserver,127.0.0.1,localhost"
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from luoshi.lib import clock
    from luoshi.policies.models import Policy

    if connection.vendor == "postgresql":
        call_command("flush", interactive=False, verbosity=0)
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    sup, liaison = _world(args.policies, args.deliverables)
    build_s = time.perf_counter() - started
    one = Policy.objects.order_by("pk").first()

    def client_for(user) -> Client:
        client = Client()
        client.force_login(user)
        return client

    office, unit = client_for(sup), client_for(liaison)

    def get(client, url):
        def fetch():
            response = client.get(url)
            assert response.status_code == 200, response.status_code
            return response

        return fetch

    pages = {
        "overview (office)": get(office, reverse("policies:list")),
        "overview by share desc (office)": get(office, reverse("policies:list") + "?sort=-share"),
        "overview (liaison)": get(unit, reverse("policies:list")),
        "policy page (office)": get(office, reverse("policies:detail", args=[one.pk])),
        "export policies (office)": get(office, reverse("policies:export")),
        "export deliverables (office)": get(
            office, reverse("policies:export_deliverables", args=[one.pk])
        ),
    }
    with clock.pinned_today(TODAY):
        figures = {name: _measure(fn, args.repeat) for name, fn in pages.items()}
    results = {
        "machine": {
            "python": platform.python_version(),
            "database": f"{connection.vendor} {connection.get_database_version()}",
            "cpus": os.cpu_count(),
            "load": round(os.getloadavg()[0], 2),
        },
        "policies": args.policies,
        "deliverables": args.policies * args.deliverables,
        "build_s": round(build_s, 1),
        "pages": figures,
    }
    out = ROOT / "bench-results"
    out.mkdir(exist_ok=True)
    (out / "policies.json").write_text(json.dumps(results, ensure_ascii=False, indent=2))
    print(json.dumps(results, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
