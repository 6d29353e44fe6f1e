"""`make bench`: load the demo city into a scratch database and time what people wait for.

Measures the median and 95th percentile of the pages each role opens most (工作台, 台账 with and
without filters, a task page) and of the daily tick, with the number of SQL queries each
takes, and writes the figures to bench-results/core.json.

    python -m bench.run                     # SQLite in a temporary folder
    DATABASE_URL=postgres://… python -m bench.run   # a scratch PostgreSQL database
    python -m bench.run --repeat 50
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path


def _setup(data_dir: str) -> None:
    os.environ["LUOSHI_DATA_DIR"] = data_dir
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "luoshi.settings_test")
    os.environ["ALLOWED_HOSTS"] = "testserver,127.0.0.1,localhost"
    import django

    django.setup()


def _measure(fn, repeat: int) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    fn()  # warm caches and the connection
    times = []
    with CaptureQueriesContext(connection) as ctx:
        fn()
    queries = len(ctx.captured_queries)
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return {
        "median_ms": round(statistics.median(times), 1),
        "p95_ms": round(times[max(0, int(len(times) * 0.95) - 1)], 1),
        "queries": queries,
        "runs": repeat,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="luoshi-bench-") as data_dir:
        _setup(data_dir)
        from django.core.management import call_command
        from django.db import connection
        from django.test import Client

        from luoshi.lib import clock
        from luoshi.org.models import User
        from luoshi.tasks.models import Task
        from luoshi.tasks.services.tick import daily_tick

        if connection.vendor == "postgresql":
            call_command("flush", interactive=False, verbosity=0)
        call_command("migrate", verbosity=0)
        started = time.perf_counter()
        call_command("demo", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
        demo_s = time.perf_counter() - started

        def client_for(username: str) -> Client:
            client = Client()
            client.force_login(User.objects.get(username=username))
            return client

        office, liaison = client_for("duchashi"), client_for("fgw_lly")
        leader = client_for("lingdao")
        task = Task.objects.filter(parent__isnull=False).order_by("id").first()

        def get(client: Client, url: str):
            def run():
                response = client.get(url)
                assert response.status_code == 200, (url, response.status_code)

            return run

        cases = {
            "工作台 督查室 (home, office)": get(office, "/"),
            "工作台 联络员 (home, liaison)": get(liaison, "/"),
            "工作台 领导 (home, leader)": get(leader, "/"),
            "台账 全部 (ledger, office)": get(office, "/tasks/"),
            "台账 红灯+排序 (ledger filtered)": get(office, "/tasks/?light=red&sort=due"),
            "台账 联络员 (ledger, liaison)": get(liaison, "/tasks/"),
            "任务页 (task page)": get(office, f"/tasks/{task.pk}/"),
            "每日例行 (daily tick)": lambda: daily_tick(today=clock.today()),
        }
        results = {name: _measure(fn, args.repeat) for name, fn in cases.items()}

        machine = {
            "python": platform.python_version(),
            "database": connection.vendor,
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
        }
        out = {
            "machine": machine,
            "demo_load_s": round(demo_s, 1),
            "tasks": Task.objects.count(),
            "results": results,
        }
        Path("bench-results").mkdir(exist_ok=True)
        Path(f"bench-results/core-{connection.vendor}.json").write_text(
            json.dumps(out, ensure_ascii=False, indent=2)
        )

    print(f"{machine['database']}, {machine['cpus']} CPUs, Python {machine['python']}")
    print(f"demo load {out['demo_load_s']} s, {out['tasks']} tasks")
    print(f"{'':38} {'median':>8} {'p95':>8} {'queries':>8}")
    for name, r in results.items():
        print(f"{name:38} {r['median_ms']:>6} ms {r['p95_ms']:>6} ms {r['queries']:>8}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
