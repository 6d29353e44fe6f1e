"""`luoshi score`: score a period (考核计分) from the command line, through the same services
as the period page.

    luoshi score --period 12 [--freeze]
    luoshi score --scheme 1 --from 2026-01-01 --to 2026-12-31 [--kind year] [--freeze]

With --scheme a period is made (or the existing one of the same scheme, kind and dates reused).
"""

from __future__ import annotations

import datetime as dt
import time

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from luoshi.evaluation import services
from luoshi.evaluation.models import EvaluationPeriod, EvaluationScheme, PeriodKind


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise CommandError(f"not a date (YYYY-MM-DD): {text}") from exc


class Command(BaseCommand):
    help = "Score an evaluation period (and optionally freeze it)."

    def add_arguments(self, parser):
        parser.add_argument("--period", type=int)
        parser.add_argument("--scheme", type=int)
        parser.add_argument("--from", dest="start")
        parser.add_argument("--to", dest="end")
        parser.add_argument("--kind", choices=PeriodKind.values)
        parser.add_argument("--freeze", action="store_true")

    def handle(self, *args, **opts):
        if opts["period"]:
            period = EvaluationPeriod.objects.filter(pk=opts["period"]).first()
            if period is None:
                raise CommandError(f"no period {opts['period']}")
        elif opts["scheme"] and opts["start"] and opts["end"]:
            scheme = EvaluationScheme.objects.filter(pk=opts["scheme"]).first()
            if scheme is None:
                raise CommandError(f"no scheme {opts['scheme']}")
            start, end = _date(opts["start"]), _date(opts["end"])
            kind = opts["kind"] or PeriodKind.CUSTOM
            period = EvaluationPeriod.objects.filter(
                scheme=scheme, kind=kind, start=start, end=end
            ).first()
            if period is None:
                try:
                    period = services.period_create(
                        actor=None, scheme=scheme, kind=kind, start=start, end=end
                    )
                except ValidationError as exc:
                    raise CommandError(" ".join(exc.messages)) from exc
        else:
            raise CommandError("give --period ID, or --scheme ID --from DATE --to DATE")
        started = time.perf_counter()
        try:
            units = services.period_score(actor=None, period=period)
            if opts["freeze"]:
                services.period_freeze(actor=None, period=period)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        items = period.items.count()
        self.stdout.write(
            f"period {period.pk} ({period.name}, {period.start}..{period.end}): "
            f"{units} units, {items} items, {time.perf_counter() - started:.1f} s"
            + (", frozen" if opts["freeze"] else "")
        )
