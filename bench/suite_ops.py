"""The operations of the suite (bench/suite.py), each a (name, call, rollback) triple: `call`
does one run, `rollback` says the run changes the database and is undone after it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count
from django.test import Client

TODAY = dt.date(2026, 6, 15)
NEXT_DAY = dt.date(2026, 6, 16)


@dataclass
class World:
    office: object  # 督查室人员 of the whole province
    city_office: object  # 督查室人员 scoped to one city
    leader: object
    liaison: object  # of the unit that leads most tasks
    head: object
    task: object  # a task with sub-tasks that the liaison's unit leads
    report_task: object  # an open task the liaison's unit leads and has signed for
    source: object  # a source of about median size

    @classmethod
    def find(cls) -> World:
        from luoshi.org.models import Role, User
        from luoshi.tasks.models import Source, Task, TaskState

        busiest = (
            Task.objects.values("lead_unit")
            .annotate(n=Count("id"))
            .order_by("-n", "lead_unit")
            .first()["lead_unit"]
        )
        led = Task.objects.filter(lead_unit_id=busiest)
        sources = list(Source.objects.annotate(n=Count("tasks")).order_by("n", "id"))
        return cls(
            office=User.objects.filter(role=Role.SUPERVISOR, scope_unit=None).order_by("id")[0],
            city_office=User.objects.filter(role=Role.SUPERVISOR, scope_unit__isnull=False)
            .order_by("id")
            .first(),
            leader=User.objects.filter(role=Role.LEADER, scope_unit=None).order_by("id")[0],
            liaison=User.objects.get(role=Role.LIAISON, unit_id=busiest),
            head=User.objects.get(role=Role.UNIT_HEAD, unit_id=busiest),
            task=led.filter(depth=1).order_by("id").first() or led.order_by("id")[0],
            report_task=led.filter(
                state=TaskState.IN_PROGRESS, assignments__acknowledged_at__isnull=False
            )
            .order_by("id")
            .first(),
            source=sources[len(sources) // 2],
        )


def _client(user) -> Client:
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    return client


def _get(client: Client, url: str, params: dict | None = None, **headers):
    def call():
        response = client.get(url, params or {}, headers=headers)
        assert response.status_code == 200, (url, response.status_code, response.content[:200])
        return response

    return call


RED_BY_DUE = {"light": "red", "sort": "due"}


def ops_pages(w: World):
    from django.core.cache import cache

    office, leader = _client(w.office), _client(w.leader)
    liaison, head, city = _client(w.liaison), _client(w.head), _client(w.city_office)
    unit = w.liaison.unit_id

    def cockpit_cold():
        cache.clear()
        _get(leader, "/cockpit/")()

    return [
        ("工作台 督查室 (home, office)", _get(office, "/"), False),
        ("工作台 市督查室 (home, city office)", _get(city, "/"), False),
        ("工作台 领导 (home, leader)", _get(leader, "/"), False),
        ("工作台 联络员 (home, liaison)", _get(liaison, "/"), False),
        ("工作台 负责人 (home, unit head)", _get(head, "/"), False),
        ("台账 全部 (task list, office)", _get(office, "/tasks/"), False),
        ("台账 红灯+按时限 (list: red, by due)", _get(office, "/tasks/", RED_BY_DUE), False),
        ("台账 一个单位 (list: one unit)", _get(office, "/tasks/", {"unit": unit}), False),
        ("台账 办理中 (list: open, leader)", _get(leader, "/tasks/", {"state": "open"}), False),
        ("台账 联络员 (task list, liaison)", _get(liaison, "/tasks/"), False),
        ("任务页 (task page, office)", _get(office, f"/tasks/{w.task.pk}/"), False),
        ("任务页 (task page, liaison)", _get(liaison, f"/tasks/{w.task.pk}/"), False),
        ("驾驶舱 (cockpit, office)", _get(office, "/cockpit/"), False),
        ("驾驶舱 (cockpit, leader)", _get(leader, "/cockpit/"), False),
        ("驾驶舱 未缓存 (cockpit cold, leader)", cockpit_cold, False),
    ]  # fmt: skip


def ops_api(w: World):
    from luoshi.api.tokens import token_create

    client = Client(HTTP_HOST="127.0.0.1")
    office = f"Bearer {token_create(actor=w.office, name='bench')[1]}"
    liaison = f"Bearer {token_create(actor=w.liaison, name='bench')[1]}"
    url = "/api/v1/tasks"

    def api(params: dict, token: str = office):
        return _get(client, url, params, Authorization=token)

    unit = {"unit": w.liaison.unit_id, "sort": "due"}
    return [
        ("API 任务列表 (office)", api({}), False),
        ("API 红灯+办理中 (office, red, open)", api({"light": "red", "state": "open"}), False),
        ("API 一个单位按时限 (office, unit, by due)", api(unit), False),
        ("API 第 20 页 (office, page 20)", api({"page": 20}), False),
        ("API 任务列表 (liaison)", api({}, liaison), False),
    ]


def ops_report(w: World):
    client = _client(w.liaison)
    url = f"/reports/tasks/{w.report_task.pk}/new/"
    counter = iter(range(10**6))

    def submit():
        data = {
            "progress_text": "按计划推进，完成阶段任务。",
            "problems": "",
            "next_steps": "继续推进。",
            "percent": 60,
            "submit_key": f"bench-{next(counter)}",
        }
        for ind in w.report_task.indicators.all():
            data[f"indicator_{ind.pk}"] = "10"
        response = client.post(url, data)
        assert response.status_code in (200, 302), response.status_code
        assert response.status_code == 302 or b"errorlist" not in response.content

    return [("填报 提交 (report submit, liaison)", submit, True)]


def ops_tick(w: World):
    from luoshi.tasks.services.tick import daily_tick

    return [("每日例行 (daily tick, next day)", lambda: daily_tick(today=NEXT_DAY), True)]


def ops_scoring(w: World):
    from luoshi.evaluation import services
    from luoshi.evaluation.models import EvaluationScheme
    from luoshi.lib import clock

    scheme = EvaluationScheme.objects.order_by("id").first()

    def score():
        with clock.pinned_today(TODAY):
            period = services.period_create(
                actor=None, scheme=scheme, kind="year", start=dt.date(TODAY.year - 1, 1, 1)
            )
            services.period_score(actor=None, period=period)

    return [("年度考核打分 (year scoring, previous year)", score, True)]


def ops_ledger(w: World):
    from bench.ledger import make_ledger
    from luoshi.ledger.plan import plan_commit, plan_from_rows
    from luoshi.ledger.reader import read_sheet, sheet_rows
    from luoshi.org.models import Unit
    from luoshi.tasks.services.sources import source_create

    names = tuple(
        Unit.objects.filter(kind="department").order_by("id").values_list("name", flat=True)[:12]
    )
    data = make_ledger(5000, units=names)
    counter = iter(range(10**6))

    def import_ledger():
        sheet = read_sheet(data)
        plan = plan_from_rows(sheet_rows(sheet, sheet.mapping), actor=w.office, year=TODAY.year)
        assert not plan.blocking, plan.blocking[:3]
        n = next(counter)
        source = source_create(actor=w.office, kind="document", title=f"台账{n}", code=f"BENCH-{n}")
        result = plan_commit(actor=w.office, plan=plan, source=source)
        assert result["created"] == 5000, result

    office, liaison = _client(w.office), _client(w.liaison)
    export, one = "/ledger/export/", {"source": w.source.pk}
    return [
        ("导入台账 5,000 行 (ledger import)", import_ledger, True),
        ("导出台账 一个来源 (ledger export, one source)", _get(office, export, one), False),
        ("导出台账 联络员 (ledger export, liaison)", _get(liaison, export), False),
    ]
