"""The bulletin settings, read from settings.LUOSHI with these defaults."""

from __future__ import annotations

from typing import Any

from django.conf import settings

DEFAULTS: dict[str, Any] = {
    # 发文机关: the red header of the document and its signature.
    "BULLETIN_ISSUER": "示范市人民政府督查室",
    # 表扬: a task closed at least this many working days before its (original) due date.
    "BULLETIN_EARLY_WORKING_DAYS": 5,
    # 考核得分与排名: each ranking group's first and last this many units (all when it is small).
    "BULLETIN_RANKING_ROWS": 5,
    # 政策兑现情况: at most this many policies listed, the most lagging first.
    "BULLETIN_POLICY_ROWS": 20,
}


def conf(name: str) -> Any:
    return settings.LUOSHI.get(name, DEFAULTS[name])
