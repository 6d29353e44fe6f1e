"""`make bench` (extraction part): a 30-page document, read and its tasks found.

Issue 4 asks that extracting a 30-page document take under 5 seconds. The documents are
tests/data/documents/long/plan-30-pages.docx and .pdf (32 pages in the PDF: 240 prose items in
brackets under 30 chapters, then a 60-row table running over several pages; made by
tests/data/documents/make_pdfs.py). Each is read and extracted `--runs` times in one process
(the median and the slowest are reported), and once through the real command (`luoshi extract
FILE --json`, Python and Django start-up included). The PDF must give the same tasks as the
.docx.

    python -m bench.extract
    python -m bench.extract --runs 9

Figures go to bench-results/extract.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LONG = ROOT / "tests" / "data" / "documents" / "long"


def _key(tasks: list[dict]) -> list[tuple]:
    return [
        (tuple(t["path"]), tuple(t["lead_units"]), tuple(t["co_units"]), t["due"], t["ongoing"])
        for t in tasks
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    data_dir = tempfile.mkdtemp(prefix="luoshi-bench-extract-")
    os.environ["LUOSHI_DATA_DIR"] = data_dir
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "luoshi.settings")
    import django

    django.setup()
    from luoshi.extraction.engine import extract_tasks
    from luoshi.extraction.reading import read_path

    results: dict = {
        "machine": {
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
            "load": os.getloadavg()[0],
        },
        "documents": {},
    }
    found_by_kind = {}
    for suffix in ("docx", "pdf"):
        path = LONG / f"plan-30-pages.{suffix}"
        times, cpu = [], []
        tasks: list = []
        for _ in range(args.runs):
            started, started_cpu = time.perf_counter(), time.process_time()
            tasks = extract_tasks(read_path(path))
            times.append(time.perf_counter() - started)
            cpu.append(time.process_time() - started_cpu)
        env = {**os.environ, "LUOSHI_DATA_DIR": data_dir}
        started = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-m", "luoshi.cli", "extract", str(path), "--json"],
            capture_output=True,
            text=True,
            env=env,
            check=True,
        )
        command_s = time.perf_counter() - started
        found_by_kind[suffix] = json.loads(done.stdout)
        results["documents"][path.name] = {
            "bytes": path.stat().st_size,
            "tasks": len(tasks),
            "median_s": round(statistics.median(times), 3),
            "max_s": round(max(times), 3),
            "cpu_median_s": round(statistics.median(cpu), 3),
            "command_s": round(command_s, 3),
            "runs": args.runs,
        }
    results["pdf_same_as_docx"] = _key(found_by_kind["pdf"]) == _key(found_by_kind["docx"])
    out = ROOT / "bench-results"
    out.mkdir(exist_ok=True)
    (out / "extract.json").write_text(json.dumps(results, ensure_ascii=False, indent=1) + "\n")
    for name, figures in results["documents"].items():
        print(
            f"{name}: {figures['tasks']} tasks, median {figures['median_s']} s "
            f"(max {figures['max_s']} s, CPU {figures['cpu_median_s']} s), "
            f"command {figures['command_s']} s"
        )
    print(f"PDF gives the same tasks as the .docx: {results['pdf_same_as_docx']}")
    slow = [n for n, f in results["documents"].items() if f["median_s"] >= 5]
    if slow or not results["pdf_same_as_docx"]:
        print("FAILED: " + (", ".join(slow) or "PDF differs from .docx"))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
