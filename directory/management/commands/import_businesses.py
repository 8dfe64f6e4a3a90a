from django.core.management.base import BaseCommand, CommandError

from config.progress import Progress
from directory import importer


class Command(BaseCommand):
    help = (
        "Import business profiles from a .csv or .jsonl file (format in the README). "
        "Rows are upserted by external_id and committed in batches; invalid rows are reported and skipped."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--dry-run", action="store_true", help="Validate everything, save nothing.")
        parser.add_argument(
            "--batch-size", type=int, default=importer.BATCH_SIZE,
            help=f"Rows committed per transaction (default {importer.BATCH_SIZE}).",
        )

    def handle(self, *args, file, dry_run, batch_size, **options):
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        try:
            total = importer.count_rows(file)
            with Progress(total=total, description="import", stream=self.stderr._out) as progress:
                report = importer.import_file(file, dry_run=dry_run, progress=progress, batch_size=batch_size)
        except (importer.ImportFileError, OSError) as error:
            raise CommandError(str(error)) from None

        for error in report.errors:
            self.stderr.write(str(error))
        self.stdout.write(
            f"{report.rows} rows: created {report.created}, updated {report.updated}, "
            f"unchanged {report.unchanged}, invalid {report.invalid_rows}"
            + (" (dry run: nothing was saved)." if dry_run else ".")
        )
        if report.errors:
            raise CommandError(f"{report.invalid_rows} invalid row(s); see the report above.", returncode=1)
