from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from config.progress import Progress
from directory.models import Business
from search import outbox
from search.backends import get_search_backend
from search.selectors import ENGINE_ERRORS


class Command(BaseCommand):
    help = (
        "Look after the search index. rebuild: build a new index and swap it in "
        "without downtime; ensure: build one only if there is none (a first start); update: apply pending changes (the outbox) now; status: "
        "documents, alias and outbox; reconcile: report drift between database and "
        "index (--fix repairs it)."
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["rebuild", "ensure", "update", "status", "reconcile"])
        parser.add_argument("--fix", action="store_true", help="With reconcile: repair the drift found.")

    def handle(self, *args, action, fix, **options):
        backend = get_search_backend()
        try:
            getattr(self, action)(backend, fix=fix)
        except ENGINE_ERRORS as error:
            raise CommandError(f"The search engine did not answer: {error}") from None

    def rebuild(self, backend, **options):
        if backend.name == "database":
            self.stdout.write("The database backend is written with every change; there is nothing to rebuild.")
            return
        total = Business.objects.public().count()
        with Progress(total=total, description="rebuild", stream=self.stderr._out) as progress:
            report = backend.rebuild(progress=progress)
        self.stdout.write(
            f"Built {report['index']} with {report['documents']} documents; "
            f"replaced {', '.join(report['replaced']) or 'nothing'}."
        )

    def ensure(self, backend, **options):
        """The deployment's first step after the migrations: an engine with no
        index (a new installation, a new cluster, a restored database) gets one
        built from the database; an existing index is left alone."""
        if backend.name == "database":
            self.stdout.write("The database backend is written with every change; there is nothing to build.")
            return
        target = backend.status()["alias_target"]
        if target:
            self.stdout.write(f"The index is there ({', '.join(target)}); nothing to build.")
            return
        self.rebuild(backend)

    def update(self, backend, **options):
        applied = outbox.drain(backend=backend)
        self.stdout.write(f"Applied {applied} pending change(s).")

    def status(self, backend, **options):
        for key, value in backend.status().items():
            if key == "oldest_outbox_entry" and value is not None:
                value = f"{value:%Y-%m-%d %H:%M:%S} ({(timezone.now() - value).total_seconds():.0f} s old)"
            self.stdout.write(f"{key:22} {value}")

    def reconcile(self, backend, *, fix, **options):
        if backend.name == "database":
            self.stdout.write("Drift: 0 (the database backend is the database).")
            return
        drift = backend.reconcile(fix=fix)
        total = sum(len(ids) for ids in drift.values())
        self.stdout.write(
            f"Drift: {total} (missing {len(drift['missing'])}, extra {len(drift['extra'])}, stale {len(drift['stale'])})"
            + (" — repaired." if fix and total else ".")
        )
        if total and not fix:
            for kind, ids in drift.items():
                if ids:
                    self.stdout.write(f"  {kind}: {', '.join(map(str, ids[:20]))}{' …' if len(ids) > 20 else ''}")
