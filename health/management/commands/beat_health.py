"""The health check of the beat container: beat is alive if it sent a
scheduled task recently. The search outbox drain is due every minute, so a
beat that has sent nothing for ten minutes has stopped."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from health.selectors import beat_last_sent


class Command(BaseCommand):
    help = "Exit 0 if beat sent a scheduled task within --max-age seconds, 1 if not."

    def add_arguments(self, parser):
        parser.add_argument("--max-age", type=int, default=600, help="seconds (default 600)")

    def handle(self, *args, max_age, **options):
        last = beat_last_sent()
        if last is None:
            raise CommandError("beat has not sent any scheduled task yet")
        age = (timezone.now() - last).total_seconds()
        if age > max_age:
            raise CommandError(f"beat last sent a scheduled task {round(age)} s ago (limit {max_age} s)")
        self.stdout.write(f"beat sent a scheduled task {round(age)} s ago")
