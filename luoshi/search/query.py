"""Searching (docs/SEARCH.md): the query's terms through the database's full-text index,
narrowed to what the user may read (policy.search_entries_for_user), checked against the
text itself, ranked and highlighted."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Count
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from luoshi.access import policy
from luoshi.search.models import SearchEntry, SearchTerm
from luoshi.search.terms import encode, index_terms, query_terms, query_words

MAX_QUERY = 50
PAGE_SIZE = 20
# the most recent matches that are ranked; a query matching more shows the best of these
MAX_CANDIDATES = 500
SNIPPET = 60


@dataclass
class Hit:
    entry: SearchEntry
    score: float
    snippet: SafeString


@dataclass
class Results:
    query: str
    hits: list[Hit]
    count: int
    page: int
    pages: int
    truncated: bool


def clean_query(raw: str) -> tuple[str, set[str], list[str]]:
    q = " ".join((raw or "").split())
    if not q:
        raise ValidationError(_("请输入要搜索的词。"))
    if len(q) > MAX_QUERY:
        raise ValidationError(_("搜索词不能超过 %(n)d 个字。") % {"n": MAX_QUERY})
    terms, words = query_terms(q), query_words(q)
    if not terms:
        raise ValidationError(_("请输入汉字、字母或数字；只有标点符号无法搜索。"))
    return q, terms, words


def _matching(qs, terms: set[str]):
    codes = sorted(encode(t) for t in terms)
    if connection.vendor == "postgresql":
        return qs.extra(
            where=["to_tsvector('simple', search_searchentry.terms) @@ to_tsquery('simple', %s)"],
            params=[" & ".join(codes)],
        )
    having = (
        SearchTerm.objects.filter(term__in=codes)
        .values("entry_id")
        .annotate(n=Count("term", distinct=True))
        .filter(n=len(codes))
        .values("entry_id")
    )
    return qs.filter(pk__in=having)


def _score(entry: SearchEntry, words: list[str]) -> float:
    title, text = entry.title.lower(), entry.text.lower()
    score = 0.0
    for w in (w.lower() for w in words):
        score += 5 * title.count(w) + text.count(w)
        if title.startswith(w) or entry.text.lower().startswith(w):
            score += 2
    return score / math.log(len(text) + 10)


def snippet(text: str, words: list[str]) -> SafeString:
    """About SNIPPET characters around the first match, the words marked (<mark>), the rest
    escaped."""
    lower = text.lower()
    at = min((lower.find(w.lower()) for w in words if w.lower() in lower), default=0)
    start = max(0, at - SNIPPET // 3)
    piece = text[start : start + SNIPPET].replace("\n", " ")
    pattern = re.compile(
        "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True)), re.IGNORECASE
    )
    parts, i = [], 0
    for m in pattern.finditer(piece):
        parts += [escape(piece[i : m.start()]), "<mark>", escape(m.group()), "</mark>"]
        i = m.end()
    parts.append(escape(piece[i:]))
    prefix = "…" if start > 0 else ""
    suffix = "…" if start + SNIPPET < len(text) else ""
    return mark_safe(prefix + "".join(parts) + suffix)


def search(user, raw: str, *, page: int = 1, kind: str = "") -> Results:
    q, terms, words = clean_query(raw)
    qs = policy.search_entries_for_user(user, SearchEntry.objects.all())
    if kind:
        qs = qs.filter(kind=kind)
    qs = _matching(qs, terms)
    # the words themselves, not just their pairs (商环 straddles two words); a word that is one
    # term (基准, 5g) is matched exactly by the index already and needs no reading of the text
    for w in words:
        if len(index_terms(w) & query_terms(w)) != 1 or len(query_terms(w)) != 1:
            qs = qs.filter(text__icontains=w)
    candidates = list(
        qs.select_related("task", "source", "unit").order_by("-updated_at", "-id")[
            : MAX_CANDIDATES + 1
        ]
    )
    truncated = len(candidates) > MAX_CANDIDATES
    candidates = candidates[:MAX_CANDIDATES]
    ranked = sorted(((_score(e, words), e) for e in candidates), key=lambda pair: -pair[0])
    count = len(ranked)
    pages = max(1, math.ceil(count / PAGE_SIZE))
    page = min(max(1, page), pages)
    hits = [
        Hit(entry=e, score=s, snippet=snippet(e.text, words))
        for s, e in ranked[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    ]
    return Results(query=q, hits=hits, count=count, page=page, pages=pages, truncated=truncated)
