"""`make bench` (ledger part): importing a 5,000-row ledger, preview and commit.

Issue 4 asks that importing a 5,000-row ledger (preview and commit) take under 10 seconds.
The ledger is made here with openpyxl in the layout offices use: a title row, a filler row,
a merged two-row header (责任单位 › 牵头单位 / 配合单位), 10 chapters (一、) of 5 sections
(（一）) each, and 4,940 tasks numbered 1. 2. … with units written as abbreviations (市发改委,
市住建局 …) separated by 、 ； and line breaks, and deadlines in every usual form.

Each run reads the file and builds the preview plan (units matched, deadlines parsed, tree
built) — what the 导入台账 upload does — then commits it into a new source in one transaction
(all 5,000 tasks, their lead and co-units and history entries). The median and the slowest of
`--runs` are reported, with the machine's core count and load and the CPU seconds this process
spent (on a shared machine the wall time alone says little). Then the same file goes through
the pages once: upload, the preview page, 确认导入.

    python -m bench.ledger
    DATABASE_URL=postgres://… python -m bench.ledger --runs 3

Figures go to bench-results/ledger.json.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
UNITS = (
    "市发改委",
    "市工信局",
    "市财政局",
    "市住建局",
    "市人社局",
    "市政务办",
    "市交通局",
    "市科技局",
    "市市场监管局",
    "市自然资源和规划局",
    "市农业农村局",
    "东城区",
)
DEADLINES = (
    "年底前",
    "6月底前",
    "2026年9月30日",
    "三季度末前",
    "上半年",
    "长期坚持",
    "2026年12月底前",
    "持续推进",
    "10月31日前",
)
CN = "一二三四五六七八九十"


def make_ledger(rows: int = 5000, units: tuple[str, ...] = UNITS) -> bytes:
    """A ledger of `rows` tasks led and helped by `units` (names the database knows)."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["示范市2026年重点工作任务推进台账"])
    ws.append(["填报单位：督查室"])
    ws.append(
        ["序号", "工作任务", "具体内容", "牵头领导", "责任单位", None, "完成时限", "进展情况"]
    )
    ws.append([None, None, None, None, "牵头单位", "配合单位", None, None])
    for ref in ("A1:H1", "A2:H2", "A3:A4", "B3:B4", "C3:C4", "D3:D4", "E3:F3", "G3:G4", "H3:H4"):
        ws.merge_cells(ref)
    chapters, sections = 10, 5
    per_section = (rows - chapters - chapters * sections) // (chapters * sections)
    extra = rows - chapters - chapters * sections - per_section * chapters * sections
    n = 0
    for c in range(chapters):
        ws.append([CN[c], f"第{c + 1}方面重点工作", None, None, None, None, None, None])
        for s in range(sections):
            ws.append(
                [f"（{CN[s]}）", f"第{c + 1}.{s + 1}类任务", None, None, None, None, None, None]
            )
            count = per_section + (1 if extra > 0 else 0)
            extra -= 1
            for _ in range(count):
                n += 1
                lead = units[n % len(units)]
                co = [units[(n + k) % len(units)] for k in (1, 2, 3)][: n % 4]
                sep = ("、", "；", "\n")[n % 3]
                ws.append(
                    [
                        str(n),
                        f"重点任务第{n}项：推进某某工程建设",
                        f"完成年度目标的{n % 100}%，新增项目{n % 37}个",
                        None,
                        lead,
                        sep.join(co),
                        DEADLINES[n % len(DEADLINES)],
                        f"已完成{n % 90}%" if n % 2 else None,
                    ]
                )
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--rows", type=int, default=5000)
    args = parser.parse_args(argv)
    data_dir = tempfile.mkdtemp(prefix="luoshi-bench-ledger-")
    os.environ["LUOSHI_DATA_DIR"] = data_dir
    os.environ["ALLOWED_HOSTS"] = "testserver,127.0.0.1,localhost"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "luoshi.settings_test")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from luoshi.demo.units import build_units
    from luoshi.ledger.plan import plan_commit, plan_from_rows
    from luoshi.ledger.reader import read_sheet, sheet_rows
    from luoshi.org.models import Role, User
    from luoshi.tasks.models import Task
    from luoshi.tasks.services.sources import source_create

    if connection.vendor == "postgresql":
        call_command("flush", interactive=False, verbosity=0)
    call_command("migrate", verbosity=0)
    build_units(actor=None)
    sup = User.objects.create_user("bench_sup", password="x-bench-2026", role=Role.SUPERVISOR)
    data = make_ledger(args.rows)
    previews, commits, totals, cpu = [], [], [], []
    for run in range(args.runs):
        started, cpu_started = time.perf_counter(), time.process_time()
        sheet = read_sheet(data)
        plan = plan_from_rows(sheet_rows(sheet, sheet.mapping), actor=sup, year=2026)
        preview_s = time.perf_counter() - started
        assert not plan.blocking, plan.blocking[:3]
        assert len(plan.rows) == args.rows, len(plan.rows)
        source = source_create(actor=sup, kind="document", title=f"台账{run}", code=f"B{run}")
        started = time.perf_counter()
        result = plan_commit(actor=sup, plan=plan, source=source)
        commit_s = time.perf_counter() - started
        cpu.append(time.process_time() - cpu_started)
        assert result["created"] == args.rows
        assert Task.objects.filter(source=source).count() == args.rows
        previews.append(preview_s)
        commits.append(commit_s)
        totals.append(preview_s + commit_s)
        print(f"run {run + 1}: preview {preview_s:.2f} s, commit {commit_s:.2f} s")
    # the same through the pages: upload (read and kept), the preview page, 确认导入
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client

    client = Client()
    client.force_login(sup)
    started = time.perf_counter()
    response = client.post(
        "/ledger/import/",
        {"file": SimpleUploadedFile("ledger.xlsx", data), "year": 2026, "new_source_title": "页"},
    )
    upload_s = time.perf_counter() - started
    assert response.status_code == 302, response.status_code
    started = time.perf_counter()
    page = client.get(response["Location"])
    page_s = time.perf_counter() - started
    assert page.status_code == 200
    started = time.perf_counter()
    done = client.post(response["Location"] + "confirm/")
    confirm_s = time.perf_counter() - started
    assert done.status_code == 302 and "/tasks/" in done["Location"], done["Location"]
    print(f"pages: upload {upload_s:.2f} s, preview page {page_s:.2f} s, confirm {confirm_s:.2f} s")
    results = {
        "rows": args.rows,
        "file_bytes": len(data),
        "database": connection.vendor,
        "preview_s": {
            "median": round(statistics.median(previews), 2),
            "max": round(max(previews), 2),
        },
        "commit_s": {"median": round(statistics.median(commits), 2), "max": round(max(commits), 2)},
        "cpu_s_this_process": round(statistics.median(cpu), 2),
        "total_s": {"median": round(statistics.median(totals), 2), "max": round(max(totals), 2)},
        "pages_s": {
            "upload": round(upload_s, 2),
            "preview_page": round(page_s, 2),
            "confirm": round(confirm_s, 2),
        },
        "goal_s": 10,
        "machine": {
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
            "load": round(os.getloadavg()[0], 2),
        },
    }
    out = ROOT / "bench-results"
    out.mkdir(exist_ok=True)
    (out / "ledger.json").write_text(json.dumps(results, ensure_ascii=False, indent=2))
    print(json.dumps(results, ensure_ascii=False, indent=2))
    return 0 if results["total_s"]["median"] < 10 else 1


if __name__ == "__main__":
    sys.exit(main())
