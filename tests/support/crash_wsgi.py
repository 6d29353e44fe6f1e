"""The Luoshi WSGI application with one test hook, for the crash test: a report whose 工作进展
contains PAUSE_MARK stops inside report_submit's transaction, after the report, its
indicator values, its attachments and its history event are written and before the audit row
and the commit; the worker writes its pid to $LUOSHI_PAUSE_FILE and sleeps, so the test can
SIGKILL the server in the middle of a write transaction. Nothing else changes."""

from __future__ import annotations

import importlib
import os
import time
from pathlib import Path

from luoshi.wsgi import application  # sets Django up; the services are imported after it

PAUSE_MARK = "PAUSE-IN-TRANSACTION"


def _install_pause() -> None:
    report_services = importlib.import_module("luoshi.reports.services")
    record = report_services.task_event_record

    def record_then_pause(**kwargs):
        event = record(**kwargs)
        report = kwargs["task"].reports.order_by("-id").first()
        if report is not None and PAUSE_MARK in report.progress_text:
            Path(os.environ["LUOSHI_PAUSE_FILE"]).write_text(str(report.pk))
            time.sleep(120)
        return event

    report_services.task_event_record = record_then_pause


if os.environ.get("LUOSHI_PAUSE_FILE"):  # only in the server process the crash test starts
    _install_pause()

__all__ = ["PAUSE_MARK", "application"]
