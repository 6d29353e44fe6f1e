"""`make bench` (bulletin part): generate a 督查通报 over a large city.

Builds the tick benchmark's city (bench.tick.build_city: goals → tasks → sub-tasks over 50
units, about one task in 25 past its due date, some closed) in a scratch database, lights it
once (the daily tick), then times `bulletin_generate` — the figures and the .docx — for the
last month and for the whole year before the benchmark's day, and `bulletin_issue` (the
document made again with its number). Each timing is split into the statistics and the
document.

    python -m bench.bulletin                       # SQLite, 200,000 open tasks
    python -m bench.bulletin --tasks 20000         # a quick look
    DATABASE_URL=postgres://…/scratch python -m bench.bulletin

Figures go to bench-results/bulletin-<database>.json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

from bench.tick import TODAY, _db_version, _setup, build_city


def _timed(fn):
    started = time.perf_counter()
    result = fn()
    return result, round(time.perf_counter() - started, 2)


def _cpu_timed(fn):
    """(result, wall seconds, CPU seconds of this process): a shared machine inflates the
    first, the second says what the work itself costs here (the database server's own CPU,
    PostgreSQL's, is not in it)."""
    cpu = time.process_time()
    result, wall = _timed(fn)
    return result, wall, round(time.process_time() - cpu, 2)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=200_000, help="open tasks to create")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="luoshi-bench-bulletin-") as data_dir:
        _setup(data_dir)
        from django.conf import settings
        from django.core.management import call_command
        from django.db import connection

        from luoshi.bulletins import render, services, statistics
        from luoshi.lib import clock
        from luoshi.org.models import User
        from luoshi.tasks.services.tick import daily_tick

        settings.MEDIA_ROOT = Path(data_dir) / "uploads"
        if connection.vendor == "postgresql":
            call_command("flush", interactive=False, verbosity=0)
        call_command("migrate", verbosity=0)
        print(f"building {args.tasks:,} open tasks on {_db_version()} …", flush=True)
        city, build_s = _timed(lambda: build_city(args.tasks))
        with clock.pinned_today(TODAY):
            daily_tick(today=TODAY)
        office = User.objects.get(username="bench_sup")

        # time the two halves of generating separately too
        spent = {"statistics": 0.0, "document": 0.0}

        def clocked(name, fn):
            def wrapper(*a, **kw):
                started = time.perf_counter()
                try:
                    return fn(*a, **kw)
                finally:
                    spent[name] += time.perf_counter() - started

            return wrapper

        services.bulletin_statistics = clocked("statistics", statistics.bulletin_statistics)
        services.bulletin_docx = clocked("document", render.bulletin_docx)

        periods = {
            "last month": (dt.date(2026, 5, 1), dt.date(2026, 5, 31)),
            "year to date": (dt.date(2026, 1, 1), TODAY),
        }
        results = {}
        with clock.pinned_today(TODAY):
            for name, (start, end) in periods.items():
                spent.update(statistics=0.0, document=0.0)
                bulletin, seconds, cpu = _cpu_timed(
                    lambda s=start, e=end: services.bulletin_generate(
                        actor=office, date_from=s, date_to=e
                    )
                )
                figures = bulletin.statistics
                results[name] = {
                    "generate_s": seconds,
                    "generate_cpu_s": cpu,
                    "statistics_s": round(spent["statistics"], 2),
                    "document_s": round(spent["document"], 2),
                    "counted": figures["total"],
                    "overdue": len(figures["overdue"]),
                    "commended": len(figures["commended"]),
                    "docx_kb": round(bulletin.size / 1024),
                }
                spent.update(statistics=0.0, document=0.0)
                _, seconds = _timed(
                    lambda b=bulletin: services.bulletin_issue(actor=office, bulletin=b)
                )
                results[name]["issue_s"] = seconds
                print(f"  {name}: {results[name]}", flush=True)
        out = {
            "machine": {
                "python": platform.python_version(),
                "database": _db_version(),
                "cpus": os.cpu_count(),
                "platform": platform.platform(),
            },
            "today": TODAY.isoformat(),
            "city": city,
            "build_s": round(build_s, 1),
            "results": results,
        }
        Path("bench-results").mkdir(exist_ok=True)
        Path(f"bench-results/bulletin-{connection.vendor}.json").write_text(
            json.dumps(out, ensure_ascii=False, indent=2, default=str)
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
