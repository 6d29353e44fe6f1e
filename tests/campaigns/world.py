"""A world for the campaign tests, built through the services under pinned dates.

Units: the government with 发改委 (A), 交通局 (B), 财政局 (C) and 东城区 (a district).
People: sup (office, whole tree), sup2 (office, team member), sup_out (office, scoped to
东城区), leader (whole tree), liaison_a / head_a of A, liaison_b of B, liaison_c of C,
sysadmin, auditor.

Dates (2026): 国庆 holiday 10-01…10-07; Saturday 10-10 is a 调休 working day; the inspection
`w.make()` builds starts Monday 2026-10-12 and ends 2026-10-16, A and B supervised, notice
3 working days ahead (→ Thursday 10-08), statements within 5 working days.
"""

from __future__ import annotations

import datetime as dt
import io
from types import SimpleNamespace

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from luoshi.campaigns.services.findings import finding_add
from luoshi.campaigns.services.inspections import inspection_create, inspection_launch
from luoshi.campaigns.services.records import record_add
from luoshi.lib import clock
from luoshi.org.models import Role, UnitKind, User
from luoshi.org.services import unit_create
from luoshi.supervision.ladder import ladder_seed_defaults

CREATED = dt.date(2026, 9, 21)
START = dt.date(2026, 10, 12)
END = dt.date(2026, 10, 16)
PASSWORD = "pw-Secret-2026"


def png_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 6), (200, 30, 30)).save(out, "PNG")
    return out.getvalue()


def photo(name: str = "现场.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, png_bytes(), "image/png")


def pdf(name: str = "台账.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4\n% ledger\n", "application/pdf")


def _user(username, role, unit=None, **extra) -> User:
    return User.objects.create_user(
        username, password=PASSWORD, role=role, unit=unit, full_name=username, **extra
    )


def build_world() -> SimpleNamespace:
    ladder_seed_defaults()
    w = SimpleNamespace()
    with clock.pinned_today(CREATED):
        w.gov = unit_create(actor=None, name="示范市人民政府", kind=UnitKind.GOVERNMENT)
        w.a = unit_create(
            actor=None,
            name="示范市发展和改革委员会",
            short_name="市发展改革委",
            kind=UnitKind.DEPARTMENT,
            parent=w.gov,
        )
        w.b = unit_create(
            actor=None,
            name="示范市交通运输局",
            short_name="市交通局",
            kind=UnitKind.DEPARTMENT,
            parent=w.gov,
        )
        w.c = unit_create(actor=None, name="示范市财政局", kind=UnitKind.DEPARTMENT, parent=w.gov)
        w.district = unit_create(
            actor=None, name="示范市东城区", kind=UnitKind.DISTRICT, parent=w.gov
        )
        w.sup = _user("sup", Role.SUPERVISOR, w.gov)
        w.sup2 = _user("sup2", Role.SUPERVISOR, w.gov)
        w.sup_out = _user("sup_out", Role.SUPERVISOR, w.gov, scope_unit=w.district)
        w.leader = _user("leader", Role.LEADER, w.gov)
        w.leader_out = _user("leader_out", Role.LEADER, w.gov, scope_unit=w.district)
        w.liaison_a = _user("liaison_a", Role.LIAISON, w.a)
        w.head_a = _user("head_a", Role.UNIT_HEAD, w.a)
        w.liaison_b = _user("liaison_b", Role.LIAISON, w.b)
        w.liaison_c = _user("liaison_c", Role.LIAISON, w.c)
        w.sysadmin = _user("sysadmin", Role.SYSADMIN)
        w.auditor = _user("auditor", Role.AUDITOR)

    def make(*, launch: bool = True, on: dt.date = CREATED, **over):
        fields = dict(
            title="优化营商环境专项督查",
            kind="special",
            scope="检查优化营商环境各项措施落实情况。",
            subject_units=[w.a, w.b],
            methods=["report", "documents", "site"],
            team_leader=w.sup,
            team_members=[w.sup2],
            start_date=START,
            end_date=END,
            notice_days_ahead=3,
            statement_days=5,
            materials="近一年工作台账、相关文件。",
        )
        fields.update(over)
        with clock.pinned_today(on):
            inspection = inspection_create(actor=w.sup, **fields)
            if launch:
                inspection = inspection_launch(actor=w.sup, inspection=inspection)
        return inspection

    def visited(inspection, *, on: dt.date = START, finding: bool = True):
        """A record at A and, optionally, one finding about A (statement due 5 working days on)."""
        with clock.pinned_today(on):
            record_add(
                actor=w.sup2,
                inspection=inspection,
                kind="site",
                held_on=on,
                place="市发展改革委政务服务大厅",
                persons="张三、李四",
                text="现场查看窗口办理情况。",
                unit=w.a,
                files=[photo()],
            )
            if finding:
                return finding_add(
                    actor=w.sup,
                    inspection=inspection,
                    unit=w.a,
                    title="审批时限超过承诺",
                    detail="抽查 20 件，6 件超过承诺时限。",
                )
        return None

    w.make = make
    w.visited = visited
    return w
