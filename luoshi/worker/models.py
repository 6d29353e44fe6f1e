"""What the worker records in the database: which day's scheduled work has been claimed and
done (luoshi/worker/claims.py)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ScheduledRun(models.Model):
    """One day's run of a piece of scheduled work ("tick", "digest"): one row per (what, day),
    made by the worker that claims it. It is the mark that the work is done, kept in the
    database with the work's results, so that it holds whatever happens to the queue's store
    (a Redis restart) and on however many machines the workers run."""

    class Status(models.TextChoices):
        RUNNING = "running", _("进行中")
        DONE = "done", _("已完成")
        FAILED = "failed", _("失败")

    what = models.CharField(_("工作"), max_length=40)
    day = models.DateField(_("日期"))
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices)
    # host:pid:token of the claiming worker; every later write is made under it
    owner = models.CharField(_("执行进程"), max_length=200)
    attempts = models.PositiveIntegerField(_("次数"), default=1)
    started_at = models.DateTimeField(_("开始时间"))
    # another worker may take the work over once this passes (its worker died or hangs)
    lease_until = models.DateTimeField(_("占用至"))
    finished_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    summary = models.JSONField(_("结果"), default=dict, blank=True)
    error = models.TextField(_("错误"), blank=True)

    class Meta:
        verbose_name = _("定时工作记录")
        verbose_name_plural = _("定时工作记录")
        constraints = [
            models.UniqueConstraint(fields=["what", "day"], name="worker_run_once_per_day"),
        ]

    def __str__(self) -> str:
        return f"{self.what} {self.day.isoformat()} {self.status}"
