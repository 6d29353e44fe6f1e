"""Cutting Chinese (and mixed) text into search terms, the same way for what is indexed and
what is asked.

Chinese runs become their single characters and overlapping character pairs (bigrams):
优化营商环境 → 优 化 营 商 环 境 优化 化营 营商 商环 环境. A query's run becomes its pairs (or its
one character), so 营商环境 asks for 营商 商环 环境, all of which 优化营商环境 holds: found. Runs
of Latin letters and digits are words, lower-cased: "5G基站" → 5g 基 站 基站; "2026-ZD-012" →
2026 zd 012. No dictionary: nothing to load or download, and no word a dictionary lacks
(a place name, a project's name) is ever missed; the price is that a pair may straddle two
words (商环), which the final check on the text itself removes.

Stored, each term is written in ASCII ("x" + the UTF-8 hex of a Chinese term, "w" + a word)
so that SQLite's FTS5 and PostgreSQL's 'simple' parser read each as one token whatever the
database's locale.
"""

from __future__ import annotations

import re

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_RUNS = re.compile(rf"[{_CJK}]+|[0-9a-z]+")
_IS_CJK = re.compile(rf"[{_CJK}]")


def _runs(text: str) -> list[str]:
    return _RUNS.findall((text or "").lower())


def index_terms(text: str) -> set[str]:
    """Every term of a text, for the index."""
    terms: set[str] = set()
    for run in _runs(text):
        if _IS_CJK.match(run):
            terms.update(run)
            terms.update(run[i : i + 2] for i in range(len(run) - 1))
        else:
            terms.add(run)
    return terms


def query_terms(text: str) -> set[str]:
    """The terms a query asks for (all of them must be present)."""
    terms: set[str] = set()
    for run in _runs(text):
        if _IS_CJK.match(run) and len(run) > 1:
            terms.update(run[i : i + 2] for i in range(len(run) - 1))
        else:
            terms.add(run)
    return terms


def query_words(text: str) -> list[str]:
    """The query's words as typed (split on spaces and punctuation), for the check on the
    text and for highlighting."""
    return [w for w in re.split(rf"[^{_CJK}0-9A-Za-z]+", text or "") if w]


def encode(term: str) -> str:
    return ("x" + term.encode().hex()) if _IS_CJK.match(term) else ("w" + term)


def encoded(terms: set[str]) -> str:
    return " ".join(sorted(encode(t) for t in terms))
