"""`python -m bench.api`: GET /api/v1/tasks and 搜索 on a large city.

Builds bench/tick.py's city (200,000 open tasks by default, 50 units, their reports) in a
scratch database, lights the tasks once (the daily tick's lights step), then calls the API
list endpoint in-process through Django's test client (middleware, token check, policy,
filters, JSON) as the office, a leader and a liaison, with and without filters, and records
each case's p50/p95 and queries per request. Then indexes everything for search
(`search-reindex`) and times a few Chinese queries the same way.

    python -m bench.api                                   # SQLite in a temporary folder
    DATABASE_URL=postgres://…/scratch python -m bench.api # PostgreSQL (the database is emptied)
    python -m bench.api --tasks 20000 --repeat 20

Figures go to bench-results/api-<database>.json.
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

from bench.tick import TODAY, _db_version, _setup, build_city


def _p(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def _time(call, repeat: int) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    call()  # warm up
    times, queries = [], []
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as ctx:
            started = time.perf_counter()
            result = call()
            times.append((time.perf_counter() - started) * 1000)
        queries.append(len(ctx.captured_queries))
    return {
        "p50_ms": round(statistics.median(times), 1),
        "p95_ms": round(_p(times, 0.95), 1),
        "queries": max(queries),
        "result": result,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--no-search", action="store_true", help="time the API list only")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="luoshi-bench-api-") as data_dir:
        _setup(data_dir)
        from django.core.management import call_command
        from django.db import connection
        from django.test import Client

        from luoshi.api.tokens import token_create
        from luoshi.lib import clock
        from luoshi.org.models import Role, User
        from luoshi.search.indexing import reindex_all
        from luoshi.search.query import search
        from luoshi.tasks.services.refresh import lights_refresh_all

        if connection.vendor == "postgresql":
            call_command("flush", interactive=False, verbosity=0)
        call_command("migrate", verbosity=0)
        print(f"building {args.tasks:,} open tasks on {_db_version()} …", flush=True)
        started = time.perf_counter()
        city = build_city(args.tasks)
        with clock.pinned_today(TODAY):
            lights_refresh_all(today=TODAY)
        with connection.cursor() as cursor:  # statistics of the lights just set
            cursor.execute("ANALYZE")
        build_s = round(time.perf_counter() - started, 1)
        print(f"  built and lit in {build_s} s: {city}", flush=True)

        people = {
            "office": User.objects.get(username="bench_sup"),
            "leader": User.objects.get(username="bench_leader"),
            "liaison": User.objects.filter(role=Role.LIAISON).order_by("pk").first(),
        }
        client = Client(HTTP_HOST="127.0.0.1")
        headers = {
            who: {"Authorization": f"Bearer {token_create(actor=u, name='bench')[1]}"}
            for who, u in people.items()
        }
        unit = people["liaison"].unit_id
        cases = [
            ("office", "page 1 of 50", {}),
            ("office", "page 100 of 50", {"page": 100}),
            ("office", "page_size 200", {"page_size": 200}),
            ("office", "red, open", {"light": "red", "state": "open"}),
            ("office", "one unit, by due", {"unit": unit, "sort": "due"}),
            ("office", "due range", {"due_from": "2026-07-01", "due_to": "2026-07-31"}),
            ("office", "q=基准", {"q": "基准"}),
            ("office", "updated_since", {"updated_since": "2026-06-01T00:00:00+08:00"}),
            ("leader", "page 1 of 50", {}),
            ("liaison", "page 1 of 50", {}),
        ]
        results = []
        for who, name, params in cases:

            def call(who=who, params=params):
                response = client.get("/api/v1/tasks", params, headers=headers[who])
                assert response.status_code == 200, response.content[:300]
                return response.json()["count"]

            r = _time(call, args.repeat)
            r.update(who=who, case=name, params=params, count=r.pop("result"))
            results.append(r)
            print(f"  {who:8} {name:22} p95 {r['p95_ms']:7.1f} ms  {r['queries']} queries")

        out = {
            "machine": {
                "python": platform.python_version(),
                "database": _db_version(),
                "cpus": os.cpu_count(),
                "platform": platform.platform(),
            },
            "city": city,
            "build_s": build_s,
            "repeat": args.repeat,
            "api_tasks_list": results,
        }
        Path("bench-results").mkdir(exist_ok=True)
        result_file = Path(f"bench-results/api-{connection.vendor}.json")
        result_file.write_text(json.dumps(out, ensure_ascii=False, indent=2, default=str))
        if args.no_search:
            return 0
        print("indexing for search …", flush=True)
        started = time.perf_counter()
        indexed = reindex_all()
        index_s = round(time.perf_counter() - started, 1)
        print(f"  indexed in {index_s} s: {indexed}", flush=True)
        searches = []
        for who in ("office", "liaison"):
            for q in ("基准", "基准来源", "进展", "第1局"):

                def find(who=who, q=q):
                    return search(people[who], q).count

                r = _time(find, max(5, args.repeat // 3))
                r.update(who=who, query=q, count=r.pop("result"))
                searches.append(r)
                print(f"  search {who:8} {q:8} p95 {r['p95_ms']:7.1f} ms  {r['count']} found")

        out.update(search_index_s=index_s, search_indexed=indexed, search=searches)
        result_file.write_text(json.dumps(out, ensure_ascii=False, indent=2, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
