"""督查通报 services: generate a bulletin from live data for a period (a draft, with its
figures frozen in a snapshot and its .docx stored), and issue it (印发: its number is drawn and
it can no longer change). Each checks the permission through access.policy, validates
(ValidationError with Chinese messages; nothing is written then), works in one transaction
and writes the audit log. A command run without a user (actor None) acts as the system and
counts every task."""

from __future__ import annotations

import datetime as dt
import hashlib

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from luoshi.access import policy
from luoshi.access.evaluation import visible_scores
from luoshi.audit.services import audit_log
from luoshi.bulletins.conf import conf
from luoshi.bulletins.models import Bulletin, BulletinSequence, BulletinState
from luoshi.bulletins.render import bulletin_docx
from luoshi.bulletins.statistics import bulletin_statistics
from luoshi.bulletins.texts import default_title
from luoshi.lib import clock
from luoshi.org.models import User
from luoshi.tasks.models import Task

TITLE_MAX = 100


class Preset:
    LAST_MONTH = "last_month"
    THIS_QUARTER = "this_quarter"
    THIS_YEAR = "this_year"
    CUSTOM = "custom"


def preset_period(preset: str, today: dt.date) -> tuple[dt.date, dt.date] | None:
    """上月 (the whole previous month), 本季度 and 本年 (from their first day to today)."""
    if preset == Preset.LAST_MONTH:
        last = today.replace(day=1) - dt.timedelta(days=1)
        return last.replace(day=1), last
    if preset == Preset.THIS_QUARTER:
        first_month = (today.month - 1) // 3 * 3 + 1
        return today.replace(month=first_month, day=1), today
    if preset == Preset.THIS_YEAR:
        return today.replace(month=1, day=1), today
    return None


def _a_year_after(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


def period_validate(date_from: dt.date | None, date_to: dt.date | None, today: dt.date) -> None:
    """The period's rules: both ends given, in order, not after today, at most a year (the
    day before the same date a year later: 2025-12-01 to 2026-11-30)."""
    errors: dict[str, list[str]] = {}
    if date_from is None:
        errors["date_from"] = [_("请填写通报期间的开始日期。")]
    if date_to is None:
        errors["date_to"] = [_("请填写通报期间的结束日期。")]
    if errors:
        raise ValidationError(errors)
    if date_from > date_to:
        raise ValidationError({"date_from": [_("开始日期不能晚于结束日期。")]})
    if date_to > today:
        raise ValidationError(
            {
                "date_to": [
                    _("通报期间不能晚于今天（%(today)s）：未来的情况还无法统计。")
                    % {"today": today.isoformat()}
                ]
            }
        )
    if date_to >= _a_year_after(date_from):
        raise ValidationError({"date_from": [_("通报期间不能超过一年。")]})


def _title(title: str | None, date_from: dt.date, date_to: dt.date) -> str:
    text = " ".join((title or "").split())
    if not text:
        return default_title(date_from, date_to)
    if len(text) > TITLE_MAX:
        raise ValidationError({"title": [_("标题不能超过 %(max)d 个字。") % {"max": TITLE_MAX}]})
    return text


def _tasks_for(actor: User | None):
    return Task.objects.all() if actor is None else policy.visible_tasks(actor)


def _outcomes_for(actor: User | None):
    return None if actor is None else policy.visible_outcomes(actor)


def _scores_for(actor: User | None):
    return None if actor is None else visible_scores(actor)


def bulletin_preview(*, actor: User | None, date_from: dt.date, date_to: dt.date) -> dict:
    """The figures a bulletin of this period would hold now (nothing is written)."""
    if actor is not None:
        policy.require(actor, "bulletin.view")
    today = clock.today()
    period_validate(date_from, date_to, today)
    return bulletin_statistics(
        _tasks_for(actor),
        date_from,
        date_to,
        as_of=today,
        outcomes=_outcomes_for(actor),
        scores=_scores_for(actor),
    )


def _store(bulletin: Bulletin) -> None:
    """(Re)make the bulletin's document from its snapshot and store it. A draft is dated the
    day it was generated, an issued bulletin the day it was issued; its file name is Chinese
    like the document, whatever the language of the page."""
    with translation.override("zh-hans"):
        _store_document(bulletin)


def _store_document(bulletin: Bulletin) -> None:
    body = bulletin_docx(
        snapshot=bulletin.statistics,
        title=bulletin.title,
        issuer=bulletin.issuer,
        number=bulletin.number,
        dated=bulletin.issued_on or timezone.localdate(bulletin.generated_at),
        draft=not bulletin.is_issued,
    )
    if bulletin.is_issued:
        name = _("%(number)s %(title)s.docx") % {
            "number": bulletin.number,
            "title": bulletin.title,
        }
    else:
        name = _("督查通报（草稿）%(from)s至%(to)s.docx") % {
            "from": bulletin.date_from.isoformat(),
            "to": bulletin.date_to.isoformat(),
        }
    bulletin.original_name = name.replace("/", "／")[:200]
    bulletin.size = len(body)
    bulletin.sha256 = hashlib.sha256(body).hexdigest()
    bulletin.file.save("bulletin.docx", ContentFile(body), save=False)


@transaction.atomic
def bulletin_generate(
    *,
    actor: User | None,
    date_from: dt.date | None,
    date_to: dt.date | None,
    title: str | None = None,
) -> Bulletin:
    """生成通报: a draft bulletin of the period, from the tasks the actor sees."""
    if actor is not None:
        policy.require(actor, "bulletin.generate")
    today = clock.today()
    period_validate(date_from, date_to, today)
    title = _title(title, date_from, date_to)
    snapshot = bulletin_statistics(
        _tasks_for(actor),
        date_from,
        date_to,
        as_of=today,
        outcomes=_outcomes_for(actor),
        scores=_scores_for(actor),
    )
    now = clock.now()
    bulletin = Bulletin(
        date_from=date_from,
        date_to=date_to,
        title=title,
        issuer=conf("BULLETIN_ISSUER"),
        scope_unit=actor.scope_unit if actor is not None else None,
        statistics=snapshot,
        generated_by=actor,
        generated_at=now,
    )
    _store(bulletin)
    bulletin.full_clean(exclude=["file", "scope_unit", "generated_by"])
    bulletin.save()
    audit_log(
        actor=actor,
        action="bulletin.generate",
        obj=bulletin,
        data={
            "from": date_from.isoformat(),
            "to": date_to.isoformat(),
            "title": title,
            "tasks": snapshot["total"],
            "overdue": len(snapshot["overdue"]),
            "listed": len(snapshot["listed"]),
            "commended": len(snapshot["commended"]),
            "sha256": bulletin.sha256,
        },
    )
    return bulletin


def _draw_number(year: int) -> int:
    """The next number of `year`: no gap, no duplicate, whoever issues at the same time (as
    the 督办单's numbers: the counter row is updated in place, which takes its row lock or
    SQLite's write lock, and read back in the same transaction)."""
    BulletinSequence.objects.bulk_create(
        [BulletinSequence(year=year, last=0)], ignore_conflicts=True
    )
    BulletinSequence.objects.filter(year=year).update(last=F("last") + 1)
    return BulletinSequence.objects.get(year=year).last


@transaction.atomic
def bulletin_issue(*, actor: User | None, bulletin: Bulletin) -> Bulletin:
    """印发: draw the number, date the document today and make it final. The tasks the
    ladder listed for this bulletin are marked as used (BulletinListing.bulletin_on)."""
    from luoshi.supervision.models import BulletinListing

    if actor is not None:
        policy.require(actor, "bulletin.generate")
    bulletin = Bulletin.objects.select_for_update(no_key=True).get(pk=bulletin.pk)
    if bulletin.state != BulletinState.DRAFT:
        raise ValidationError(
            _("督查通报 %(number)s 已印发，不能再修改或重复印发。") % {"number": bulletin.number}
        )
    today = clock.today()
    bulletin.year = today.year
    bulletin.seq = _draw_number(bulletin.year)
    bulletin.state = BulletinState.ISSUED
    bulletin.issued_by, bulletin.issued_at, bulletin.issued_on = actor, clock.now(), today
    _store(bulletin)
    bulletin.save()
    codes = [row["code"] for row in bulletin.statistics.get("listed", [])]
    used = BulletinListing.objects.filter(
        task__code__in=codes,
        listed_on__gte=bulletin.date_from,
        listed_on__lte=bulletin.date_to,
        bulletin_on__isnull=True,
    ).update(bulletin_on=today)
    audit_log(
        actor=actor,
        action="bulletin.issue",
        obj=bulletin,
        data={"number": str(bulletin.number), "sha256": bulletin.sha256, "listings": used},
    )
    return bulletin
