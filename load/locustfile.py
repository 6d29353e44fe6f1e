"""Locust users of the deadline rush (run by `python -m load.rush`, which writes the plan).

Liaison: one per unit. Waits for its moment (the plan spreads them over the run, most near
the end), logs in through the log-in form, opens the 填报 form (which carries its one-time
key) and submits one progress report with an indicator value, a third of them with a small
attachment. Some double-click (two POSTs of the same form at once) and some retry after a
"lost" answer (the same form again a moment later): the server must keep one report each.

Reader: the office and the leaders, logged in, load the 台账 (its pages), task pages and
the cockpit in a loop until the liaisons are done.

Every request's time is recorded (exactly, from locust's request event) and, with each
liaison's outcome (its key, the answers it got), written to $LOAD_RESULTS at the end.
"""

from __future__ import annotations

import json
import os
import random
import re
import time
from collections import defaultdict
from pathlib import Path

import gevent
from locust import HttpUser, between, constant, events, task
from locust.exception import StopUser

PLAN = json.loads(Path(os.environ["LOAD_PLAN"]).read_text())
RESULTS = Path(os.environ["LOAD_RESULTS"])
KEY = re.compile(r'name="submit_key" value="([A-Za-z0-9_-]+)"')
PENDING = list(reversed(PLAN["liaisons"]))
STATE = {"t0": None, "done": 0, "quit": False}
TIMES: dict[str, list[float]] = defaultdict(list)
FAILURES: dict[str, list[str]] = defaultdict(list)
OUTCOMES: list[dict] = []


@events.request.add_listener
def _timed(request_type, name, response_time, response_length, exception=None, **kwargs):
    TIMES[name].append(response_time)
    if exception is not None:
        FAILURES[name].append(str(exception)[:200])


@events.test_start.add_listener
def _start(environment, **kwargs):
    STATE["t0"] = time.monotonic()


def _write(environment=None, **kwargs):
    RESULTS.write_text(
        json.dumps(
            {
                "times_ms": TIMES,
                "failures": FAILURES,
                "outcomes": OUTCOMES,
                "elapsed_s": time.monotonic() - (STATE["t0"] or time.monotonic()),
            }
        )
    )


events.test_stop.add_listener(_write)
events.quitting.add_listener(_write)


def _finished(environment) -> None:
    STATE["done"] += 1
    if STATE["done"] == len(PLAN["liaisons"]) and not STATE["quit"]:
        STATE["quit"] = True

        def stop_soon():
            gevent.sleep(3)
            environment.runner.quit()

        gevent.spawn(stop_soon)


def _login(user: HttpUser, username: str) -> bool:
    user.client.get("/login/", name="log-in form")
    with user.client.post(
        "/login/",
        data={
            "username": username,
            "password": PLAN["password"],
            "csrfmiddlewaretoken": user.client.cookies.get("csrftoken", ""),
        },
        allow_redirects=False,
        name="log-in",
        catch_response=True,
    ) as answer:
        target = answer.headers.get("Location", "")
        if answer.status_code != 302 or "/login/" in target or "/security/" in target:
            answer.failure(f"log-in refused: {answer.status_code} {target}")
            return False
    return True


class Liaison(HttpUser):
    """One unit's liaison: log in, open the form, submit once."""

    fixed_count = len(PLAN["liaisons"])
    wait_time = constant(1)

    def on_start(self):
        self.plan = PENDING.pop() if PENDING else None

    def _submit(self, outcome: dict, key: str, data: dict, files: dict | None) -> None:
        with self.client.post(
            f"/reports/tasks/{self.plan['task']}/new/",
            data={**data, "csrfmiddlewaretoken": self.client.cookies.get("csrftoken", "")},
            files=files,
            allow_redirects=False,
            name="report submit",
            catch_response=True,
        ) as answer:
            ok = answer.status_code == 302 and answer.headers.get("Location") == (
                f"/tasks/{self.plan['task']}/"
            )
            outcome["answers"].append(answer.status_code)
            if ok:
                outcome["acked"] += 1
            else:
                outcome["failed"] += 1
                answer.failure(f"report not acknowledged: {answer.status_code}")

    @task
    def rush(self):
        if self.plan is None:
            raise StopUser()
        plan = self.plan
        delay = STATE["t0"] + plan["at"] - time.monotonic()
        if delay > 0:
            gevent.sleep(delay)
        outcome = {
            "username": plan["username"],
            "task": plan["task"],
            "key": None,
            "acked": 0,
            "failed": 0,
            "answers": [],
            "mode": plan["mode"],
        }
        try:
            if not _login(self, plan["username"]):
                outcome["failed"] += 1
                return
            with self.client.get(
                f"/reports/tasks/{plan['task']}/new/", name="report form", catch_response=True
            ) as form:
                match = KEY.search(form.text or "")
                if form.status_code != 200 or not match:
                    form.failure(f"no report form: {form.status_code}")
                    outcome["failed"] += 1
                    return
            key = outcome["key"] = match.group(1)
            data = {
                "progress_text": f"{plan['username']} 本周推进情况：已完成阶段目标，{key}",
                "problems": "资金拨付进度偏慢。" if random.random() < 0.5 else "",
                "next_steps": "下周完成验收准备。",
                "percent": str(random.randint(30, 100)),
                f"indicator_{plan['indicator']}": str(random.randint(1, 99)),
                "submit_key": key,
            }
            files = None
            if plan["attach"]:
                body = f"进展材料 {plan['username']}\n{key}\n".encode()
                files = {"files": ("进展材料.txt", body, "text/plain")}
            if plan["mode"] == "double":  # a double click: the same form twice at once
                calls = [gevent.spawn(self._submit, outcome, key, data, files) for _ in range(2)]
                gevent.joinall(calls)
            else:
                self._submit(outcome, key, data, files)
                if plan["mode"] == "retry":  # the answer was "lost": send it again
                    gevent.sleep(1)
                    self._submit(outcome, key, data, files)
        finally:
            OUTCOMES.append(outcome)
            self.plan = None
            _finished(self.environment)
        raise StopUser()


class Reader(HttpUser):
    """The office or a leader reading while the units report."""

    fixed_count = len(PLAN["readers"]) * PLAN.get("readers_per_account", 1)
    wait_time = between(1, 4)

    def on_start(self):
        index = getattr(Reader, "_next", 0)
        Reader._next = index + 1
        self.account = PLAN["readers"][index % len(PLAN["readers"])]
        _login(self, self.account["username"])

    @task(3)
    def ledger(self):
        page = random.randint(1, max(1, len(PLAN["tasks"]) // 50))
        self.client.get(f"/tasks/?page={page}", name="ledger (台账)")

    @task(3)
    def task_page(self):
        self.client.get(f"/tasks/{random.choice(PLAN['tasks'])}/", name="task page")

    @task(1)
    def cockpit(self):
        if self.account.get("cockpit"):
            self.client.get("/cockpit/", name="cockpit")
