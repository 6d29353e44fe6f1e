"""`luoshi demo`: the city of 示范市 with three months of history, through the real services.

The demo is loaded once for this module (as of a fixed day, so that the story is the same
on every run) and rolled back at the end.
"""

import datetime as dt
from collections import Counter
from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

from luoshi.access import policy
from luoshi.audit.models import AuditEvent
from luoshi.audit.services import audit_verify
from luoshi.lib import clock
from luoshi.org.models import Role, Unit, UnitKind, User
from luoshi.org.services import unit_resolve
from luoshi.reports.models import Attachment, ProgressReport
from luoshi.tasks.models import (
    ClosureDecision,
    ClosureRequest,
    Light,
    Source,
    SourceKind,
    Task,
    TaskEvent,
    TaskState,
    TaskUnit,
)

DEMO_TODAY = dt.date(2026, 10, 20)  # three months back reaches July, across National Day

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module", autouse=True)
def demo_output(django_db_setup, django_db_blocker, tmp_path_factory):
    media = tmp_path_factory.mktemp("uploads")
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=media),
        clock.pinned_today(DEMO_TODAY),
        transaction.atomic(),
    ):
        out = StringIO()
        call_command("demo", stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)


def counts() -> dict[str, int]:
    models = (Unit, User, Source, Task, TaskUnit, TaskEvent, ProgressReport, AuditEvent)
    return {m.__name__: m.objects.count() for m in models}


def lit_lights() -> Counter:
    return Counter(Task.objects.exclude(light=Light.NONE).values_list("light", flat=True))


def test_the_command_reports_what_it_loaded(demo_output):
    assert "演示数据已装入" in demo_output and "luoshi2026" in demo_output
    assert "fgw_lly" in demo_output


def test_the_city_has_its_units_with_short_names_and_aliases():
    assert 38 <= Unit.objects.count() <= 50
    root = Unit.objects.get(name="示范市人民政府", parent=None)
    assert root.kind == UnitKind.GOVERNMENT
    fgw = Unit.objects.get(name="示范市发展和改革委员会")
    assert fgw.short_name == "市发展改革委"
    assert unit_resolve("市发改委") == fgw and unit_resolve("市发展和改革委") == fgw
    assert unit_resolve("市工信局").name == "示范市工业和信息化局"
    assert unit_resolve("督查室").parent.name == "示范市人民政府办公室"
    assert Unit.objects.filter(kind=UnitKind.DEPARTMENT).count() >= 25
    districts = Unit.objects.filter(kind=UnitKind.DISTRICT)
    assert districts.count() == 8
    assert all(d.children.filter(kind=UnitKind.OFFICE).exists() for d in districts)


@pytest.mark.parametrize(
    ("username", "role", "unit_name"),
    [
        ("duchashi", Role.SUPERVISOR, "示范市人民政府督查室"),
        ("lingdao", Role.LEADER, "示范市人民政府"),
        ("fgw_lly", Role.LIAISON, "示范市发展和改革委员会"),
        ("fgw_fzr", Role.UNIT_HEAD, "示范市发展和改革委员会"),
        ("jtj_lly", Role.LIAISON, "示范市交通运输局"),
        ("sysadmin", Role.SYSADMIN, None),
        ("secadmin", Role.SECADMIN, None),
        ("auditor", Role.AUDITOR, None),
    ],
)
def test_each_demo_account_has_its_role_and_the_published_password(username, role, unit_name):
    user = authenticate(username=username, password="luoshi2026")
    assert user is not None and user.role == role
    if unit_name:
        assert user.unit.name == unit_name
    assert authenticate(username=username, password="wrong-password") is None


def test_the_supervisor_sees_the_whole_tree_and_every_unit_can_act():
    supervisor = User.objects.get(username="duchashi")
    assert supervisor.scope_unit is None
    assert policy.visible_tasks(supervisor).count() == Task.objects.count()
    assert User.objects.get(username="lingdao").title == "市长"
    assert User.objects.filter(role=Role.LEADER, title="副市长").count() >= 3
    for unit in Unit.objects.filter(kind__in=(UnitKind.DEPARTMENT, UnitKind.DISTRICT)):
        roles = set(unit.users.values_list("role", flat=True))
        assert {Role.LIAISON, Role.UNIT_HEAD} <= roles, unit.name


def test_every_state_appears():
    states = Counter(Task.objects.values_list("state", flat=True))
    assert set(states) == set(TaskState.values)
    assert 250 <= sum(states.values()) <= 340
    assert Task.objects.filter(state=TaskState.CLOSED, closed_late=True).exists()
    assert Task.objects.filter(state=TaskState.CLOSED, closed_late=False).exists()
    returned = Task.objects.filter(state=TaskState.IN_PROGRESS, returned_at__isnull=False)
    assert returned.exists()
    assert ClosureRequest.objects.filter(decision=ClosureDecision.RETURNED).exclude(comment="")


def test_every_light_appears_in_meaningful_proportions():
    lights = lit_lights()
    total = sum(lights.values())
    assert set(lights) == {Light.GREEN, Light.YELLOW, Light.RED, Light.BLUE}
    assert lights[Light.GREEN] / total >= 0.45
    for light in (Light.YELLOW, Light.RED, Light.BLUE):
        assert 0.05 <= lights[light] / total <= 0.30, (light, lights)


def test_the_sources_tell_the_story():
    kinds = Counter(Source.objects.values_list("kind", flat=True))
    assert kinds == {
        SourceKind.WORK_REPORT: 1,
        SourceKind.MEETING: 1,
        SourceKind.INSTRUCTION: 1,
        SourceKind.DOCUMENT: 3,  # the 营商环境 plan and two policies (luoshi/demo/policies.py)
        SourceKind.CLUE: 2,  # the months of the clues turned into tasks (luoshi/demo/clues.py)
        SourceKind.FINDING: 1,  # the finished campaign's rectifications (demo/campaigns.py)
    }
    report = Source.objects.get(kind=SourceKind.WORK_REPORT)
    assert report.title == "2026年示范市政府工作报告"
    goals = report.tasks.filter(parent=None)
    assert goals.count() == 10
    assert report.tasks.filter(depth=2).exists()  # sub-tasks
    assert Source.objects.get(kind=SourceKind.MEETING).tasks.count() == 8
    assert Source.objects.get(kind=SourceKind.INSTRUCTION).tasks.count() == 3
    assert Task.objects.filter(ongoing=True, due__isnull=True, due_text="长期坚持").exists()
    assert Task.objects.filter(milestones__isnull=False).distinct().count() >= 10
    assert Task.objects.filter(indicators__current__isnull=False).distinct().count() >= 10
    cycles = set(Task.objects.values_list("report_cycle", flat=True))
    assert {"monthly", "semimonthly", "weekly", "quarterly", "monthly_day"} <= cycles


def test_history_is_real_and_dated_in_the_last_three_months():
    kinds = set(TaskEvent.objects.values_list("kind", flat=True))
    assert {
        "created",
        "assigned",
        "acknowledged",
        "reported",
        "closure_requested",
        "closed",
        "returned",
        "suspended",
        "cancelled",
        "milestone_done",
        "light_changed",
    } <= kinds
    dates = ProgressReport.objects.values_list("report_date", flat=True)
    assert ProgressReport.objects.count() >= 500
    assert min(dates) >= DEMO_TODAY - dt.timedelta(days=100) and max(dates) <= DEMO_TODAY
    assert Task.objects.filter(light_computed_on=DEMO_TODAY).exists()


def test_evidence_attachments_are_pdfs():
    attachments = list(Attachment.objects.all())
    assert len(attachments) >= 2
    for attachment in attachments:
        assert attachment.original_name.endswith(".pdf")
        with attachment.file.open("rb") as f:
            assert f.read(5) == b"%PDF-"


def _unit_tasks(username: str):
    user = User.objects.get(username=username)
    mine = TaskUnit.objects.filter(unit=user.unit)
    return user, mine


@pytest.mark.parametrize("username", ["fgw_lly", "jtj_lly"])
def test_the_demo_liaisons_have_interesting_work(username):
    user, mine = _unit_tasks(username)
    awaiting = mine.filter(acknowledged_at__isnull=True, task__state=TaskState.ASSIGNED)
    assert awaiting.exists()  # tasks awaiting 签收
    lead = mine.filter(role="lead")
    assert lead.filter(task__state=TaskState.IN_PROGRESS, task__returned_at__isnull=False)
    assert lead.filter(task__light__in=(Light.YELLOW, Light.RED)).exists()
    assert lead.filter(task__state=TaskState.CLOSED).exists()
    assert "task.report" in policy.task_actions(
        user, lead.filter(task__state="in_progress")[0].task
    )


def test_every_supervision_page_has_something_to_show(client):
    from django.urls import reverse

    from luoshi.extensions.models import ExtensionRequest
    from luoshi.rechecks.models import Recheck
    from luoshi.supervision.models import NoticeState, SupervisionNotice, Urge

    issued = SupervisionNotice.objects.exclude(state=NoticeState.DRAFT)
    assert issued.filter(state=NoticeState.REPLIED).exists()
    late = issued.get(state=NoticeState.ISSUED, reply_by__lt=DEMO_TODAY)
    assert late.task.light == Light.YELLOW  # 督办单逾期未回复
    assert issued.filter(state=NoticeState.ISSUED, reply_by__gt=DEMO_TODAY).exists()
    assert Urge.objects.filter(automatic=False).count() >= 2
    assert Urge.objects.filter(automatic=True).exists()  # the ladder's, during the story
    states = set(ExtensionRequest.objects.values_list("state", flat=True))
    assert {"pending", "approved", "refused"} <= states
    assert {"scheduled", "due"} <= set(Recheck.objects.values_list("state", flat=True))
    client.force_login(User.objects.get(username="duchashi"))
    for name in ("supervision:notices", "extensions:list", "rechecks:list"):
        page = client.get(reverse(name)).content.decode()
        assert 'class="empty"' not in page, name
    client.force_login(User.objects.get(username="fgw_lly"))
    assert 'class="empty"' not in client.get(reverse("extensions:list")).content.decode()


def test_the_audit_chain_verifies():
    assert AuditEvent.objects.filter(action="report.submit").count() >= 500
    assert audit_verify() == []


def test_a_second_run_creates_nothing():
    before = counts()
    out = StringIO()
    call_command("demo", stdout=out)
    assert "已存在" in out.getvalue()
    assert counts() == before


def test_policies_land_and_one_is_paper():
    from luoshi.policies.models import Policy, PolicyStatus
    from luoshi.policies.queries import policy_rows

    supervisor = User.objects.get(username="duchashi")
    rows = {p.title: p for p in policy_rows(supervisor, today=DEMO_TODAY)}
    assert len(rows) == 3
    private = rows["示范市促进民营经济高质量发展若干措施"]
    d = private.delivery
    assert (d.total, d.closed, d.on_time, d.overdue, d.indicator_percent) == (4, 1, 1, 1, 50)
    assert private.goals.count() == 2
    old = rows["示范市支持民营经济发展若干措施"]
    assert old.status == PolicyStatus.REVISED and old.superseded_by_id == private.pk
    assert old.delivery.is_paper
    plan = Policy.objects.get(source__kind=SourceKind.DOCUMENT, category="营商环境")
    assert plan.deliverables.count() == plan.source.tasks.filter(parent=None).count() >= 10
    # 市发展改革委 sees the policies where it has a deliverable, with one to sign
    fgw = User.objects.get(username="fgw_lly")
    mine = policy_rows(fgw, today=DEMO_TODAY)
    assert private.pk in {p.pk for p in mine}


def test_search_finds_the_demo_everywhere():
    """The demo writes parts of its story in bulk; its search index is rebuilt at the end, so
    every task, report and source is found (营商环境 inside longer titles included)."""
    from luoshi.search.models import EntryKind, SearchEntry
    from luoshi.search.query import search

    assert SearchEntry.objects.filter(kind=EntryKind.TASK).count() == Task.objects.count()
    assert SearchEntry.objects.filter(kind=EntryKind.SOURCE).count() == Source.objects.count()
    office = User.objects.get(username="duchashi")
    assert search(office, "营商环境").count > 0


def test_the_campaigns_tell_their_story(client):
    from django.urls import reverse

    from luoshi.campaigns.models import Inspection, InspectionNotice, Rectification

    done = Inspection.objects.get(title="安全生产专项督查")
    assert done.state == "rectifying" and done.report.number
    states = sorted(
        Rectification.objects.filter(finding__inspection=done).values_list("task__state", flat=True)
    )
    assert states == ["assigned", "closed"]
    assert done.outcomes.count() == 1 and done.findings.count() == 3
    upcoming = Inspection.objects.get(title="优化营商环境专项督查")
    assert upcoming.state == "active" and not upcoming.notices.exists()  # notice still pending
    secret = Inspection.objects.get(unannounced=True)
    assert not InspectionNotice.objects.filter(inspection=secret).exists()
    client.force_login(User.objects.get(username="duchashi"))
    for tab in ("scheme", "records", "findings", "rectifications", "results"):
        page = client.get(reverse("campaigns:detail", args=[done.pk]) + f"?tab={tab}")
        assert page.status_code == 200 and 'class="empty"' not in page.content.decode(), tab
    client.force_login(User.objects.get(username="jtj_lly"))
    home = client.get(reverse("campaigns:unit_home")).content.decode()
    assert "客运站消防通道被占用" in home
