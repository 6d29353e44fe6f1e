"""Accuracy over the evaluation set (tests/data/documents): at least 0.95 precision and recall
for tasks, lead units, co-units and deadlines. The figures are kept in docs/DOCUMENTS.md."""

from __future__ import annotations

from pathlib import Path

from luoshi.extraction.engine import FoundTask
from luoshi.extraction.evaluate import MEASURES, documents, evaluate, score

DOCS = Path(__file__).resolve().parents[1] / "data" / "documents"


def test_the_set_has_the_shared_sample_and_at_least_eight_of_our_own() -> None:
    names = [doc.name for doc, _answers in documents(DOCS)]
    assert "fengong-fangan-prose.txt" in names
    assert len(names) >= 9
    assert {Path(n).suffix for n in names} == {".txt", ".docx", ".pdf"}


def test_precision_and_recall_at_least_095() -> None:
    total = evaluate(DOCS).total()
    for measure in MEASURES:
        assert total[measure].expected > 0
        assert total[measure].precision >= 0.95, measure
        assert total[measure].recall >= 0.95, measure


def test_scoring_counts_misses_and_extras() -> None:
    expected = [
        {"path": ["1"], "lead_units": ["甲局"], "co_units": ["乙局"], "due": "2026-06-30"},
        {"path": ["2"], "lead_units": ["丙局"], "co_units": [], "due": None, "ongoing": True},
    ]
    found = [
        FoundTask("一", "一", ["甲局"], ["丁局"], "2026-06-30", "6月底前", False, ["1"]),
        FoundTask("三", "三", ["戊局"], [], None, "", False, ["3"]),
    ]
    counts = score(found, expected)
    assert (counts["tasks"].precision, counts["tasks"].recall) == (0.5, 0.5)
    assert (counts["lead_units"].precision, counts["lead_units"].recall) == (0.5, 0.5)
    assert (counts["co_units"].precision, counts["co_units"].recall) == (0.0, 0.0)
    assert (counts["due"].precision, counts["due"].recall) == (1.0, 0.5)
