"""干部评价: review rounds of cadres on the five dimensions of DESIGN.md.

- CadreReview   a round (name, period), run by the office within its scope (scope_unit);
                open → closed (a closed round takes no more sheets)
- ReviewCadre   a cadre reviewed in the round (a user; their unit at the time)
- Reviewer      a user assigned to review every cadre of the round (never themselves)
- ReviewSheet   one reviewer's sheet on one cadre, submitted once: never overwritten; a
                correction is a new version superseding it (`superseded_by`)
- ReviewScore   one dimension of a sheet: a grade 1–10 and a comment

Scale: 1–10 per dimension (9–10 优秀, 7–8 称职, 5–6 基本称职, 1–4 不称职); results are averages
of the sheets in force, per dimension and overall (the mean of the five).
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

GRADE_MIN = 1
GRADE_MAX = 10


class Dimension(models.TextChoices):
    POLITICAL = "political", _("政治过硬")
    COMPETENCE = "competence", _("本领高强")
    RESPONSIBILITY = "responsibility", _("担当负责")
    FIGHTING = "fighting", _("斗争精神")
    INTEGRITY = "integrity", _("作风廉洁")


class ReviewState(models.TextChoices):
    OPEN = "open", _("评价中")
    CLOSED = "closed", _("已结束")


def grade_band(value: float | None) -> str:
    """The words for a grade or an average: 优秀 / 称职 / 基本称职 / 不称职."""
    if value is None:
        return ""
    if value >= 8.5:
        return str(_("优秀"))
    if value >= 6.5:
        return str(_("称职"))
    if value >= 4.5:
        return str(_("基本称职"))
    return str(_("不称职"))


class CadreReview(models.Model):
    name = models.CharField(_("评价名称"), max_length=200)
    date_from = models.DateField(_("评价期起"))
    date_to = models.DateField(_("评价期止"))
    scope_unit = models.ForeignKey(
        "org.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    state = models.CharField(
        _("状态"), max_length=10, choices=ReviewState.choices, default=ReviewState.OPEN
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-date_to", "-id"]
        verbose_name = _("干部评价")
        verbose_name_plural = _("干部评价")

    def __str__(self) -> str:
        return self.name

    @property
    def is_open(self) -> bool:
        return self.state == ReviewState.OPEN


class ReviewCadre(models.Model):
    review = models.ForeignKey(CadreReview, on_delete=models.CASCADE, related_name="cadres")
    cadre = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(
        "org.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["review", "cadre"], name="reviewcadre_once")]

    def __str__(self) -> str:
        return f"{self.review_id} {self.cadre_id}"


class Reviewer(models.Model):
    review = models.ForeignKey(CadreReview, on_delete=models.CASCADE, related_name="reviewers")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["review", "user"], name="reviewer_once")]

    def __str__(self) -> str:
        return f"{self.review_id} {self.user_id}"


class ReviewSheet(models.Model):
    review = models.ForeignKey(CadreReview, on_delete=models.PROTECT, related_name="sheets")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    cadre = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    version = models.PositiveIntegerField(default=1)
    comment = models.TextField(_("总体评价"), blank=True)
    submitted_at = models.DateTimeField()
    superseded_by = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="supersedes"
    )
    # False once a correction supersedes it (set before the new version is written)
    current = models.BooleanField(default=True)

    class Meta:
        ordering = ["review", "cadre", "reviewer", "version"]
        constraints = [
            models.UniqueConstraint(
                fields=["review", "reviewer", "cadre", "version"], name="reviewsheet_version"
            ),
            # one sheet in force per reviewer and cadre: a second submission is refused
            models.UniqueConstraint(
                fields=["review", "reviewer", "cadre"],
                condition=models.Q(current=True),
                name="reviewsheet_one_in_force",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.review_id} {self.reviewer_id}→{self.cadre_id} v{self.version}"


class ReviewScore(models.Model):
    sheet = models.ForeignKey(ReviewSheet, on_delete=models.PROTECT, related_name="scores")
    dimension = models.CharField(_("维度"), max_length=20, choices=Dimension.choices)
    grade = models.PositiveSmallIntegerField(
        _("评分"), validators=[MinValueValidator(GRADE_MIN), MaxValueValidator(GRADE_MAX)]
    )
    comment = models.TextField(_("评语"), blank=True)

    class Meta:
        ordering = ["sheet", "id"]
        constraints = [
            models.UniqueConstraint(fields=["sheet", "dimension"], name="reviewscore_once"),
            models.CheckConstraint(
                condition=models.Q(grade__gte=GRADE_MIN, grade__lte=GRADE_MAX),
                name="reviewscore_grade_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.sheet_id} {self.dimension} {self.grade}"
