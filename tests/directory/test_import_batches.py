"""A long import commits as it goes, so other writers are not locked out and
an interrupted import keeps what it finished. PostgreSQL only: the test reads
from a second connection while the import's transaction is open."""

import threading

import pytest
from django.db import connections

from directory import importer
from directory.models import Business
from tests.directory.test_import import good_row, write_jsonl

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


class Interrupted(Exception):
    """The process stopping half-way (a deploy, a lost connection)."""


def committed_rows():
    """How many imported rows another connection sees, i.e. how many are committed."""
    seen = {}

    def count():
        try:
            seen["rows"] = Business.objects.filter(external_id__startswith="firm-").count()
        finally:
            connections.close_all()

    reader = threading.Thread(target=count)
    reader.start()
    reader.join(timeout=30)
    return seen["rows"]


class WatchAndStop:
    """Stands in for the progress bar: looks from another connection when the
    import is inside its third batch, then stops the import there."""

    def __init__(self, *, look_at, stop_at):
        self.done, self.look_at, self.stop_at, self.seen = 0, look_at, stop_at, None

    def advance(self, n=1):
        self.done += n
        if self.done == self.look_at:
            self.seen = committed_rows()
        if self.done == self.stop_at:
            raise Interrupted


def test_finished_batches_are_committed_while_a_later_one_runs_and_survive_an_interruption(tmp_path):
    path = write_jsonl(tmp_path / "delegation.jsonl",
                       [good_row(external_id=f"firm-{n:02d}", name=f"Firm {n}") for n in range(1, 26)])
    watcher = WatchAndStop(look_at=22, stop_at=24)
    with pytest.raises(Interrupted):
        importer.import_file(path, batch_size=10, progress=watcher)

    # Inside batch 3, batches 1 and 2 were already visible to everyone else...
    assert watcher.seen == 20
    # ...and stay committed when batch 3 is cut short; its rows are rolled back.
    assert Business.objects.filter(external_id__startswith="firm-").count() == 20

    rerun = importer.import_file(path, batch_size=10)
    assert (rerun.created, rerun.updated, rerun.unchanged, rerun.invalid_rows) == (5, 0, 20, 0)
    stamps = dict(Business.objects.values_list("external_id", "updated_at"))
    again = importer.import_file(path, batch_size=10)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 25)
    assert dict(Business.objects.values_list("external_id", "updated_at")) == stamps
