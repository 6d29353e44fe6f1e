"""The scripted scenario of a scale-out run, driven over HTTP from many threads at once, as
people would: two supervisors create tasks through the API and 交办 them on the pages, six
units' liaisons 签收, 填报 and 申请办结 at the same time, the supervisors 审核通过 and 催办
while a leader keeps loading the 工作台, 台账 and 驾驶舱. Every action must be acknowledged
(a redirect after the POST, 201 from the API): a refused one fails the run.

The tasks are named and shaped by their number only, so two runs make the same tasks
whatever the order in which the threads' requests arrive."""

from __future__ import annotations

import contextlib
import datetime as dt
import re
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import requests

from scaleout.harness import PASSWORD, UNITS
from scaleout.travel import DAY

TASKS = 12
DUE_OFFSETS = [0, 1, 2, 40]  # days from the run's day: due today, tomorrow, in two days, later


def task_plan(world: dict) -> list[dict]:
    units = world["units"]
    plan = []
    for i in range(TASKS):
        plan.append(
            {
                "n": i,
                "title": f"扩容验证任务{i:02d}",
                "lead": i % len(units),
                "co": [(i + 1) % len(units)] if i % 4 == 0 else [],
                "due": DAY + dt.timedelta(days=DUE_OFFSETS[i % len(DUE_OFFSETS)]),
                "close": i % 3 == 0,  # the unit asks to close it
                "verify": i % 6 == 0,  # and the office closes it
                "urge": i % 3 == 1,  # the office urges it by hand
            }
        )
    return plan


class Failed(AssertionError):
    pass


class Browser:
    """One person's session: logs in through the log-in form, posts forms with the CSRF token."""

    def __init__(self, base: str, username: str):
        self.base, self.username = base, username
        self.session = requests.Session()
        self.login()

    def _check(self, response, expect: tuple[int, ...], what: str):
        if response.status_code not in expect:
            raise Failed(
                f"{self.username}: {what} answered {response.status_code}: {response.text[:300]!r}"
            )
        return response

    def _csrf(self, path: str) -> str:
        page = self._check(self.session.get(self.base + path, timeout=60), (200,), f"GET {path}")
        found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
        return found.group(1) if found else self.session.cookies.get("csrftoken", "")

    def login(self) -> None:
        token = self._csrf("/login/")
        response = self.session.post(
            self.base + "/login/",
            data={"username": self.username, "password": PASSWORD, "csrfmiddlewaretoken": token},
            allow_redirects=False,
            timeout=60,
        )
        self._check(response, (302,), "log-in")
        if "/login/" in response.headers.get("Location", ""):
            raise Failed(f"{self.username}: log-in refused")

    def get(self, path: str) -> None:
        self._check(self.session.get(self.base + path, timeout=60), (200,), f"GET {path}")

    def post(self, path: str, data: dict | None = None) -> None:
        """An action: a redirect back to the task means it was done."""
        token = self.session.cookies.get("csrftoken", "")
        response = self.session.post(
            self.base + path,
            data={**(data or {}), "csrfmiddlewaretoken": token},
            headers={"Referer": self.base + path},
            allow_redirects=False,
            timeout=60,
        )
        self._check(response, (302, 303), f"POST {path}")


class People:
    """One logged-in session per person, made on first use; a person does one thing at a time
    (so each logs in once, whichever threads their actions run on), people act concurrently."""

    def __init__(self, base: str):
        self.base = base
        self.lock = threading.Lock()
        self.sessions: dict[str, tuple[threading.Lock, Browser | None]] = {}

    @contextlib.contextmanager
    def acting(self, username: str) -> Iterator[Browser]:
        with self.lock:
            own_lock, _browser = self.sessions.setdefault(username, (threading.Lock(), None))
        with own_lock:
            browser = self.sessions[username][1]
            if browser is None:
                browser = Browser(self.base, username)
                self.sessions[username] = (own_lock, browser)
            yield browser


def _api_create(base: str, token: str, world: dict, task: dict) -> int:
    units = world["units"]
    response = requests.post(
        f"{base}/api/v1/tasks",
        json={
            "source": world["source"],
            "title": task["title"],
            "lead_unit": units[task["lead"]],
            "co_units": [units[c] for c in task["co"]],
            "due": task["due"].isoformat(),
            "report_cycle": "monthly",
        },
        headers={"Authorization": f"Bearer {token}"},
        timeout=60,
    )
    if response.status_code != 201:
        raise Failed(f"API task create answered {response.status_code}: {response.text[:300]}")
    return response.json()["id"]


def _run_all(pool: ThreadPoolExecutor, calls) -> list:
    futures = [pool.submit(fn, *args) for fn, *args in calls]
    return [f.result() for f in futures]  # re-raises the first failure


def run_scenario(base: str, world: dict) -> dict:
    """Drive the whole scenario; returns {"requests": n of actions, "tasks": {title: id}}."""
    plan = task_plan(world)
    people = People(base)
    ids: dict[int, int] = {}
    stop_reading = threading.Event()
    reads = []

    def reader():
        with people.acting("leader1") as leader:
            while not stop_reading.is_set():
                for path in ("/", "/tasks/", "/cockpit/"):
                    leader.get(path)
                    reads.append(path)

    def create_and_assign(task):
        sup = "sup1" if task["n"] % 2 == 0 else "sup2"
        with people.acting(sup) as browser:
            ids[task["n"]] = _api_create(base, world["tokens"][sup], world, task)
            browser.post(f"/tasks/{ids[task['n']]}/assign/")

    def unit_work(index):
        with people.acting(f"lly{index}") as lly:
            _unit_work(lly, index)

    def _unit_work(lly, index):
        for task in plan:
            pk = ids[task["n"]]
            if task["lead"] == index:
                lly.post(f"/tasks/{pk}/acknowledge/")
                text = f"{task['title']}：已完成阶段工作"
                lly.post(
                    f"/reports/tasks/{pk}/new/", {"progress_text": text, "percent": 40 + task["n"]}
                )
                if task["close"]:
                    lly.post(f"/tasks/{pk}/closure/", {"summary": "已全部完成，申请办结。"})
            elif index in task["co"]:
                lly.post(f"/tasks/{pk}/acknowledge/")

    def office_work(task):
        sup = "sup1" if task["n"] % 2 == 0 else "sup2"
        pk = ids[task["n"]]
        with people.acting(sup) as browser:
            if task["verify"]:
                browser.post(f"/tasks/{pk}/verify/", {"comment": "同意销号。"})
            if task["urge"]:
                browser.post(f"/supervision/tasks/{pk}/urge/", {"message": "请加快进度。"})

    with ThreadPoolExecutor(max_workers=8) as pool:
        reading = pool.submit(reader)
        try:
            _run_all(pool, [(create_and_assign, t) for t in plan])
            _run_all(pool, [(unit_work, i) for i in range(len(UNITS))])
            _run_all(pool, [(office_work, t) for t in plan])
        finally:
            stop_reading.set()
            reading.result()
    return {"tasks": {plan[n]["title"]: pk for n, pk in ids.items()}, "reads": len(reads)}
