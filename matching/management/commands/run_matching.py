from django.core.management.base import BaseCommand, CommandError

from config.progress import Progress
from directory.models import Business
from matching import runs, tasks


class Command(BaseCommand):
    help = (
        "Propose trade introductions. Incremental by default (firms changed since the "
        "last successful run); --full looks at every firm. --sync runs in this process "
        "instead of on the Celery workers."
    )

    def add_arguments(self, parser):
        parser.add_argument("--full", action="store_true")
        parser.add_argument("--sync", action="store_true")

    def handle(self, *args, full, sync, **options):
        if not sync:
            run_id = tasks.run_matching.delay(full=full).get(timeout=60)
            if run_id is None:
                raise CommandError("A matching run is already in progress.")
            self.stdout.write(f"Matching run {run_id} queued on the workers.")
            return
        total = Business.objects.public().count()
        try:
            with Progress(total=total, description="matching", stream=self.stderr._out) as progress:
                run = runs.run_matching_now(full=full, progress=progress)
        except runs.RunInProgress as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"Run {run.pk} ({run.mode}): {run.firms_considered} firms, {run.candidates_scored} candidates scored, "
            f"{run.proposals_created} proposals created, {run.proposals_refreshed} refreshed."
        )
