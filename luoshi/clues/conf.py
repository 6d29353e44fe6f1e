"""The public clue page's limits. Each can be set in settings.LUOSHI (tests override them
there); the defaults are here so that settings.py need not list them.

  CLUE_CAPTCHA               True: the form asks a CAPTCHA (image, or a text question)
  CLUE_CAPTCHA_MAX_AGE       seconds a CAPTCHA token stays valid
  CLUE_RATE_SUBMIT           (count, seconds): submissions per client address per window
  CLUE_RATE_LOOKUP           (count, seconds): status look-ups per client address per window
  CLUE_RATE_CAPTCHA          (count, seconds): CAPTCHA images per client address per window
  CLUE_MIN_FILL_SECONDS      a form sent back sooner than this after it was served is refused
  CLUE_TEXT_MIN / _MAX       length of the clue's text, in characters
  CLUE_PHOTO_MAX_BYTES       size of an uploaded photo
  CLUE_PHOTO_MAX_PIXELS      width × height of an uploaded photo (decompression bombs)
  CLUE_PHOTO_MAX_SIDE        the stored photo's longest side (larger ones are scaled down)
"""

from __future__ import annotations

from typing import Any

from django.conf import settings

DEFAULTS: dict[str, Any] = {
    "CLUE_CAPTCHA": True,
    "CLUE_CAPTCHA_MAX_AGE": 15 * 60,
    "CLUE_RATE_SUBMIT": (5, 3600),
    "CLUE_RATE_LOOKUP": (20, 600),
    "CLUE_RATE_CAPTCHA": (60, 600),
    "CLUE_MIN_FILL_SECONDS": 3,
    "CLUE_TEXT_MIN": 10,
    "CLUE_TEXT_MAX": 2000,
    "CLUE_PHOTO_MAX_BYTES": 8 * 1024 * 1024,
    "CLUE_PHOTO_MAX_PIXELS": 40_000_000,
    "CLUE_PHOTO_MAX_SIDE": 2560,
}


def conf(name: str) -> Any:
    return getattr(settings, "LUOSHI", {}).get(name, DEFAULTS[name])
