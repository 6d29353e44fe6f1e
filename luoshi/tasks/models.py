from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from luoshi.org.models import Unit


class SourceKind(models.TextChoices):
    DOCUMENT = "document", _("文件")
    MEETING = "meeting", _("会议")
    INSTRUCTION = "instruction", _("领导批示")
    WORK_REPORT = "work_report", _("政府工作报告")
    PROPOSAL = "proposal", _("人大建议/政协提案")
    CLUE = "clue", _("群众线索")
    FINDING = "finding", _("督查发现")


class Source(models.Model):
    """任务来源: a document, a meeting, a leader's instruction… that tasks come from."""

    kind = models.CharField(_("来源类型"), max_length=20, choices=SourceKind.choices)
    code = models.CharField(_("来源编号"), max_length=40, unique=True)
    title = models.CharField(_("标题"), max_length=200)
    doc_number = models.CharField(_("文号"), max_length=100, blank=True)
    issued_on = models.DateField(_("日期"), null=True, blank=True)
    issuer = models.CharField(_("发文单位/批示领导"), max_length=100, blank=True)
    content = models.TextField(_("内容摘要"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-issued_on", "-id"]
        verbose_name = _("任务来源")
        verbose_name_plural = _("任务来源")

    def __str__(self) -> str:
        return self.title


class TaskState(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("task state", "起草")
    ASSIGNED = "assigned", pgettext_lazy("task state", "已交办")
    IN_PROGRESS = "in_progress", pgettext_lazy("task state", "办理中")
    CLOSURE_REQUESTED = "closure_requested", pgettext_lazy("task state", "申请办结")
    CLOSED = "closed", pgettext_lazy("task state", "已办结")
    SUSPENDED = "suspended", pgettext_lazy("task state", "暂缓")
    CANCELLED = "cancelled", pgettext_lazy("task state", "撤销")


OPEN_STATES = (TaskState.ASSIGNED, TaskState.IN_PROGRESS, TaskState.CLOSURE_REQUESTED)


class Light(models.TextChoices):
    GREEN = "green", _("绿灯")
    YELLOW = "yellow", _("黄灯")
    RED = "red", _("红灯")
    BLUE = "blue", _("蓝灯")
    NONE = "", _("无")


class Priority(models.TextChoices):
    NORMAL = "normal", _("一般")
    HIGH = "high", _("重要")
    URGENT = "urgent", _("紧急")


class ReportCycle(models.TextChoices):
    NONE = "none", _("不定期")
    WEEKLY = "weekly", _("每周")
    SEMIMONTHLY = "semimonthly", _("每半月")
    MONTHLY = "monthly", _("每月")
    QUARTERLY = "quarterly", _("每季度")
    MONTHLY_DAY = "monthly_day", _("每月N日前")


class Task(models.Model):
    """目标 / 任务 / 子任务. A goal is a top-level task; `parent` makes the tree.

    `path` is the materialised path of ids ("12/40/41/") for subtree queries and roll-ups.
    `light`, `light_reasons` and `progress` are computed (tasks.lights) and stored so that
    lists filter and sort on them.
    """

    source = models.ForeignKey(
        Source, on_delete=models.PROTECT, related_name="tasks", verbose_name=_("任务来源")
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name=_("上级任务"),
    )
    path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    sort_order = models.PositiveIntegerField(default=0)

    code = models.CharField(_("任务编号"), max_length=60, unique=True)
    title = models.CharField(_("任务名称"), max_length=300)
    content = models.TextField(_("具体内容"), blank=True)
    category = models.CharField(_("类别"), max_length=50, blank=True, db_index=True)
    priority = models.CharField(
        _("优先级"), max_length=10, choices=Priority.choices, default=Priority.NORMAL
    )

    lead_leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="led_tasks",
        verbose_name=_("牵头领导"),
    )
    lead_unit = models.ForeignKey(
        Unit,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="led_tasks",
        verbose_name=_("牵头单位"),
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="owned_tasks",
        verbose_name=_("责任人"),
    )

    start_date = models.DateField(_("开始日期"), null=True, blank=True)
    due = models.DateField(_("完成时限"), null=True, blank=True, db_index=True)
    ongoing = models.BooleanField(_("长期坚持"), default=False)
    due_text = models.CharField(_("时限原文"), max_length=100, blank=True)
    report_cycle = models.CharField(
        _("反馈周期"), max_length=20, choices=ReportCycle.choices, default=ReportCycle.MONTHLY
    )
    report_day = models.PositiveSmallIntegerField(
        _("每月报送日"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(28)],
    )

    state = models.CharField(
        _("状态"),
        max_length=20,
        choices=TaskState.choices,
        default=TaskState.DRAFT,
        db_index=True,
    )
    light = models.CharField(
        _("亮灯"),
        max_length=10,
        choices=Light.choices,
        default=Light.NONE,
        blank=True,
        db_index=True,
    )
    light_reasons = models.JSONField(default=list, blank=True)
    light_computed_on = models.DateField(null=True, blank=True)
    progress = models.PositiveSmallIntegerField(
        _("进度"), default=0, validators=[MaxValueValidator(100)]
    )
    last_report_on = models.DateField(_("最近填报"), null=True, blank=True)
    assigned_at = models.DateTimeField(_("交办时间"), null=True, blank=True)
    returned_at = models.DateTimeField(_("退回时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    closed_late = models.BooleanField(_("逾期办结"), default=False)
    due_extended = models.BooleanField(_("已延期"), default=False)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["path"]
        verbose_name = _("任务")
        verbose_name_plural = _("任务")
        indexes = [
            models.Index(fields=["lead_unit", "state"]),
            models.Index(fields=["state", "light"]),
            models.Index(fields=["source", "path"]),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    @property
    def is_leaf(self) -> bool:
        return not self.children.exists()


class AssignmentRole(models.TextChoices):
    LEAD = "lead", _("牵头单位")
    CO = "co", _("配合单位")


class TaskUnit(models.Model):
    """One unit's part in a task: the lead unit or a co-unit (配合单位). Each signs for it
    (签收) and reports its own part."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="assignments")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="assignments")
    role = models.CharField(max_length=10, choices=AssignmentRole.choices)
    acknowledged_at = models.DateTimeField(_("签收时间"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    progress = models.PositiveSmallIntegerField(default=0, validators=[MaxValueValidator(100)])
    last_report_on = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["task", "unit"], name="taskunit_unique_task_unit")
        ]
        indexes = [models.Index(fields=["unit", "acknowledged_at"])]
        ordering = ["role", "id"]

    def __str__(self) -> str:
        return f"{self.task.code} {self.unit} ({self.role})"


class Milestone(models.Model):
    """时间节点: an intermediate deadline with its own target."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("节点内容"), max_length=200)
    due = models.DateField(_("节点时限"))
    target = models.CharField(_("节点目标"), max_length=200, blank=True)
    completed_on = models.DateField(_("完成日期"), null=True, blank=True)
    sort_order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["due", "sort_order", "id"]
        verbose_name = _("时间节点")
        verbose_name_plural = _("时间节点")

    def __str__(self) -> str:
        return f"{self.due} {self.title}"


class Indicator(models.Model):
    """量化指标: name, unit of measure, baseline, target and the latest reported value."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="indicators")
    name = models.CharField(_("指标名称"), max_length=100)
    measure_unit = models.CharField(_("计量单位"), max_length=20, blank=True)
    baseline = models.DecimalField(
        _("基期值"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    target = models.DecimalField(_("目标值"), max_digits=16, decimal_places=2)
    current = models.DecimalField(
        _("当前值"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    sort_order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["sort_order", "id"]
        verbose_name = _("量化指标")
        verbose_name_plural = _("量化指标")

    def __str__(self) -> str:
        return self.name


class EventKind(models.TextChoices):
    CREATED = "created", pgettext_lazy("history", "创建")
    UPDATED = "updated", pgettext_lazy("history", "修改")
    ASSIGNED = "assigned", pgettext_lazy("history", "交办")
    ACKNOWLEDGED = "acknowledged", pgettext_lazy("history", "签收")
    REPORTED = "reported", pgettext_lazy("history", "填报")
    CLOSURE_REQUESTED = "closure_requested", pgettext_lazy("history", "申请办结")
    HEAD_APPROVED = "head_approved", pgettext_lazy("history", "单位负责人同意上报")
    HEAD_RETURNED = "head_returned", pgettext_lazy("history", "单位负责人退回")
    CLOSED = "closed", pgettext_lazy("history", "审核通过")
    RETURNED = "returned", pgettext_lazy("history", "退回")
    SUSPENDED = "suspended", pgettext_lazy("history", "暂缓")
    RESUMED = "resumed", pgettext_lazy("history", "恢复")
    CANCELLED = "cancelled", pgettext_lazy("history", "撤销")
    LIGHT_CHANGED = "light_changed", pgettext_lazy("history", "亮灯变化")
    MILESTONE_DONE = "milestone_done", pgettext_lazy("history", "节点完成")
    # The supervision engine (督办): reminders, urging, notices, talks and field checks.
    REMINDED = "reminded", pgettext_lazy("history", "提醒")
    URGED = "urged", pgettext_lazy("history", "催办")
    NOTICE_DRAFTED = "notice_drafted", pgettext_lazy("history", "督办单拟稿")
    NOTICE_ISSUED = "notice_issued", pgettext_lazy("history", "下发督办单")
    NOTICE_REPLIED = "notice_replied", pgettext_lazy("history", "督办单回复")
    NOTICE_CLOSED = "notice_closed", pgettext_lazy("history", "督办单办结")
    LEADER_NOTIFIED = "leader_notified", pgettext_lazy("history", "报告牵头领导")
    BULLETIN_LISTED = "bulletin_listed", pgettext_lazy("history", "列入通报")
    TALK_RECORDED = "talk_recorded", pgettext_lazy("history", "约谈")
    FIELD_CHECKED = "field_checked", pgettext_lazy("history", "实地核查")
    # Extensions (延期申请) and re-checks (回头看).
    EXTENSION_REQUESTED = "extension_requested", pgettext_lazy("history", "申请延期")
    EXTENSION_APPROVED = "extension_approved", pgettext_lazy("history", "同意延期")
    EXTENSION_REFUSED = "extension_refused", pgettext_lazy("history", "不同意延期")
    RECHECK_SCHEDULED = "recheck_scheduled", pgettext_lazy("history", "安排回头看")
    RECHECK_CONFIRMED = "recheck_confirmed", pgettext_lazy("history", "回头看通过")
    RECHECK_FAILED = "recheck_failed", pgettext_lazy("history", "回头看未通过")
    RECHECK_CANCELLED = "recheck_cancelled", pgettext_lazy("history", "取消回头看")
    REOPENED = "reopened", pgettext_lazy("history", "重新办理")


class TaskEvent(models.Model):
    """The task's history: append-only. Every state change writes one."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=30, choices=EventKind.choices)
    at = models.DateTimeField(db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    unit = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    message = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["task", "at"])]

    def __str__(self) -> str:
        return f"{self.task_id} {self.kind} {self.at:%Y-%m-%d}"


class ClosureDecision(models.TextChoices):
    # Where the unit head must approve a liaison's request before it goes up (setting
    # LUOSHI["CLOSURE_NEEDS_HEAD_APPROVAL"]), the request waits here first.
    HEAD_PENDING = "head_pending", pgettext_lazy("closure decision", "待单位负责人审核")
    PENDING = "pending", pgettext_lazy("closure decision", "待审核")
    APPROVED = "approved", pgettext_lazy("closure decision", "审核通过")
    RETURNED = "returned", pgettext_lazy("closure decision", "退回")


class ClosureRequest(models.Model):
    """办结申请: the lead unit says the task is done, with a summary and evidence."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="closure_requests")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    summary = models.TextField(_("办结情况"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField()
    decision = models.CharField(
        max_length=20, choices=ClosureDecision.choices, default=ClosureDecision.PENDING
    )
    head_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    head_approved_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    comment = models.TextField(_("审核意见"), blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]

    def __str__(self) -> str:
        return f"{self.task.code} {self.get_decision_display()}"
