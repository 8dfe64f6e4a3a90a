"""A labelled query set over the demo network, measured per backend.

Each query is labelled by a rule over the generated records (the firms that
trade in what the query names, in the language it is asked in where that
matters), not by what any engine returns. recall@10 is the share of the
relevant firms found in the first ten results (out of ten when more than ten
are relevant). The figures are printed at the end of the test run.
"""

import json

import pytest

from directory import demo_network, importer
from directory.models import Business
from search.query import SearchQuery
from tests.search.conftest import sync

pytestmark = pytest.mark.django_db

RELEVANCE_REPORT = {}

# query, filters, HS headings or subheadings a relevant firm offers or seeks, language (None: any), kind
QUERIES = [
    ("coffee", {}, ["0901", "2101"], None, "English"),
    ("brake pads", {}, ["870830"], None, "cross-language"),
    ("semiconductors", {}, ["8541", "8542", "8486"], None, "cross-language"),
    ("bicycles", {}, ["8712", "8714"], None, "cross-language"),
    ("beef", {}, ["0201", "0202"], None, "English"),
    ("wine", {}, ["2204"], None, "cross-language"),
    ("sesame", {}, ["120740"], None, "cross-language"),
    ("batteries", {}, ["8507"], None, "cross-language"),
    ("pineapples", {}, ["080430"], None, "cross-language"),
    ("surfboards", {}, ["950629"], None, "English"),
    ("pecans", {}, ["080299"], None, "cross-language"),
    ("honey", {}, ["0409"], None, "cross-language"),
    ("cut flowers", {}, ["0603"], None, "cross-language"),
    ("aircraft parts", {}, ["8807"], None, "English"),
    ("beer", {}, ["2203"], None, "English"),
    ("브레이크", {}, ["870830"], "ko", "Korean"),
    ("배터리", {}, ["8507"], "ko", "Korean"),
    ("화장품", {}, ["3304"], "ko", "Korean"),
    ("의료용 기기", {}, ["9018"], "ko", "Korean"),
    ("自行車", {}, ["8712", "8714"], "zh-Hant", "Chinese"),
    ("晶片", {}, ["8542"], "zh-Hant", "Chinese"),
    ("筆記型電腦", {}, ["847130"], "zh-Hant", "Chinese"),
    ("café", {}, ["0901", "2101"], "es", "Spanish"),
    ("frenos", {}, ["870830"], "es", "Spanish"),
    ("piña", {}, ["080430"], "es", "Spanish"),
    ("tablas de surf", {}, ["950629"], "es", "Spanish"),
    ("nuez pecanera", {}, ["080299"], "es", "Spanish"),
    ("meble", {}, ["9401", "9403"], "pl", "Polish"),
    ("wino", {}, ["2204"], "pl", "Polish"),
    ("palety", {}, ["4415"], "pl", "Polish"),
    ("ቡና", {}, ["0901"], "am", "Amharic"),
    ("ሰሊጥ", {}, ["120740"], "am", "Amharic"),
    ("", {"offers": "8708"}, [], None, "code filter"),
    ("", {"seeks": "0901"}, [], None, "code filter"),
    ("cofee", {}, ["0901", "2101"], None, "typo"),
    ("bicyles", {}, ["8712", "8714"], None, "typo"),
    ("frneos", {}, ["870830"], "es", "typo"),
]


def relevant_ids(records, ids_by_external, codes, language, filters):
    relevant = set()
    for record in records:
        if language and record["description_language"] != language:
            continue
        if filters:
            (kind, prefix), = filters.items()
            held = record["offers_hs"] if kind == "offers" else record["seeks_hs"]
            if any(code.startswith(prefix) for code in held):
                relevant.add(ids_by_external[record["external_id"]])
            continue
        held = record["offers_hs"] + record["seeks_hs"]
        if any(code.startswith(prefix) for code in held for prefix in codes):
            relevant.add(ids_by_external[record["external_id"]])
    return relevant


def test_recall_at_10(backend, tmp_path):
    records = demo_network.generate(count=360, seed=2026)
    path = tmp_path / "demo.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    assert importer.import_file(path).created == 360
    sync(backend)
    ids_by_external = dict(Business.objects.values_list("external_id", "pk"))

    per_query = {}
    for text, filters, codes, language, kind in QUERIES:
        relevant = relevant_ids(records, ids_by_external, codes, language, filters)
        assert relevant, f"the label for {text or filters} names no firm: fix the query set"
        top = [hit.business.pk for hit in backend.search(SearchQuery(text=text, page_size=10, **filters)).hits]
        per_query[(text or json.dumps(filters), kind)] = len(relevant & set(top)) / min(10, len(relevant))

    overall = sum(per_query.values()) / len(per_query)
    without_typos = [v for (q, kind), v in per_query.items() if kind != "typo"]
    RELEVANCE_REPORT[backend.name + ("" if backend.name == "elasticsearch" else f" ({_vendor()})")] = {
        "recall@10": overall,
        "recall@10 without typos": sum(without_typos) / len(without_typos),
        "queries": len(per_query),
        "weakest": sorted(per_query.items(), key=lambda item: item[1])[:3],
    }
    assert len(QUERIES) >= 30
    if backend.name == "elasticsearch":
        assert overall >= 0.9, per_query
    else:
        # Exact-token matching cannot forgive typos; everything else must hold.
        assert sum(without_typos) / len(without_typos) >= 0.9, per_query


def _vendor():
    from django.db import connection

    return connection.vendor
