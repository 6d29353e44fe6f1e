"""Every view in the URL configuration that hands out a file (an upload, an xlsx, a docx)
writes an audit row: found by reading the code each view reaches (its own function and the
helpers it calls, two levels down), so a new download endpoint without an audit call fails
here. The shared helper luoshi.lib.downloads.uploaded_file_response audits itself (tested in
tests/views/test_attachment_download.py and below)."""

from __future__ import annotations

import ast
import contextlib
import inspect
import textwrap
import types

from django.urls import get_resolver

FILE_MARKS = ("Content-Disposition", "FileResponse", "uploaded_file_response(", "as_attachment")
AUDIT_MARKS = ("audit_log(", "uploaded_file_response(")


def _views(resolver, namespace=""):
    for pattern in resolver.url_patterns:
        if hasattr(pattern, "url_patterns"):
            yield from _views(pattern, pattern.namespace or namespace)
        else:
            yield f"{namespace}:{pattern.name}", pattern.callback


def _unwrap(func):
    while hasattr(func, "__wrapped__"):
        func = func.__wrapped__
    return func


def _reached(func, depth=2):
    """The function and the module-level functions it calls, `depth` levels down."""
    func = _unwrap(func)
    if not isinstance(func, types.FunctionType):
        return []
    found, frontier = [func], [func]
    for _ in range(depth):
        nxt = []
        for f in frontier:
            try:
                tree = ast.parse(textwrap.dedent(inspect.getsource(f)))
            except (OSError, TypeError, SyntaxError):
                continue
            for node in ast.walk(tree):
                if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                    target = f.__globals__.get(node.func.id)
                    target = _unwrap(target) if target is not None else None
                    if isinstance(target, types.FunctionType) and target not in found:
                        found.append(target)
                        nxt.append(target)
        frontier = nxt
    return found


def _source(funcs):
    out = []
    for f in funcs:
        with contextlib.suppress(OSError, TypeError):
            out.append(inspect.getsource(f))
    return "\n".join(out)


def download_views():
    for name, callback in _views(get_resolver()):
        reached = _reached(callback)
        # a view that builds the file's response itself, or calls a helper that does
        code = _source(reached)
        if any(mark in code for mark in FILE_MARKS):
            yield name, reached, code


def test_the_walk_finds_the_known_downloads():
    names = {name for name, _r, _c in download_views()}
    assert {
        "reports:attachment",
        "ledger:export",
        "audit:export",
        "bulletins:download",
    } <= names, names


def test_every_download_view_writes_an_audit_row():
    missing = []
    for name, reached, _code in download_views():
        view_and_helpers = _source(reached)
        if not any(mark in view_and_helpers for mark in AUDIT_MARKS):
            missing.append(name)
    assert missing == [], f"download views that write no audit row: {missing}"
