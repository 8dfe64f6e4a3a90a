import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from directory import demo_network, importer
from directory.models import Business, BusinessTerm

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite]
ROOT = Path(__file__).resolve().parents[2]


def write_jsonl(path, records):
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return path


def good_row(**overrides):
    row = {
        "external_id": "seongnam-001", "name": "한빛브레이크", "city": "Seongnam", "country": "KR",
        "description": "자동차 브레이크 부품 제조업체입니다.", "description_language": "ko",
        "website": "hanbit-brake.example", "founded_year": 1998, "employees": "50-249",
        "naics": ["336340"], "offers_hs": ["870830"], "offers_text": "브레이크 패드",
        "seeks_hs": [], "seeks_text": "", "trade_roles": ["manufacturer", "exporter"],
        "languages": ["ko", "en"], "contact_name": "김민준", "contact_email": "minjun@hanbit.example",
        "contact_phone": "+82 31 555 0101", "status": "published",
    }
    row.update(overrides)
    return row


def test_a_3000_row_file_imports_in_one_command_and_a_rerun_adds_nothing(tmp_path):
    records = demo_network.generate(count=3000, seed=7)
    path = write_jsonl(tmp_path / "delegation.jsonl", records)

    report = importer.import_file(path)
    assert (report.created, report.invalid_rows) == (3000, 0), report.errors[:5]
    assert Business.objects.count() == 3000
    assert Business.objects.public().count() == 3000
    stamps = dict(Business.objects.values_list("external_id", "updated_at"))
    terms = BusinessTerm.objects.count()

    again = importer.import_file(path)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3000)
    assert Business.objects.count() == 3000 and BusinessTerm.objects.count() == terms
    assert dict(Business.objects.values_list("external_id", "updated_at")) == stamps


def test_import_updates_a_row_whose_content_changed(tmp_path):
    importer.import_file(write_jsonl(tmp_path / "a.jsonl", [good_row()]))
    report = importer.import_file(write_jsonl(tmp_path / "b.jsonl", [good_row(offers_hs=["870899"])]))
    assert (report.created, report.updated) == (0, 1)
    business = Business.objects.get(external_id="seongnam-001")
    assert business.offers_hs == ["870899"]
    assert business.terms.filter(kind="offers", value="870899").exists()
    assert not business.terms.filter(kind="offers", value="870830").exists()


def test_broken_rows_are_reported_by_number_and_the_rest_imported(tmp_path):
    path = tmp_path / "mixed.jsonl"
    lines = [
        json.dumps(good_row(external_id="ok-1")),
        json.dumps(good_row(external_id="bad-code", offers_hs=["999999"])),
        "{not json",
        json.dumps(good_row(external_id="bad-city", city="Atlantis")),
        "",
        json.dumps(good_row(external_id="ok-2", name="Second Firm")),
        json.dumps(good_row(external_id="ok-1", name="Repeat")),
        json.dumps(good_row(external_id="bad-field", colour="blue")),
        json.dumps(["a", "list"]),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")

    report = importer.import_file(path)
    errors = {(e.row, e.field) for e in report.errors}
    assert errors == {(2, "offers_hs"), (3, "-"), (4, "city"), (7, "external_id"), (8, "colour"), (9, "-")}
    assert sorted(Business.objects.values_list("external_id", flat=True)) == ["ok-1", "ok-2"]
    assert report.created == 2 and report.invalid_rows == 6


def test_fields_over_their_limits_are_reported_by_row_and_field(tmp_path):
    path = write_jsonl(tmp_path / "long.jsonl", [
        good_row(external_id="ok"),
        good_row(external_id="long-offer", offers_text="x" * 1001),
        good_row(external_id="long-description", description="x" * 4001),
        good_row(external_id="many-languages", languages=["ko"] * 51),
    ])
    report = importer.import_file(path)
    assert [(e.row, e.field) for e in report.errors] == [(2, "offers_text"), (3, "description"), (4, "languages")]
    assert list(Business.objects.values_list("external_id", flat=True)) == ["ok"]


def test_bad_rows_in_later_batches_are_reported_by_number_and_the_good_rows_kept(tmp_path):
    rows = [good_row(external_id=f"firm-{n}", name=f"Firm {n}") for n in range(1, 11)]
    rows[1]["city"] = "Atlantis"
    rows[7]["offers_hs"] = ["999999"]
    path = write_jsonl(tmp_path / "batches.jsonl", rows)
    report = importer.import_file(path, batch_size=3)
    assert [(e.row, e.field) for e in report.errors] == [(2, "city"), (8, "offers_hs")]
    assert report.created == 8 and Business.objects.count() == 8
    again = importer.import_file(path, batch_size=4)
    assert (again.created, again.updated, again.unchanged, again.invalid_rows) == (0, 0, 8, 2)


def test_the_command_commits_in_batches_and_reports_progress_in_plain_lines_off_a_terminal(tmp_path):
    from io import StringIO

    path = write_jsonl(tmp_path / "a.jsonl", [good_row(external_id=f"firm-{n}", name=f"Firm {n}") for n in range(5)])
    out, err = StringIO(), StringIO()
    call_command("import_businesses", str(path), "--batch-size", "2", stdout=out, stderr=err)
    assert "5 rows: created 5," in out.getvalue()
    assert "import: 5/5 done" in err.getvalue() and "\r" not in err.getvalue()
    with pytest.raises(CommandError, match="batch-size"):
        call_command("import_businesses", str(path), "--batch-size", "0")


def test_csv_lists_are_semicolon_separated(tmp_path):
    path = tmp_path / "delegation.csv"
    row = good_row(naics="336340;423120", offers_hs="870830; 870899", trade_roles="manufacturer;exporter",
                   languages="ko;en", seeks_hs="", founded_year="")
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(row))
        writer.writeheader()
        writer.writerow(row)
        writer.writerow({**row, "external_id": "broken", "employees": "a few"})
    report = importer.import_file(path)
    assert [(e.row, e.field) for e in report.errors] == [(3, "employees")]
    business = Business.objects.get(external_id="seongnam-001")
    assert business.naics == ["336340", "423120"]
    assert business.offers_hs == ["870830", "870899"]
    assert business.founded_year is None and business.seeks_hs == []


def test_a_csv_with_an_unknown_column_is_refused_whole(tmp_path):
    path = tmp_path / "typo.csv"
    path.write_text("external_id,name,city,ofers_hs\nx,Firm,Aurora,870830\n", encoding="utf-8")
    with pytest.raises(importer.ImportFileError, match="ofers_hs"):
        importer.import_file(path)
    assert not Business.objects.exists()


def test_a_dry_run_reports_but_saves_nothing(tmp_path):
    path = write_jsonl(tmp_path / "a.jsonl", [good_row(), good_row(external_id="x", city="Nowhere")])
    with pytest.raises(CommandError):
        call_command("import_businesses", str(path), "--dry-run")
    assert not Business.objects.exists()
    report = importer.import_file(path, dry_run=True)
    assert report.created == 1 and report.invalid_rows == 1


def test_imported_contacts_stay_private(tmp_path, api):
    importer.import_file(write_jsonl(tmp_path / "a.jsonl", [good_row()]))
    body = api.get("/api/v1/businesses/").content.decode()
    assert "한빛브레이크" in body
    assert "minjun@hanbit.example" not in body and "+82 31 555 0101" not in body and "김민준" not in body


def test_the_command_exits_non_zero_with_a_report_and_no_traceback(tmp_path):
    """Run as a person would, in a process of its own, on a scratch SQLite database."""
    path = write_jsonl(tmp_path / "broken.jsonl", [good_row(), good_row(external_id="b", founded_year="soon")])
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'scratch.sqlite3'}"}
    env.pop("REDIS_URL", None)
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "-v0"], env=env, check=True, cwd=ROOT)
    result = subprocess.run([*manage, "import_businesses", str(path)], env=env, cwd=ROOT,
                            capture_output=True, text=True)
    assert result.returncode == 1
    assert "row 2: founded_year:" in result.stderr
    assert "Traceback" not in result.stderr
    assert "created 1," in result.stdout
    missing = subprocess.run([*manage, "import_businesses", str(tmp_path / "nope.csv")], env=env, cwd=ROOT,
                             capture_output=True, text=True)
    assert missing.returncode == 1 and "no such file" in missing.stderr and "Traceback" not in missing.stderr


def test_load_demo_builds_a_multilingual_network_and_is_idempotent(settings):
    call_command("load_demo", count=320)
    public = Business.objects.public()
    assert public.count() == 320
    assert public.values("city").distinct().count() == 9
    languages = set(public.values_list("description_language", flat=True))
    assert {"en", "ko", "zh-Hant", "es", "pl", "am"} <= languages
    assert Business.objects.filter(owner__username="owner").count() == 1
    call_command("load_demo", count=320)
    assert Business.objects.count() == 320
