"""`python -m load.rush` (`make loadtest`): the deadline rush, proven on this machine.

    python -m load.rush                      # 2,000 units, ten minutes, SQLite in a temp dir
    python -m load.rush --quick              # 200 units, one minute
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/luoshi_load python -m load.rush
                                             # PostgreSQL: THE DATABASE IS EMPTIED first

Steps: a scratch database (SQLite in a temporary LUOSHI_DATA_DIR, or the given PostgreSQL
database with its schema dropped), migrated; the city of load/world.py (bulk inserts);
gunicorn on 127.0.0.1 (tests/support/server.py); locust headless (load/locustfile.py) with
one simulated liaison per unit, their arrivals spread over the run with most near the end,
and readers (office, leaders) loading the 台账, task pages and the cockpit; then the checks
in the database:

- every report the server acknowledged (302 to its task page) is there exactly once, with
  its history event and audit row; a double click or retry of one form is one report;
- no report is there that was not acknowledged (or whose request did not fail visibly);
- zero HTTP errors.

Figures (p50/p95/p99/max per request type, totals, the machine, its load average) go to
bench-results/loadtest-<database>[-quick].json; a full run also writes its table into
docs/LOADTEST.md. The exit status is 1 when a check fails.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "LOADTEST.md"
# gunicorn per database (docs/LOADTEST.md): SQLite has one writer at a time (IMMEDIATE
# transactions queue on the busy timeout), so fewer processes with more threads; PostgreSQL
# takes writers in parallel, so a process per core and one more.
SERVER = {"sqlite": {"workers": 2, "threads": 6}, "postgresql": {"workers": 3, "threads": 4}}


def _percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    k = (len(ordered) - 1) * q
    low, high = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (k - low)


def _empty_postgres(url: str) -> None:
    import psycopg

    name = urlparse(url).path.lstrip("/")
    if name in ("", "luoshi", "postgres"):
        raise SystemExit(f"refusing to empty the database {name!r}: give a scratch database")
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("DROP SCHEMA IF EXISTS public CASCADE")
        conn.execute("CREATE SCHEMA public")


def _arrivals(n: int, seconds: float, seed: int) -> list[dict]:
    """Arrival second of each liaison: Beta(4, 1.3) over the run, so most come near the
    end (about half in the last fifth); 5% double-click, 3% retry, a third attach a file."""
    rng = random.Random(seed)
    modes = ["double"] * 5 + ["retry"] * 3 + ["once"] * 92
    return [
        {
            "at": round(rng.betavariate(4, 1.3) * seconds * 0.97, 2),
            "mode": rng.choice(modes),
            "attach": rng.random() < 1 / 3,
        }
        for _ in range(n)
    ]


def _machine() -> dict:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "system": platform.platform(),
    }


def _db_version() -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SHOW server_version"
            if connection.vendor == "postgresql"
            else "SELECT sqlite_version()"
        )
        return f"{connection.vendor} {cursor.fetchone()[0]}"


def check_database(outcomes: list[dict]) -> dict:
    """Compare what the clients were told with what the database holds."""
    from luoshi.audit.models import AuditEvent
    from luoshi.reports.models import ProgressReport
    from luoshi.tasks.models import EventKind, TaskEvent

    rows = list(ProgressReport.objects.exclude(submit_key=None).values("pk", "submit_key", "task"))
    by_key: dict[str, list[dict]] = {}
    for row in rows:
        by_key.setdefault(row["submit_key"], []).append(row)
    acked = {o["key"]: o for o in outcomes if o["key"] and o["acked"]}
    # not acknowledged: refused visibly, or no answer before locust stopped the client (the
    # server may have committed it; the client was never told it was saved)
    failed_keys = {o["key"] for o in outcomes if o["key"] and not o["acked"]}
    no_answer = [o for o in outcomes if o["key"] and not o["acked"] and not o["failed"]]
    lost = [k for k in acked if k not in by_key]
    duplicated = [k for k, found in by_key.items() if len(found) > 1]
    wrong_task = [k for k, o in acked.items() if k in by_key and by_key[k][0]["task"] != o["task"]]
    unacknowledged = [k for k in by_key if k not in acked and k not in failed_keys]
    report_ids = {r["pk"] for r in rows}
    event_reports = [
        e["data"].get("report")
        for e in TaskEvent.objects.filter(kind=EventKind.REPORTED).values("data")
    ]
    events = {r: event_reports.count(r) for r in report_ids}
    audits = set(
        AuditEvent.objects.filter(action="report.submit").values_list("object_id", flat=True)
    )
    return {
        "liaisons": len(outcomes),
        "acknowledged": len(acked),
        "in_database": len(by_key),
        "report_rows": len(rows),
        "lost": len(lost),
        "duplicated": len(duplicated),
        "wrong_task": len(wrong_task),
        "unacknowledged_in_database": len(unacknowledged),
        "not_acknowledged": len(failed_keys),
        "no_answer_before_stop": len(no_answer),
        "without_event": sum(1 for n in events.values() if n != 1),
        "without_audit": sum(1 for r in report_ids if str(r) not in audits),
        "double_clicks": sum(1 for o in outcomes if o["mode"] == "double"),
        "retries": sum(1 for o in outcomes if o["mode"] == "retry"),
        "examples": {"lost": lost[:5], "duplicated": duplicated[:5]},
    }


def _figures(times: dict[str, list[float]], failures: dict[str, list[str]]) -> dict:
    out = {}
    for name in sorted(times):
        values = times[name]
        out[name] = {
            "count": len(values),
            "errors": len(failures.get(name, [])),
            "p50_ms": round(_percentile(values, 0.50), 1),
            "p95_ms": round(_percentile(values, 0.95), 1),
            "p99_ms": round(_percentile(values, 0.99), 1),
            "max_ms": round(max(values), 1) if values else 0,
        }
    return out


def _table(result: dict) -> str:
    lines = [
        f"Run of {result['date']} on {result['database']} — {result['units']} units in "
        f"{result['minutes']} min, {result['readers']} readers; gunicorn "
        f"{result['server']['workers']} workers × {result['server']['threads']} threads; "
        f"{result['machine']['cores']} cores ({result['machine']['cpu']}); load average "
        f"{result['load_before'][0]:.1f} before, {result['load_after'][0]:.1f} after"
        f"{' (shared machine)' if result['load_before'][0] > result['machine']['cores'] else ''}.",
        "",
        "| request | count | errors | p50 ms | p95 ms | p99 ms | max ms |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for name, f in result["requests"].items():
        lines.append(
            f"| {name} | {f['count']} | {f['errors']} | {f['p50_ms']:.0f} | {f['p95_ms']:.0f} "
            f"| {f['p99_ms']:.0f} | {f['max_ms']:.0f} |"
        )
    c = result["check"]
    t = result["totals"]
    lines += [
        "",
        f"Totals: {t['requests']} requests in {t['elapsed_s']:.0f} s ({t['rps']:.1f}/s), "
        f"{t['errors']} errors; reports acknowledged {c['acknowledged']}, in the database "
        f"{c['in_database']}, lost {c['lost']}, duplicated {c['duplicated']}, in the database "
        f"without acknowledgement or visible failure {c['unacknowledged_in_database']}; "
        f"{c['no_answer_before_stop']} liaisons had sent their form and no answer yet "
        f"when the run's time was up "
        f"(of all liaisons {c['double_clicks']} double-click and {c['retries']} retry); "
        f"peak arrivals {result['peak_per_minute']} liaisons in one minute. "
        f"Verdict: **{'pass' if result['ok'] else 'FAIL'}**.",
    ]
    return "\n".join(lines)


def _write_doc(result: dict) -> None:
    db = result["database"]
    start, end = f"<!-- loadtest:{db} -->", f"<!-- /loadtest:{db} -->"
    text = DOC.read_text() if DOC.exists() else ""
    block = f"{start}\n{_table(result)}\n{end}"
    if start in text and end in text:
        text = text[: text.index(start)] + block + text[text.index(end) + len(end) :]
    else:
        text = text.rstrip() + "\n\n" + block + "\n"
    DOC.write_text(text)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m load.rush", description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="200 units in one minute")
    parser.add_argument("--units", type=int)
    parser.add_argument("--minutes", type=float)
    parser.add_argument("--readers", type=int, default=2, help="reader users per account (3)")
    parser.add_argument("--workers", type=int)
    parser.add_argument("--threads", type=int)
    parser.add_argument("--seed", type=int, default=8)
    parser.add_argument("--keep", action="store_true", help="keep the scratch data dir")
    parser.add_argument("--no-doc", action="store_true", help="do not write docs/LOADTEST.md")
    args = parser.parse_args(argv)
    units = args.units or (200 if args.quick else 2000)
    minutes = args.minutes or (1.0 if args.quick else 10.0)
    database_url = os.environ.get("DATABASE_URL", "")

    data_dir = Path(tempfile.mkdtemp(prefix="luoshi-load-"))
    os.environ["LUOSHI_DATA_DIR"] = str(data_dir)
    os.environ["DJANGO_SETTINGS_MODULE"] = "load.settings"
    sys.path.insert(0, str(ROOT))
    if database_url:
        _empty_postgres(database_url)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from load.world import world_build
    from tests.support.server import LuoshiServer

    vendor = connection.vendor
    server_conf = dict(SERVER[vendor])
    server_conf["workers"] = args.workers or server_conf["workers"]
    server_conf["threads"] = args.threads or server_conf["threads"]
    results_dir = ROOT / "bench-results"
    results_dir.mkdir(exist_ok=True)
    try:
        print(f"[load] migrating the scratch database ({vendor}, {data_dir})", flush=True)
        t = time.monotonic()
        call_command("migrate", verbosity=0, interactive=False)
        took = time.monotonic() - t
        print(f"[load] migrated in {took:.0f} s; building {units} units", flush=True)
        t = time.monotonic()
        plan = world_build(units=units)
        print(f"[load] built in {time.monotonic() - t:.0f} s", flush=True)
        db_version = _db_version()
        connection.close()
        seconds = minutes * 60
        for entry, arrival in zip(
            plan["liaisons"], _arrivals(units, seconds, args.seed), strict=True
        ):
            entry.update(arrival)
        per_minute = [0] * (int(minutes) + 1)
        for entry in plan["liaisons"]:
            per_minute[int(entry["at"] // 60)] += 1
        plan["readers_per_account"] = args.readers
        plan_path, results_path = data_dir / "plan.json", data_dir / "results.json"
        plan_path.write_text(json.dumps(plan))
        readers = len(plan["readers"]) * args.readers
        load_before = os.getloadavg()
        with LuoshiServer(
            data_dir=data_dir,
            database_url=database_url or None,
            settings="load.settings",
            timeout=120,
            # idle keep-alive connections outlive a reader's pause (1–4 s), so a reused
            # connection is not closed by the server just as the client sends on it
            extra_args=["--keep-alive", "10"],
            **server_conf,
        ) as server:
            print(
                f"[load] server at {server.url} ({server_conf}); locust for {minutes} min",
                flush=True,
            )
            env = {**os.environ, "LOAD_PLAN": str(plan_path), "LOAD_RESULTS": str(results_path)}
            env.pop("DJANGO_SETTINGS_MODULE")
            locust = subprocess.run(
                [
                    str(Path(sys.executable).parent / "locust"),
                    "-f",
                    str(ROOT / "load" / "locustfile.py"),
                    "--headless",
                    "--users",
                    str(units + readers),
                    "--spawn-rate",
                    "500",
                    "--run-time",
                    f"{int(seconds + 300)}s",
                    "--stop-timeout",
                    "60",
                    "--host",
                    server.url,
                    "--only-summary",
                    "--loglevel",
                    "WARNING",
                ],
                env=env,
                cwd=ROOT,
                check=False,
            )
            load_after = os.getloadavg()
            server_log = server.log_tail(4000)
        data = json.loads(results_path.read_text())
        check = check_database(data["outcomes"])
        requests = _figures(data["times_ms"], data["failures"])
        total_requests = sum(f["count"] for f in requests.values())
        errors = sum(f["errors"] for f in requests.values())
        ok = (
            errors == 0
            and check["liaisons"] == units
            and check["acknowledged"] == units
            and check["in_database"] == units
            and check["report_rows"] == units
            and not any(
                check[k]
                for k in (
                    "lost",
                    "duplicated",
                    "wrong_task",
                    "unacknowledged_in_database",
                    "without_event",
                    "without_audit",
                )
            )
        )
        result = {
            "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
            "database": vendor,
            "database_version": db_version,
            "quick": args.quick,
            "units": units,
            "minutes": minutes,
            "readers": readers,
            "server": server_conf,
            "machine": _machine(),
            "load_before": [round(x, 2) for x in load_before],
            "load_after": [round(x, 2) for x in load_after],
            "peak_per_minute": max(per_minute),
            "arrivals_per_minute": per_minute,
            "requests": requests,
            "totals": {
                "requests": total_requests,
                "errors": errors,
                "elapsed_s": round(data["elapsed_s"], 1),
                "rps": round(total_requests / max(data["elapsed_s"], 1), 2),
            },
            "check": check,
            "locust_exit": locust.returncode,
            "ok": ok,
        }
        if not ok:
            result["failures"] = {k: v[:5] for k, v in data["failures"].items()}
            result["server_log_tail"] = server_log
        name = f"loadtest-{vendor}{'-quick' if args.quick else ''}.json"
        (results_dir / name).write_text(json.dumps(result, indent=2, ensure_ascii=False))
        print(_table(result))
        print(f"[load] figures: bench-results/{name}")
        if not args.quick and not args.no_doc:
            _write_doc(result)
            print("[load] table written to docs/LOADTEST.md")
        return 0 if ok else 1
    finally:
        if not args.keep:
            shutil.rmtree(data_dir, ignore_errors=True)
        else:
            print(f"[load] scratch data kept in {data_dir}")


if __name__ == "__main__":
    sys.exit(main())
