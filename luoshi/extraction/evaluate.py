"""Precision and recall of extraction over a folder of documents with expected answers.

Each document `NAME.docx|.txt|.pdf` has `NAME.expected.json` beside it: a list of objects with
`path` (and/or `title`), `lead_units`, `co_units`, `due`, `ongoing`. Found tasks are paired with
expected ones by numbering path (when the expected one has a path), else by title.

- tasks: paired / found (precision), paired / expected (recall);
- lead units and co-units: names counted over all tasks — a name is right when the paired
  expected task has it in the same role;
- due: a task's (due, ongoing) counted over the tasks that have one, right when equal.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .engine import FoundTask, extract_tasks
from .reading import SUFFIXES, read_path

MEASURES = ("tasks", "lead_units", "co_units", "due")


@dataclass
class Count:
    right_found: int = 0  # found items that are right
    found: int = 0
    right_expected: int = 0  # expected items that were found
    expected: int = 0

    @property
    def precision(self) -> float:
        return self.right_found / self.found if self.found else 1.0

    @property
    def recall(self) -> float:
        return self.right_expected / self.expected if self.expected else 1.0

    def add(self, other: Count) -> None:
        self.right_found += other.right_found
        self.found += other.found
        self.right_expected += other.right_expected
        self.expected += other.expected


@dataclass
class Report:
    documents: list[tuple[str, dict[str, Count]]] = field(default_factory=list)

    def total(self) -> dict[str, Count]:
        total = {m: Count() for m in MEASURES}
        for _name, counts in self.documents:
            for m in MEASURES:
                total[m].add(counts[m])
        return total


def _norm(title: str) -> str:
    return re.sub(r"[\s。，,；;：:“”\"]", "", title or "")


def _pair(found: list[FoundTask], expected: list[dict]) -> list[tuple[FoundTask, dict]]:
    pairs: list[tuple[FoundTask, dict]] = []
    free = list(found)
    for want in expected:
        match = None
        if want.get("path"):
            match = next((f for f in free if f.path == list(want["path"])), None)
        if match is None and want.get("title"):
            match = next((f for f in free if _norm(f.title) == _norm(want["title"])), None)
        if match is not None:
            free.remove(match)
            pairs.append((match, want))
    return pairs


def _due(item: FoundTask | dict) -> tuple[str | None, bool] | None:
    due, ongoing = (
        (item.due, item.ongoing)
        if isinstance(item, FoundTask)
        else (item.get("due"), item.get("ongoing", False))
    )
    if due is None and not ongoing:
        return None
    return due, bool(ongoing)


def score(found: list[FoundTask], expected: list[dict]) -> dict[str, Count]:
    pairs = _pair(found, expected)
    counts = {m: Count() for m in MEASURES}
    counts["tasks"] = Count(len(pairs), len(found), len(pairs), len(expected))
    for role in ("lead_units", "co_units"):
        c = counts[role]
        c.found = sum(len(getattr(f, role)) for f in found)
        c.expected = sum(len(e.get(role, [])) for e in expected)
        for f, e in pairs:
            right = len(set(getattr(f, role)) & set(e.get(role, [])))
            c.right_found += right
            c.right_expected += right
    c = counts["due"]
    c.found = sum(1 for f in found if _due(f) is not None)
    c.expected = sum(1 for e in expected if _due(e) is not None)
    for f, e in pairs:
        if _due(f) is not None and _due(f) == _due(e):
            c.right_found += 1
            c.right_expected += 1
    return counts


def documents(folder: str | Path) -> Iterable[tuple[Path, Path]]:
    """(document, expected answers) pairs in a folder, by name."""
    for doc in sorted(Path(folder).iterdir()):
        if doc.suffix.lower() in SUFFIXES:
            answers = doc.with_name(doc.stem + ".expected.json")
            if answers.exists():
                yield doc, answers


def evaluate(folder: str | Path) -> Report:
    report = Report()
    for doc, answers in documents(folder):
        expected = json.loads(answers.read_text(encoding="utf-8"))
        found = extract_tasks(read_path(doc))
        report.documents.append((doc.name, score(found, expected)))
    return report


def format_report(report: Report) -> str:
    lines = []
    header = f"{'document':40} " + " ".join(f"{m:>17}" for m in MEASURES)
    lines.append(header)
    lines.append(" " * 41 + " ".join(f"{'P':>8} {'R':>8}" for _m in MEASURES))
    rows = [*report.documents, ("TOTAL", report.total())]
    for name, counts in rows:
        cells = " ".join(f"{counts[m].precision:8.3f} {counts[m].recall:8.3f}" for m in MEASURES)
        lines.append(f"{name[:40]:40} {cells}")
    total = report.total()
    lines.append(
        "counts: "
        + ", ".join(f"{m} {total[m].found} found / {total[m].expected} expected" for m in MEASURES)
    )
    return "\n".join(lines)
