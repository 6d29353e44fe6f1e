"""Every upload point refuses a disguised HTML page and stores nothing.

The upload points are enumerated from the code: every module that takes an UploadedFile or
declares a forms.FileField must be listed in UPLOAD_POINTS below with a call that posts a
disguised file, so a new upload point without the content check fails this suite."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError

from luoshi.extraction.models import Extraction
from luoshi.extraction.services import extraction_start
from luoshi.ledger.models import LedgerImport
from luoshi.ledger.services import ledger_import_start
from luoshi.lib import clock
from luoshi.meetings.models import Instruction, Meeting
from luoshi.meetings.services import instruction_create, meeting_create
from luoshi.policies.models import Policy
from luoshi.policies.services import policy_create
from luoshi.rechecks.daily import run_daily
from luoshi.rechecks.models import RecheckEvidence
from luoshi.rechecks.services import recheck_answer, recheck_schedule
from luoshi.reports.models import Attachment, ProgressReport
from luoshi.reports.services import report_submit
from luoshi.supervision.models import NoticeReply, SupervisionFile, SupervisionRecord
from luoshi.supervision.services import notice_reply, notice_save, record_create
from luoshi.tasks.models import ClosureRequest
from luoshi.tasks.services.lifecycle import closure_request
from tests.hardening.files import HTML, SVG, disguised, upload

LUOSHI = Path(__file__).resolve().parents[2] / "luoshi"

pytestmark = pytest.mark.django_db


def _report(w):
    report_submit(
        actor=w.liaison_a, task=w.big, progress_text="进展", percent=50, files=[disguised()]
    )


def _closure(w):
    closure_request(actor=w.liaison_a, task=w.late, summary="已完成", files=[disguised()])


def _notice_reply(w):
    notice = notice_save(
        actor=w.sup, task=w.late, content="请说明逾期原因。", reply_by=dt.date(2026, 3, 20)
    )
    notice_reply(actor=w.liaison_a, notice=notice, text="已整改。", files=[disguised()])


def _record(w):
    record_create(
        actor=w.sup,
        task=w.big,
        kind="field_check",
        held_on=dt.date(2026, 3, 9),
        participants="督查室",
        content="实地查看。",
        files=[disguised()],
    )


def _recheck(w):
    with clock.pinned_today(dt.date(2026, 3, 9)):
        recheck = recheck_schedule(actor=w.sup, task=w.done, due_on=dt.date(2026, 3, 10))
    run_daily(today=dt.date(2026, 3, 10))
    recheck_answer(actor=w.liaison_a, recheck=recheck, answer="成效巩固。", files=[disguised()])


def _policy(w):
    policy_create(
        actor=w.sup, title="若干措施", issued_on=dt.date(2026, 1, 5), file=disguised("措施.pdf")
    )


def _meeting(w):
    meeting_create(
        actor=w.sup,
        name="第5次常务会议",
        held_on=dt.date(2026, 3, 1),
        minutes_file=disguised("纪要.pdf"),
    )


def _instruction(w):
    instruction_create(
        actor=w.sup,
        leader=w.leader,
        text="请抓紧落实。",
        given_on=dt.date(2026, 3, 1),
        doc_title="批示件",
        doc_file=disguised("批示.pdf"),
    )


def _ledger(w):
    ledger_import_start(actor=w.sup, upload=upload("台账.xlsx", HTML), year=2026)


# a page that also reads as a plan naming a task, so that only the content check refuses it
TASK_LINE = "\n一、加快推进重点项目建设（市发展改革委牵头，市财政局配合），6月底前完成。\n"


def _extraction(w):
    data = HTML + TASK_LINE.encode()
    extraction_start(actor=w.sup, upload=upload("分工方案.txt", data), year=2026)


def _extraction_svg(w):
    data = SVG + TASK_LINE.encode()
    extraction_start(actor=w.sup, upload=upload("分工方案.txt", data), year=2026)


# module (relative to luoshi/) -> the calls that push a disguised file through it
UPLOAD_POINTS = {
    "reports/services.py": [_report],
    "reports/attachments.py": [_report, _closure],
    "reports/forms.py": [_report],
    "tasks/services/lifecycle.py": [_closure],
    "supervision/services.py": [_notice_reply, _record],
    "supervision/files.py": [_notice_reply, _record],
    "rechecks/services.py": [_recheck],
    "policies/services.py": [_policy],
    "policies/forms.py": [_policy],
    "meetings/services.py": [_meeting, _instruction],
    "meetings/forms.py": [_meeting, _instruction],
    "ledger/forms.py": [_ledger],
    "extraction/forms.py": [_extraction, _extraction_svg],
}
# upload points of apps with their own tests: module -> the content check it must call
DELEGATED = {
    "campaigns/uploads.py": "attachments_validate",  # tests/campaigns
    "campaigns/services/records.py": "files_validate",  # campaigns/uploads.py
    "campaigns/forms.py": "files_validate",
    "clues/forms.py": "photo",  # clues/photos.py: decoded and re-encoded by Pillow
}
STORED = (
    Attachment,
    ProgressReport,
    ClosureRequest,
    NoticeReply,
    SupervisionRecord,
    SupervisionFile,
    RecheckEvidence,
    Policy,
    Meeting,
    Instruction,
    LedgerImport,
    Extraction,
)


def test_every_upload_point_in_the_code_is_listed():
    found = set()
    for path in LUOSHI.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        if re.search(r"\bUploadedFile\b|forms\.FileField\b", text):
            found.add(str(path.relative_to(LUOSHI)))
    found.discard("lib/uploads.py")
    assert found - set(DELEGATED) == set(UPLOAD_POINTS), "an upload point without a test here"
    for module, checker in DELEGATED.items():
        if (LUOSHI / module).exists():
            assert checker in (LUOSHI / module).read_text(encoding="utf-8"), module


CALLS = sorted({c for calls in UPLOAD_POINTS.values() for c in calls}, key=lambda c: c.__name__)


@pytest.mark.parametrize("call", CALLS, ids=[c.__name__.strip("_") for c in CALLS])
def test_a_disguised_page_is_refused_and_nothing_is_stored(world, today, call, settings):
    with clock.pinned_today(today):
        before = {m: m.objects.count() for m in STORED}
        with pytest.raises(ValidationError) as exc:
            call(world)
    text = " ".join(exc.value.messages)
    assert "内容与扩展名不符" in text or "网页或脚本内容" in text or "Excel 工作簿" in text, text
    after = {m: m.objects.count() for m in STORED}
    changed = {m.__name__ for m in STORED if after[m] != before[m]}
    assert not changed, changed  # (a notice or a re-check made on the way is not counted)
    media = Path(settings.MEDIA_ROOT)
    assert not media.exists() or not any(p.is_file() for p in media.rglob("*"))
