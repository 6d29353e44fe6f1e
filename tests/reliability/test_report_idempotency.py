"""填报 twice with the same form (double click, retry after a lost answer): one report.

The form carries a hidden one-time key; report_submit returns the first report for a key it
has seen, and a unique constraint on (author, key) backs that up."""

import re

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from luoshi.audit.models import AuditEvent
from luoshi.reports.models import ProgressReport
from luoshi.reports.services import report_submit
from luoshi.tasks.models import EventKind, TaskEvent

pytestmark = pytest.mark.django_db


def _url(task):
    return reverse("reports:submit", args=[task.pk])


def _key(page: str) -> str:
    match = re.search(r'name="submit_key" value="([^"]*)"', page)
    assert match, "the report form carries its one-time key"
    return match.group(1)


def _post(client, task, key, **extra):
    data = {"progress_text": "已完成方案编制。", "percent": "35", "submit_key": key, **extra}
    return client.post(_url(task), data)


def test_form_has_a_fresh_key_each_time(world, today, login):
    client = login(world.liaison_a)
    first = _key(client.get(_url(world.live)).content.decode())
    second = _key(client.get(_url(world.live)).content.decode())
    assert re.fullmatch(r"[0-9a-f]{32}", first) and first != second


def test_double_submit_writes_one_report_event_and_audit_row(world, today, login):
    client = login(world.liaison_a)
    key = _key(client.get(_url(world.live)).content.decode())
    events, audits = TaskEvent.objects.count(), AuditEvent.objects.count()
    one = _post(client, world.live, key)
    two = _post(client, world.live, key, percent="40")  # the retry is not a second report
    assert one.status_code == two.status_code == 302
    assert one["Location"] == two["Location"] == reverse("tasks:detail", args=[world.live.pk])
    report = ProgressReport.objects.get(task=world.live)
    assert report.submit_key == key and report.percent == 35
    assert TaskEvent.objects.count() == events + 1
    assert TaskEvent.objects.filter(kind=EventKind.REPORTED, task=world.live).count() == 1
    assert AuditEvent.objects.filter(action="report.submit").count() == 1
    assert AuditEvent.objects.count() == audits + 1
    world.live.refresh_from_db()
    assert world.live.progress == 35


def test_two_forms_are_two_reports(world, today, login):
    client = login(world.liaison_a)
    for percent in ("35", "40"):
        key = _key(client.get(_url(world.live)).content.decode())
        assert _post(client, world.live, key, percent=percent).status_code == 302
    assert sorted(ProgressReport.objects.values_list("percent", flat=True)) == [35, 40]


def test_refused_form_keeps_its_key_and_the_corrected_post_is_saved(world, today, login):
    client = login(world.liaison_a)
    key = _key(client.get(_url(world.live)).content.decode())
    refused = _post(client, world.live, key, percent="120")
    assert refused.status_code == 200 and "完成进度须在 0 到 100 之间" in refused.content.decode()
    assert _key(refused.content.decode()) == key
    assert not ProgressReport.objects.exists()
    assert _post(client, world.live, key).status_code == 302
    assert ProgressReport.objects.get().submit_key == key


@pytest.mark.parametrize("bad", ["short", "有中文的标识符号码号码", "a" * 65, "x' OR 1=1 --"])
def test_bad_key_is_refused_in_chinese_and_writes_nothing(world, today, login, counts, bad):
    client = login(world.liaison_a)
    before = counts()
    response = _post(client, world.live, bad)
    assert response.status_code == 200
    assert "表单标识无效，请重新打开填报页面后再提交。" in response.content.decode()
    assert counts() == before


def test_key_of_another_task_is_refused(world, today, login, counts):
    client = login(world.liaison_a)
    key = _key(client.get(_url(world.live)).content.decode())
    assert _post(client, world.live, key).status_code == 302
    world.pending.refresh_from_db()
    before = counts()
    response = _post(client, world.pending, key)
    assert response.status_code == 200
    assert "该表单已用于另一项任务的填报" in response.content.decode()
    assert counts() == before


def test_service_returns_the_first_report_and_other_authors_are_apart(world, today):
    kwargs = {"task": world.live, "progress_text": "进展", "percent": 10, "submit_key": "k" * 32}
    first = report_submit(actor=world.liaison_a, **kwargs)
    again = report_submit(actor=world.liaison_a, **{**kwargs, "percent": 90})
    assert again.pk == first.pk and again.percent == 10
    other = report_submit(actor=world.liaison_b, **kwargs)  # co-unit B, same key string
    assert other.pk != first.pk
    without = [report_submit(actor=world.liaison_a, **{**kwargs, "submit_key": ""}) for _ in "12"]
    assert without[0].pk != without[1].pk  # no key (API, imports): every call is a report
    assert ProgressReport.objects.count() == 4


def test_unique_constraint_backs_the_check(world, today):
    kwargs = {"task": world.live, "progress_text": "进展", "percent": 10, "submit_key": "k" * 32}
    first = report_submit(actor=world.liaison_a, **kwargs)
    with pytest.raises(IntegrityError), transaction.atomic():
        ProgressReport.objects.create(
            task=first.task,
            unit=first.unit,
            author=first.author,
            submitted_at=first.submitted_at,
            report_date=first.report_date,
            progress_text="复制",
            percent=10,
            submit_key=first.submit_key,
        )
