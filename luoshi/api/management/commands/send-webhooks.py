from __future__ import annotations

from django.core.management.base import BaseCommand

from luoshi.api.webhooks import webhook_deliveries_send_due


class Command(BaseCommand):
    help = "Send the outgoing webhooks (推送订阅) that are due (the worker does this every minute)."

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=100)

    def handle(self, *args, limit: int, **options):
        result = webhook_deliveries_send_due(limit=limit)
        self.stdout.write(f"sent {result['sent']}, failed {result['failed']}")
