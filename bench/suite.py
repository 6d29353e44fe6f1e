"""`make bench`: the benchmark suite on generated provinces (`luoshi generate`).

For each size (tasks) it builds a province once — 1 unit per 100 tasks (at least 50), 10
reports per task, a year of history up to TODAY — in its own database, kept for the next run
(SQLite: bench-cache/sqlite-<size>-s<seed>/; PostgreSQL: database luoshi_suite_<size>_s<seed>
on the server of DATABASE_URL), then times what people wait for, in-process through Django's
test client (middleware, session or token, policy, template):

    pages   工作台 per role, 任务台账 unfiltered and filtered, a task page, the cockpit
    api     GET /api/v1/tasks with and without filters
    report  填报 through the view (POST)
    tick    one day's tick (daily_tick) for the next working day
    scoring a year's scoring (period_score) with the default scheme
    ledger  导入台账 of 5,000 rows (preview and commit) and 导出台账 (one source; a unit's own)

Pages run 20 times, the rest 5 (--page-repeat, --repeat); each operation records p50, p95 and
the SQL queries of one run. Whatever changes the database runs inside a transaction that is
rolled back, so every run meets the same database and a kept one stays as built.

    python -m bench.suite                                    # SQLite, 10k, 50k and 200k tasks
    python -m bench.suite --sizes 10000 --only pages,api
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/luoshi python -m bench.suite

Figures go to bench-results/suite-<database>.json and suite-<database>.md.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GROUPS = ("pages", "api", "report", "tick", "scoring", "ledger")


def _vendor() -> str:
    return "postgresql" if os.environ.get("DATABASE_URL") else "sqlite"


def _size_env(size: int, seed: int) -> dict[str, str]:
    """The environment of the child process measuring one size: its own database."""
    env = dict(os.environ)
    name = f"{_vendor()}-{size}-s{seed}"
    env["LUOSHI_DATA_DIR"] = str(ROOT / "bench-cache" / name)
    env["DJANGO_SETTINGS_MODULE"] = "luoshi.settings_test"
    env["ALLOWED_HOSTS"] = "testserver,127.0.0.1,localhost"
    if _vendor() == "postgresql":
        from urllib.parse import urlsplit, urlunsplit

        url = urlsplit(os.environ["DATABASE_URL"])
        db = f"luoshi_suite_{size}_s{seed}"
        env["DATABASE_URL"] = urlunsplit(url._replace(path=f"/{db}"))
        _pg_create(urlunsplit(url._replace(path="/postgres")), db)
    Path(env["LUOSHI_DATA_DIR"]).mkdir(parents=True, exist_ok=True)
    return env


def _pg_create(admin_url: str, db: str) -> None:
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [db]).fetchone():
            conn.execute(f'CREATE DATABASE "{db}"')


def _markdown(rows: list[dict], build: list[dict]) -> str:
    lines = [
        "| operation | database | size | p50 ms | p95 ms | queries | runs | CPU p50 ms | load |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        lines.append(
            f"| {r['operation']} | {r['database']} | {r['size']:,} | {r['p50_ms']:,} | "
            f"{r['p95_ms']:,} | {r['queries']} | {r['runs']} | {r.get('cpu_p50_ms', '')} | "
            f"{r.get('load_average', '')} |"
        )
    lines += [
        "",
        "| size | built | build wall s | build CPU s | load average |",
        "|---|---|---:|---:|---|",
    ]
    for b in build:
        lines.append(
            f"| {b['size']:,} | {b.get('built_now')} | {b.get('wall_s')} | {b.get('cpu_s')} | "
            f"{b.get('load_average')} |"
        )
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,50000,200000")
    parser.add_argument("--only", default=",".join(GROUPS), help=",".join(GROUPS))
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--page-repeat", type=int, default=20)
    parser.add_argument("--rebuild", action="store_true", help="build again even if kept")
    parser.add_argument("--size", type=int, help=argparse.SUPPRESS)  # the child's one size
    args = parser.parse_args(argv)
    only = [g for g in args.only.split(",") if g]
    unknown = [g for g in only if g not in GROUPS]
    if unknown:
        parser.error(f"unknown --only {unknown}: choose from {', '.join(GROUPS)}")
    if args.size:
        from bench.suite_run import run_size

        print(json.dumps(run_size(args.size, args.seed, only, args, args.rebuild)), flush=True)
        return 0

    rows: list[dict] = []
    builds: list[dict] = []
    out = ROOT / "bench-results"
    out.mkdir(exist_ok=True)
    for size in [int(s) for s in args.sizes.split(",") if s]:
        started = time.perf_counter()
        command = [sys.executable, "-m", "bench.suite", "--size", str(size)]
        command += ["--seed", str(args.seed), "--only", ",".join(only)]
        command += ["--repeat", str(args.repeat), "--page-repeat", str(args.page_repeat)]
        if args.rebuild:
            command.append("--rebuild")
        print(f"== {size:,} tasks on {_vendor()}", flush=True)
        done = subprocess.run(
            command, env=_size_env(size, args.seed), cwd=ROOT, stdout=subprocess.PIPE, text=True
        )
        if done.returncode:
            print(f"size {size} failed ({done.returncode})", file=sys.stderr)
            return done.returncode
        result = json.loads(done.stdout.strip().splitlines()[-1])
        rows += result["rows"]
        builds.append(result["build"])
        print(f"   done in {time.perf_counter() - started:.0f} s", flush=True)
        data = {"rows": rows, "builds": builds, "machine": result["machine"]}
        (out / f"suite-{_vendor()}.json").write_text(json.dumps(data, ensure_ascii=False, indent=2))
        (out / f"suite-{_vendor()}.md").write_text(_markdown(rows, builds))
    print((out / f"suite-{_vendor()}.md").read_text())
    return 0


if __name__ == "__main__":
    sys.exit(main())
