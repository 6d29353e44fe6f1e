"""`luoshi generate` refuses bad arguments and a non-empty database, in Chinese, changing
nothing."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from luoshi.org.models import Role, Unit, User
from luoshi.reports.models import ProgressReport
from luoshi.tasks.models import Task

from .conftest import generate

SMALL = ["--units", "40", "--tasks", "200", "--reports", "1000", "--today", "2026-06-15"]


def _run(*args: str) -> None:
    call_command("generate", *args, stdout=open("/dev/null", "w"))  # noqa: SIM115


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--units", "abc"], "单位数“abc”不是整数"),
        (["--tasks", "1.5"], "任务数“1.5”不是整数"),
        (["--units", "2"], "单位数应在 3 到"),
        (["--tasks", "0"], "任务数应在 1 到"),
        (["--reports", "-1"], "填报数应在 0 到"),
        (["--seed", "-3"], "随机种子不能为负数"),
        (["--today", "2026-13-01"], "当前日期“2026-13-01”不是有效日期"),
        (["--start", "2026-06-01"], "起始日期应早于当前日期至少 30 天"),
        (["--start", "2020-01-01"], "起止日期相隔不能超过三年"),
    ],
)
def test_bad_arguments_are_refused_in_chinese(args, message):
    argv = [*SMALL]
    for name, value in zip(args[::2], args[1::2], strict=True):
        at = argv.index(name) if name in argv else None
        if at is None:
            argv += [name, value]
        else:
            argv[at + 1] = value
    with pytest.raises(CommandError, match=message):
        _run(*argv)
    assert not Unit.objects.exists() and not Task.objects.exists()
    assert not User.objects.exists()


@pytest.mark.django_db
def test_command_generates_what_it_says():
    _run(*SMALL)
    assert Unit.objects.count() == 40
    assert Task.objects.count() == 200
    assert ProgressReport.objects.exists()
    assert User.objects.filter(role=Role.SUPERVISOR, scope_unit=None).exists()


@pytest.mark.django_db
def test_non_empty_database_is_refused_unless_forced():
    User.objects.create_user("someone", role=Role.LIAISON)
    with pytest.raises(CommandError, match="数据库中已有单位、用户或任务"):
        _run(*SMALL)
    assert not Task.objects.exists() and User.objects.count() == 1

    _run(*SMALL, "--force")
    assert Task.objects.count() == 200
    assert User.objects.filter(username="someone").exists()
    # a second province beside the first: names and codes carry a prefix, nothing collides
    before = Task.objects.count()
    generate(units=40, tasks=200, reports=1000, seed=3, force=True)
    assert Task.objects.count() == before + 200
    assert Unit.objects.filter(name__startswith="G").count() == 80
