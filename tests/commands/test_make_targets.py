"""Every `make <target>` the README and the docs tell people to run exists in the Makefile
(the load test's and the fuzzing's targets were once lost in a rewrite, unnoticed)."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_every_documented_make_target_exists():
    defined = set(re.findall(r"^([a-z][a-z-]*):", (ROOT / "Makefile").read_text(), re.M))
    documents = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
    named = {
        (doc.name, target)
        for doc in documents
        for target in re.findall(r"`make ([a-z][a-z-]*)", doc.read_text())
    }
    assert named, "no `make …` found in the docs"
    missing = sorted((doc, target) for doc, target in named if target not in defined)
    assert missing == []
