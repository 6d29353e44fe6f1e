"""One size of the suite (bench/suite.py), run in a child process with its own database:
build or reuse the province, then time each operation. Progress goes to stderr; the result
is returned (the parent reads it as the last line of stdout)."""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path

TODAY = dt.date(2026, 6, 15)  # a Monday; the history runs a year back from here
NEXT_DAY = dt.date(2026, 6, 16)


def log(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def machine() -> dict:
    from django.db import connection

    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    mem = Path("/proc/meminfo").read_text().split()[1]
    with connection.cursor() as cursor:
        cursor.execute(
            "SHOW server_version"
            if connection.vendor == "postgresql"
            else "SELECT sqlite_version()"
        )
        version = cursor.fetchone()[0]
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "ram_gb": round(int(mem) / 1024 / 1024, 1),
        "python": platform.python_version(),
        "database": f"{connection.vendor} {version}",
        "load_average": [round(x, 1) for x in os.getloadavg()],
        "date": time.strftime("%Y-%m-%d %H:%M"),
    }


def build(size: int, seed: int, rebuild: bool) -> dict:
    """The province for `size` tasks, generated once and kept (a marker records it)."""
    from django.conf import settings
    from django.core.management import call_command

    from luoshi.generator.build import province_generate
    from luoshi.generator.plan import options_check
    from luoshi.tasks.models import Task

    marker = Path(settings.DATA_DIR) / "suite-built.json"
    call_command("migrate", verbosity=0)
    if marker.exists() and not rebuild and Task.objects.count() >= size:
        return {**json.loads(marker.read_text()), "built_now": False}
    if rebuild or Task.objects.exists():
        call_command("flush", interactive=False, verbosity=0)
        _reseed()
    opts = options_check(
        units=max(50, size // 100),
        tasks=size,
        reports=size * 10,
        seed=seed,
        start=TODAY - dt.timedelta(days=365),
        today=TODAY,
    )
    log(f"building {size:,} tasks …")
    started, cpu = time.perf_counter(), time.process_time()
    load = os.getloadavg()[0]
    result = province_generate(opts, say=log)
    info = {
        "size": size,
        "seed": seed,
        "wall_s": round(time.perf_counter() - started, 1),
        "cpu_s": round(time.process_time() - cpu, 1),
        "load_average": [round(load, 1), round(os.getloadavg()[0], 1)],
        "counts": result["counts"],
        "lights": result["lights"],
        "timings": result["timings"],
    }
    marker.write_text(json.dumps(info, ensure_ascii=False, indent=2))
    log(f"  built: {info}")
    return {**info, "built_now": True}


def _reseed() -> None:
    """flush empties the rows the data migrations wrote: the default scheme and ladder."""
    from importlib import import_module

    from django.apps import apps

    import_module("luoshi.evaluation.migrations.0002_default_scheme").create(apps, None)
    from luoshi.supervision.ladder import ladder_seed_defaults

    ladder_seed_defaults()


def measure(name: str, call, runs: int, *, rollback: bool = False) -> dict:
    """p50 / p95 of `runs` calls and the queries of one call (pages: after a warm-up)."""
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    class _Undo(Exception):
        pass

    def once():
        if not rollback:
            return call()
        try:
            with transaction.atomic():
                call()
                raise _Undo
        except _Undo:
            return None

    times, cpu, queries = [], [], []
    if not rollback:  # a page: warm caches first, count its queries apart (capturing costs)
        once()
        with CaptureQueriesContext(connection) as ctx:
            once()
        queries.append(len(ctx.captured_queries))
    for _ in range(runs):
        started, cpu_started = time.perf_counter(), time.process_time()
        if rollback:  # seconds each: counted while timed, the capture is noise beside them
            with CaptureQueriesContext(connection) as ctx:
                once()
            queries.append(len(ctx.captured_queries))
        else:
            once()
        times.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - cpu_started) * 1000)
    row = {
        "operation": name,
        "p50_ms": round(statistics.median(times), 1),
        "p95_ms": round(_p95(times), 1),
        "queries": max(queries),
        "runs": runs,
        # CPU of this process (on SQLite that includes the database's work): on a shared,
        # loaded machine the wall clock says more about the neighbours than about Luoshi
        "cpu_p50_ms": round(statistics.median(cpu), 1),
        "load_average": round(os.getloadavg()[0], 1),
    }
    log(
        f"  {name:46} p50 {row['p50_ms']:9.1f} ms  p95 {row['p95_ms']:9.1f} ms  "
        f"CPU {row['cpu_p50_ms']:9.1f} ms  {row['queries']} q"
    )
    return row


def run_size(size: int, seed: int, only: list[str], args, rebuild: bool) -> dict:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "luoshi.settings_test")
    import django

    django.setup()
    from django.db import connection

    from bench import suite_ops
    from luoshi.lib import clock

    built = build(size, seed, rebuild)
    rows = []
    with clock.pinned_today(TODAY):
        world = suite_ops.World.find()
        for group in only:
            for name, call, rollback in getattr(suite_ops, f"ops_{group}")(world):
                runs = args.page_repeat if group in ("pages", "api") else args.repeat
                rows.append(measure(name, call, runs, rollback=rollback))
    for row in rows:
        row.update(database=connection.vendor, size=size)
    return {"rows": rows, "build": {"size": size, **built}, "machine": machine()}
