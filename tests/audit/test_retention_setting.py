"""LUOSHI_AUDIT_RETENTION_DAYS: at least 180, checked when Luoshi starts (a clear message
in Chinese otherwise); no code path deletes audit rows."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from luoshi.audit.settings_check import check_retention, retention_days


@pytest.mark.parametrize("value", ["180", "365", 400])
def test_accepted(settings, value):
    settings.LUOSHI_AUDIT_RETENTION_DAYS = value
    check_retention()
    assert retention_days() == int(value)


@pytest.mark.parametrize("value, message", [("90", "至少保存 180 天"), ("半年", "必须是整数")])
def test_refused(settings, value, message):
    settings.LUOSHI_AUDIT_RETENTION_DAYS = value
    with pytest.raises(ImproperlyConfigured, match=message):
        check_retention()


def test_start_up_stops_on_a_short_retention(tmp_path):
    env = {**os.environ, "LUOSHI_AUDIT_RETENTION_DAYS": "30", "LUOSHI_DATA_DIR": str(tmp_path)}
    done = subprocess.run(
        [str(Path(sys.executable).parent / "luoshi"), "check"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode != 0
    assert "LUOSHI_AUDIT_RETENTION_DAYS=30" in done.stderr


def test_no_code_deletes_audit_rows():
    """No module outside the tests deletes AuditEvent rows (the triggers would refuse)."""
    root = Path(__file__).resolve().parents[2] / "luoshi"
    offenders = []
    for path in root.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        if "AuditEvent" in text and (".delete(" in text or "DELETE FROM audit" in text):
            offenders.append(str(path.relative_to(root)))
    assert offenders == []
