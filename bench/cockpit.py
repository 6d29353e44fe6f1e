"""`python -m bench.cockpit`: the leader cockpit (/cockpit/) and the filtered task list
(/tasks/) on a large city.

Builds bench/tick.py's city (200,000 open tasks by default plus about 5 % closed, 50 units,
their reports and time nodes) in a scratch database, lights the tasks twice (a day apart, so
that some turn from green to yellow or red "this week"), then renders the pages in-process
through Django's test client (middleware, session, policy, template) as the office and a
leader, and records each page's p50/p95 and queries per request.

    python -m bench.cockpit                                   # SQLite in a temporary folder
    DATABASE_URL=postgres://…/scratch python -m bench.cockpit # PostgreSQL (the database is emptied)
    python -m bench.cockpit --tasks 20000 --repeat 20

Figures go to bench-results/cockpit-<database>.json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import platform
import sys
import tempfile
import time
from pathlib import Path

from bench.api import _time
from bench.tick import TODAY, _db_version, _setup, build_city


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="PostgreSQL: time the city a previous run left in the database (no rebuild)",
    )
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="luoshi-bench-cockpit-") as data_dir:
        _setup(data_dir)
        from django.core.cache import cache
        from django.core.management import call_command
        from django.db import connection
        from django.test import Client

        from luoshi.lib import clock
        from luoshi.org.models import User
        from luoshi.reports.models import ProgressReport
        from luoshi.tasks.models import Task
        from luoshi.tasks.services.refresh import lights_refresh_all

        reuse = args.reuse and connection.vendor == "postgresql"
        city: dict = {}
        build_s = 0.0
        if not reuse:
            if connection.vendor == "postgresql":
                call_command("flush", interactive=False, verbosity=0)
            call_command("migrate", verbosity=0)
            print(f"building {args.tasks:,} open tasks on {_db_version()} …", flush=True)
            started = time.perf_counter()
            city = build_city(args.tasks)
            for day in (TODAY - dt.timedelta(days=3), TODAY):
                with clock.pinned_today(day):
                    lights_refresh_all(today=day)
            build_s = round(time.perf_counter() - started, 1)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:  # fresh statistics after the bulk inserts
                cursor.execute("ANALYZE")
        city["reports"] = ProgressReport.objects.count()
        city["tasks"] = Task.objects.count()
        print(f"  built and lit in {build_s} s: {city}", flush=True)

        people = {
            "office": User.objects.get(username="bench_sup"),
            "leader": User.objects.get(username="bench_leader"),
        }
        clients = {}
        for who, user in people.items():
            clients[who] = Client(HTTP_HOST="127.0.0.1")
            clients[who].force_login(user)
        unit = User.objects.filter(username__startswith="bench_lly_").order_by("pk").first().unit_id
        cases = [
            ("office", "cockpit (cold: figures computed)", "/cockpit/", {"cold": 1}),
            ("leader", "cockpit (cold: figures computed)", "/cockpit/", {"cold": 1}),
            ("office", "cockpit", "/cockpit/", {}),
            ("leader", "cockpit", "/cockpit/", {}),
            ("leader", "cockpit 大屏", "/cockpit/", {"screen": "1"}),
            ("leader", "drill: moved this week", "/cockpit/tasks/", {"set": "moved"}),
            ("leader", "drill: overdue", "/cockpit/tasks/", {"set": "overdue"}),
            ("office", "task list", "/tasks/", {}),
            ("office", "task list: red", "/tasks/", {"light": "red"}),
            (
                "leader",
                "task list: one unit, red, lead",
                "/tasks/",
                {"unit": unit, "unit_role": "lead", "light": "red"},
            ),
            ("leader", "task list: open, by due", "/tasks/", {"state": "open", "sort": "due"}),
        ]
        results = []
        with clock.pinned_today(TODAY):
            for who, name, url, params in cases:

                def call(who=who, url=url, params=params):
                    if params.get("cold"):
                        cache.clear()
                    response = clients[who].get(url, params)
                    assert response.status_code == 200, response.content[:300]
                    return len(response.content)

                r = _time(call, args.repeat)
                r.update(who=who, case=name, url=url, params=params, bytes=r.pop("result"))
                results.append(r)
                print(
                    f"  {who:7} {name:34} p50 {r['p50_ms']:7.1f} ms  p95 {r['p95_ms']:7.1f} ms"
                    f"  {r['queries']} queries",
                    flush=True,
                )

        out = {
            "database": _db_version(),
            "machine": f"{platform.machine()}, {platform.python_version()}",
            "city": city,
            "build_s": build_s,
            "repeat": args.repeat,
            "today": TODAY.isoformat(),
            "results": results,
        }
        folder = Path(__file__).resolve().parents[1] / "bench-results"
        folder.mkdir(exist_ok=True)
        target = folder / f"cockpit-{connection.vendor}.json"
        target.write_text(json.dumps(out, ensure_ascii=False, indent=2))
        print(f"written {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
