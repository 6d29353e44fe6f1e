"""The worker's half of the deliveries: claim what is due, send it, record the outcome.

Claiming is one conditional UPDATE (the pattern of healthchecks' sendalerts): rows that are
due — pending or failed with next_attempt_at <= now, or 'sending' under a claim older than
NOTIFY_STALE_MINUTES (its worker died) — get this run's claim token. A row another worker
claimed first no longer matches the WHERE clause, so two workers never send one delivery
twice. Sending happens outside any database transaction, with strict timeouts, a few
destinations at a time; a destination that cannot be reached puts off the rest of this run's
messages to it instead of making each of them wait out the timeout, and never stops the
others. Each outcome is written back under the claim token: sent, or failed with the next
attempt after an exponential backoff (1, 5, 25, 125 … minutes, capped), or dead after
NOTIFY_MAX_ATTEMPTS attempts."""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from luoshi.notifications.channels import ChannelError, Outgoing, get_channel
from luoshi.notifications.conf import conf
from luoshi.notifications.models import Channel, Delivery, DeliveryStatus

logger = logging.getLogger(__name__)

SENT, FAILED, DEFERRED, DEAD = "sent", "failed", "deferred", "dead"


@dataclass
class Outcome:
    delivery_id: int
    result: str  # SENT, FAILED, DEFERRED or DEAD (refused before sending)
    error: str = ""


def backoff(attempts: int) -> dt.timedelta:
    """How long to wait after the `attempts`-th failed attempt: 1, 5, 25, 125 … minutes."""
    first = float(conf("NOTIFY_BACKOFF_FIRST_MINUTES"))
    factor = float(conf("NOTIFY_BACKOFF_FACTOR"))
    cap = float(conf("NOTIFY_BACKOFF_CAP_MINUTES"))
    minutes = min(first * factor ** max(attempts - 1, 0), cap)
    return dt.timedelta(minutes=minutes)


def _due(now: dt.datetime) -> Q:
    stale_before = now - dt.timedelta(minutes=float(conf("NOTIFY_STALE_MINUTES")))
    return Q(
        status__in=[DeliveryStatus.PENDING, DeliveryStatus.FAILED], next_attempt_at__lte=now
    ) | Q(status=DeliveryStatus.SENDING, claimed_at__lt=stale_before)


def deliveries_claim(*, now: dt.datetime, limit: int) -> tuple[str, list[Delivery]]:
    """Claim up to `limit` due deliveries for this run; return the token and the rows."""
    due = _due(now)
    ids = list(
        Delivery.objects.filter(due)
        .order_by("next_attempt_at", "id")
        .values_list("id", flat=True)[:limit]
    )
    token = uuid.uuid4().hex
    if not ids:
        return token, []
    # The WHERE clause repeats the due condition: a row claimed by another worker since we
    # read the ids no longer matches (PostgreSQL re-checks it on the updated row).
    Delivery.objects.filter(due, pk__in=ids).update(
        status=DeliveryStatus.SENDING,
        claim_token=token,
        claimed_at=now,
        attempts=F("attempts") + 1,
    )
    rows = list(
        Delivery.objects.filter(claim_token=token, status=DeliveryStatus.SENDING)
        .select_related("user", "endpoint")
        .order_by("next_attempt_at", "id")
    )
    return token, rows


def _outgoing(row: Delivery) -> Outgoing | str:
    """The message to send, or the reason it cannot be sent at all."""
    if row.user_id is not None and not row.user.is_active:
        return _("接收人的账号已停用。")
    to, secret = row.target, ""
    if row.channel not in (Channel.EMAIL, Channel.SMS):
        if row.endpoint is None:
            return _("群机器人已删除。")
        if not row.endpoint.enabled:
            return _("群机器人已停用。")
        to, secret = row.endpoint.url, row.endpoint.secret
    return Outgoing(
        delivery_id=row.pk,
        channel=row.channel,
        to=to,
        subject=row.subject,
        body=row.body,
        url=row.url,
        secret=secret,
    )


def _send_group(messages: list[Outgoing], timeout: float, language: str) -> list[Outcome]:
    """Send messages to one destination in turn; once it proves unreachable, put off the
    rest (they are tried again with the failed one)."""
    outcomes: list[Outcome] = []
    down = ""
    with translation.override(language):
        for message in messages:
            if down:
                outcomes.append(Outcome(message.delivery_id, DEFERRED, down))
                continue
            try:
                get_channel(message.channel).send(message, timeout=timeout)
            except ChannelError as exc:
                outcomes.append(Outcome(message.delivery_id, FAILED, str(exc)))
                if exc.unreachable:
                    down = _("未发送：同一接收方的上一条消息发送失败（%(error)s），已顺延。") % {
                        "error": exc
                    }
            except Exception as exc:  # a bug in one channel must not stop the others
                logger.exception("notification delivery %s crashed", message.delivery_id)
                error = f"{type(exc).__name__}: {exc}"
                outcomes.append(Outcome(message.delivery_id, FAILED, error))
            else:
                outcomes.append(Outcome(message.delivery_id, SENT))
    return outcomes


def deliveries_send(rows: list[Delivery]) -> list[Outcome]:
    """Send claimed rows (no database access while sending)."""
    from django.conf import settings

    outcomes: list[Outcome] = []
    groups: dict[str, list[Outgoing]] = defaultdict(list)
    for row in rows:
        message = _outgoing(row)
        if isinstance(message, str):
            outcomes.append(Outcome(row.pk, DEAD, message))
        else:
            groups[message.group].append(message)
    if not groups:
        return outcomes
    timeout = float(conf("NOTIFY_TIMEOUT"))
    threads = max(1, min(int(conf("NOTIFY_SEND_THREADS")), len(groups)))
    language = settings.LANGUAGE_CODE
    if threads == 1:
        for messages in groups.values():
            outcomes += _send_group(messages, timeout, language)
        return outcomes
    with ThreadPoolExecutor(max_workers=threads, thread_name_prefix="luoshi-send") as pool:
        futures = [pool.submit(_send_group, m, timeout, language) for m in groups.values()]
        for future in futures:
            outcomes += future.result()
    return outcomes


def deliveries_record(
    *, token: str, rows: list[Delivery], outcomes: list[Outcome], now: dt.datetime
) -> dict[str, int]:
    """Write each outcome back, under this run's claim (a row reclaimed meanwhile is left to
    the run that holds it now)."""
    by_id = {row.pk: row for row in rows}
    max_attempts = int(conf("NOTIFY_MAX_ATTEMPTS"))
    counts = {SENT: 0, FAILED: 0, DEFERRED: 0, DEAD: 0}
    retry_at: dict[int, dt.datetime] = {}
    for outcome in outcomes:
        row = by_id[outcome.delivery_id]
        mine = Delivery.objects.filter(pk=row.pk, claim_token=token, status=DeliveryStatus.SENDING)
        if outcome.result == SENT:
            mine.update(
                status=DeliveryStatus.SENT, sent_at=now, last_error="", next_attempt_at=None
            )
            counts[SENT] += 1
        elif outcome.result == DEAD or (outcome.result == FAILED and row.attempts >= max_attempts):
            mine.update(status=DeliveryStatus.DEAD, last_error=outcome.error, next_attempt_at=None)
            counts[DEAD] += 1
        elif outcome.result == FAILED:
            at = now + backoff(row.attempts)
            retry_at[row.pk] = at
            mine.update(status=DeliveryStatus.FAILED, last_error=outcome.error, next_attempt_at=at)
            counts[FAILED] += 1
    # Put-off rows were not attempted: their claim's attempt is given back, and they wait
    # as long as the failure that stopped them.
    soonest = min(retry_at.values(), default=now + backoff(1))
    for outcome in outcomes:
        if outcome.result != DEFERRED:
            continue
        row = by_id[outcome.delivery_id]
        Delivery.objects.filter(pk=row.pk, claim_token=token, status=DeliveryStatus.SENDING).update(
            status=DeliveryStatus.FAILED if row.attempts > 1 else DeliveryStatus.PENDING,
            attempts=F("attempts") - 1,
            last_error=outcome.error,
            next_attempt_at=soonest,
        )
        counts[DEFERRED] += 1
    return counts


def deliveries_send_due(*, now: dt.datetime | None = None, limit: int = 200) -> dict[str, int]:
    """Claim, send and record up to `limit` due deliveries. Run by the worker every minute
    and by `luoshi send-notifications`. Returns counts: claimed, sent, failed (to be
    retried), deferred (put off behind an unreachable destination), dead (given up)."""
    now = now or timezone.now()
    token, rows = deliveries_claim(now=now, limit=limit)
    if not rows:
        return {"claimed": 0, SENT: 0, FAILED: 0, DEFERRED: 0, DEAD: 0}
    outcomes = deliveries_send(rows)
    counts = deliveries_record(token=token, rows=rows, outcomes=outcomes, now=now)
    return {"claimed": len(rows), **counts}
