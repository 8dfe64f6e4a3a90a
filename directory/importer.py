"""Reading a delegation's spreadsheet (CSV) or export (JSON Lines) into profiles.

Every row is validated by the same serializer as the API, so a file and a
POST body follow one set of rules. A bad row is reported with its number,
field and reason and skipped; the good rows are imported; nothing is lost
silently. Rows are upserted by external_id, so re-running a file is harmless.

Rows are committed in batches: one transaction for a whole file would hold
SQLite's only write lock (and PostgreSQL's row locks) for as long as the file
takes, and a failure near the end would throw away everything before it.
"""

import csv
import json
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path

from django.db import connection, transaction
from rest_framework.exceptions import ValidationError

from . import services

FIELDS = (
    "external_id", "name", "city", "country", "description", "description_language", "website",
    "founded_year", "employees", "naics", "offers_hs", "offers_text", "seeks_hs", "seeks_text",
    "trade_roles", "languages", "contact_name", "contact_email", "contact_phone", "status",
    "address", "certifications",
)
LIST_FIELDS = {"naics", "offers_hs", "seeks_hs", "trade_roles", "languages", "certifications"}
# Rows per transaction: long enough to amortise the commit, short enough
# that other writers wait well under a second.
BATCH_SIZE = 500


class ImportFileError(Exception):
    """The file as a whole cannot be read (missing, wrong type, bad header)."""


@dataclass
class RowError:
    row: int
    field: str
    message: str

    def __str__(self):
        return f"row {self.row}: {self.field}: {self.message}"


@dataclass
class ImportReport:
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list = field(default_factory=list)

    @property
    def invalid_rows(self):
        return len({error.row for error in self.errors})


def count_rows(path):
    """Data rows in the file, for the progress bar (CSV header not counted)."""
    _check_file(path)
    with open(path, encoding="utf-8-sig", newline="") as handle:
        lines = sum(1 for line in handle if line.strip())
    return max(lines - 1, 0) if Path(path).suffix.lower() == ".csv" else lines


def read_rows(path):
    """Yield (row number, dict or RowError). Row numbers are what a person sees:
    the line in a JSON Lines file, the spreadsheet row in a CSV (header = 1)."""
    path = _check_file(path)
    try:
        if path.suffix.lower() == ".csv":
            yield from _read_csv(path)
        else:
            yield from _read_jsonl(path)
    except UnicodeDecodeError as error:
        raise ImportFileError(f"{path.name}: not UTF-8 text ({error.reason} at byte {error.start}).") from None


def _check_file(path):
    path = Path(path)
    if path.suffix.lower() not in (".csv", ".jsonl"):
        raise ImportFileError(f"{path.name}: expected a .csv or .jsonl file.")
    if not path.is_file():
        raise ImportFileError(f"{path}: no such file.")
    return path


def _read_csv(path):
    with open(path, encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        header = reader.fieldnames or []
        unknown = [name for name in header if name not in FIELDS]
        if unknown:
            raise ImportFileError(
                f"{path.name}: unknown column(s) {', '.join(unknown)}; the columns are: {', '.join(FIELDS)}."
            )
        if "external_id" not in header:
            raise ImportFileError(f"{path.name}: the external_id column is required.")
        for row in reader:
            if None in row:
                yield reader.line_num, RowError(reader.line_num, "-", "more cells than columns in the header")
                continue
            yield reader.line_num, {name: _csv_value(name, value) for name, value in row.items()}


def _csv_value(name, value):
    value = (value or "").strip()
    if name in LIST_FIELDS:
        return [part.strip() for part in value.split(";") if part.strip()]
    if name == "founded_year" and not value:
        return None
    return value


def _read_jsonl(path):
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                data = json.loads(line)
            except json.JSONDecodeError as error:
                yield number, RowError(number, "-", f"not valid JSON ({error.msg} at column {error.colno})")
                continue
            if not isinstance(data, dict):
                yield number, RowError(number, "-", "each line must be a JSON object")
                continue
            unknown = sorted(set(data) - set(FIELDS))
            if unknown:
                yield number, RowError(number, unknown[0], f"unknown field; the fields are: {', '.join(FIELDS)}")
                continue
            if data.get("founded_year") == "":
                data["founded_year"] = None
            yield number, data


def import_file(path, *, dry_run=False, progress=None, batch_size=BATCH_SIZE):
    """Validate and upsert every row, committing every `batch_size` rows;
    return an ImportReport.

    If the import stops half-way (an interrupted process, a lost database),
    the batches before stay committed and running the file again finishes
    the work. A dry run does all the work and rolls each batch back, so it
    finds the same errors a real run would (including duplicates in the file).
    """
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1.")
    from .api import BusinessImportSerializer  # one validator for API and file

    report = ImportReport()
    seen = {}
    # One serializer for the whole file: building its fields is the costly part.
    serializer = BusinessImportSerializer()

    def handle(number, data):
        report.rows += 1
        if isinstance(data, RowError):
            report.errors.append(data)
            return
        try:
            values = dict(serializer.run_validation(data))
        except ValidationError as error:
            report.errors.extend(_row_errors(number, error.detail))
            return
        external_id = values.pop("external_id")
        if external_id in seen:
            report.errors.append(RowError(number, "external_id", f"“{external_id}” repeats row {seen[external_id]}"))
            return
        seen[external_id] = number
        try:
            _, outcome = services.import_business(data=values, external_id=external_id, status=values.pop("status"))
        except Exception as error:  # a database rule we did not foresee: report the row, keep going
            report.errors.append(RowError(number, "-", f"could not be saved: {error}"))
            return
        setattr(report, outcome, getattr(report, outcome) + 1)

    rows = read_rows(path)
    while batch := list(islice(rows, batch_size)):
        with transaction.atomic():
            for number, data in batch:
                handle(number, data)
                if progress is not None:
                    progress.advance()
            if dry_run:
                transaction.set_rollback(True)
    if not dry_run and report.rows and connection.vendor == "postgresql":
        # PostgreSQL plans searches and facets from its statistics, which lag a
        # bulk load until autovacuum gets to the tables; planned for empty
        # tables, a filter over a few hundred firms can take minutes.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE directory_business, directory_businessterm")
    return report


def _row_errors(number, errors):
    """Flatten DRF's nested error structure into (row, field, message)."""
    flat = []
    for name, messages in errors.items():
        if isinstance(messages, dict):
            for index, nested in messages.items():
                flat.extend(_row_errors(number, {f"{name}[{index}]": nested}))
            continue
        for message in messages if isinstance(messages, list) else [messages]:
            if isinstance(message, (dict, list)):
                flat.extend(_row_errors(number, {name: message}))
            else:
                flat.append(RowError(number, name, str(message)))
    return flat
