"""The `luoshi` command: Django's management commands under one name.

luoshi demo                   load the demo data (idempotent)
luoshi tick --today 2026-03-02  run one day's scheduled work as of that date
luoshi migrate, luoshi createsuperuser, … as with manage.py
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "luoshi.settings")
    from django.core.management import execute_from_command_line

    args = sys.argv[1:] if argv is None else argv
    execute_from_command_line(["luoshi", *(args or ["help"])])
    return 0


if __name__ == "__main__":
    sys.exit(main())
