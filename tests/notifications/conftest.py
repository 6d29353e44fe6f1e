"""A small world for the notification tests, and local stand-ins for the outside: an SMTP
server (aiosmtpd), an HTTP endpoint for the robots (pytest-httpserver), a port where nothing
listens, and one that accepts connections but never answers.

Today is Tuesday 2026-03-10. Units: 发改委 (A) and 交通局 (B). People: A's liaison and head
(both with e-mail and phone), B's liaison, a supervisor, the system administrator. One task
led by A."""

from __future__ import annotations

import datetime as dt
import socket
import threading
from types import SimpleNamespace

import pytest
from aiosmtpd.controller import Controller

from luoshi.lib import clock
from luoshi.notifications.models import NotificationPreference
from luoshi.org.models import Role, UnitKind, User
from luoshi.org.services import unit_create
from luoshi.tasks.services.editing import task_create
from luoshi.tasks.services.lifecycle import task_assign
from luoshi.tasks.services.sources import source_create

TODAY = dt.date(2026, 3, 10)
SITE = "https://luoshi.example.gov.cn"


def make_user(username, role, unit=None, **extra) -> User:
    extra.setdefault("full_name", username)
    return User.objects.create_user(
        username, password="pw-Secret-2026", role=role, unit=unit, **extra
    )


def prefer(user, *, email=True, sms=False, mode="immediate"):
    NotificationPreference.objects.update_or_create(
        user=user, defaults={"email": email, "sms": sms, "mode": mode}
    )


@pytest.fixture(autouse=True)
def _notify_settings(settings):
    settings.LUOSHI = {
        **settings.LUOSHI,
        "SITE_URL": SITE,
        "NOTIFY_TIMEOUT": 1.0,
        "SMS_GATEWAY": "luoshi.notifications.channels.sms.ConsoleGateway",
    }
    settings.EMAIL_TIMEOUT = 1.0
    settings.DEFAULT_FROM_EMAIL = "luoshi@example.gov.cn"


@pytest.fixture
def today():
    with clock.pinned_today(TODAY):
        yield TODAY


@pytest.fixture
def world(db):
    w = SimpleNamespace()
    with clock.pinned_today(dt.date(2026, 2, 2)):
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
        w.sup = make_user("sup", Role.SUPERVISOR, w.gov, full_name="周督查")
        w.liaison_a = make_user(
            "liaison_a",
            Role.LIAISON,
            w.a,
            full_name="甲联络员",
            email="liaison_a@example.gov.cn",
            phone="13800000001",
        )
        w.head_a = make_user(
            "head_a",
            Role.UNIT_HEAD,
            w.a,
            full_name="甲主任",
            email="head_a@example.gov.cn",
            phone="13800000002",
        )
        w.liaison_b = make_user(
            "liaison_b", Role.LIAISON, w.b, full_name="乙联络员", email="liaison_b@example.gov.cn"
        )
        w.sysadmin = make_user("sysadmin", Role.SYSADMIN, None, full_name="系统管理员")
        w.auditor = make_user("auditor", Role.AUDITOR, None, full_name="审计员")
        w.source = source_create(
            actor=w.sup, kind="work_report", title="2026年政府工作报告", code="2026-ZD"
        )
        w.task = task_create(
            actor=w.sup,
            source=w.source,
            title="推进城市更新行动",
            lead_unit=w.a,
            co_units=[w.b],
            due=dt.date(2026, 12, 31),
        )
        task_assign(actor=w.sup, task=w.task)
    w.task.refresh_from_db()
    return w


# --- the outside, on this machine -----------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Inbox:
    """An aiosmtpd handler keeping what it received."""

    def __init__(self):
        self.messages: list[tuple[str, list[str], bytes]] = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.content))
        return "250 OK"


class SmtpServer:
    def __init__(self, port: int):
        self.port = port
        self.inbox = Inbox()
        self.controller: Controller | None = None

    def start(self):
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self):
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    @property
    def messages(self):
        return self.inbox.messages


@pytest.fixture
def smtp(settings):
    """An SMTP server on a free port, not started: the test starts it (or leaves it down)."""
    server = SmtpServer(free_port())
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = server.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    yield server
    server.stop()


@pytest.fixture
def silent_port():
    """A port that accepts connections (the kernel's backlog) and never answers: every
    request to it times out."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(64)
    yield sock.getsockname()[1]
    sock.close()


@pytest.fixture
def closed_port():
    return free_port()
