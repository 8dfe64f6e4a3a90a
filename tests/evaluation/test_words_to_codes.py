"""Words to codes, measured on the labelled evaluation network, per search backend.

The network (tests/evaluation/network.py) is imported once per backend, with
its labels: the HS codes every firm truly trades, whether it wrote them or
only words. The labelled queries are in tests/evaluation/queries.py. Measured,
for the tuning and the held-out half separately:

- cross-language recall@50: for each English query, the partner-city firms
  (not Aurora) whose true offers fall under the expected headings, coded or
  in words only, found in the first 50 results of a plain query by an
  anonymous reader; |relevant ∩ top 50| / min(50, |relevant|), averaged;
- suggestions: an HS suggestion under an expected heading among the first
  five HS suggestions `search.selectors.suggest` gives, per language;
- matching: one full synchronous run; each firm's proposals best first, the
  first five; recall@5 = |top 5 ∩ true partners| / min(5, |true partners|),
  averaged over Aurora seekers who wrote codes, Aurora seekers who wrote only
  words, and partner-city firms that wrote only words; precision is the share
  of proposals that pair true partners. Firms alternate between the halves
  within each of these groups (by external id).

The figures are printed at the end of the run (tests/conftest.py) and written
to var/evaluation/<backend>-<database vendor>.json. The test asserts the
targets on the held-out half.
"""

import json
import time
from collections import defaultdict
from pathlib import Path

import pytest
from django.db import connection

from directory import importer
from directory.models import Business
from matching.models import Introduction
from matching.runs import run_matching_now
from search import selectors
from search.query import SearchQuery
from tests.search.conftest import sync

from . import network
from .queries import HALVES, LANGUAGES, QUERIES, halves

pytestmark = pytest.mark.django_db

SEED = 2026
FIRMS = 3000
PAGE = 50  # results read per query
SUGGESTIONS = 5  # HS suggestions read per query
PROPOSALS = 5  # proposals read per firm (matching keeps five open per firm)
MATCHING_GROUPS = ("coded seekers", "words-only seekers", "words-only partner firms")

# Targets on the held-out half.
RECALL_TARGET = 0.8
SUGGEST_TARGET = 0.9
MATCHING_TARGETS = {"coded seekers": 0.95, "words-only seekers": 0.9, "words-only partner firms": 0.8}
PRECISION_TARGET = 0.9

REPORT_DIR = Path(__file__).resolve().parents[2] / "var" / "evaluation"
EVALUATION_REPORT = {}


def test_words_to_codes_on_the_evaluation_network(backend, tmp_path):
    timings = {}
    started = clock = time.perf_counter()

    def lap(name):
        nonlocal clock
        now = time.perf_counter()
        timings[name] = round(now - clock, 2)
        clock = now

    records, labels = network.generate(count=FIRMS, seed=SEED)
    path = tmp_path / "evaluation.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    lap("generate")
    imported = importer.import_file(path)
    assert imported.created == FIRMS and not imported.errors, [str(e) for e in imported.errors[:5]]
    lap("import")
    sync(backend)
    lap("index")
    ids = dict(Business.objects.public().values_list("external_id", "pk"))
    assert len(ids) == FIRMS, "every imported firm is published and public"
    external = {pk: eid for eid, pk in ids.items()}

    query_rows = _search(backend, labels, external)
    lap("search")
    _suggest(query_rows)
    lap("suggest")
    run = run_matching_now(full=True)
    lap("matching")
    assert run.status == run.Status.SUCCEEDED
    matching = _matching(labels, external)
    timings["total"] = round(time.perf_counter() - started, 2)

    figures = _figures(backend, query_rows, matching, labels, timings)
    key = f"{backend.name} ({connection.vendor})"
    EVALUATION_REPORT[key] = figures
    REPORT_DIR.mkdir(parents=True, exist_ok=True)
    (REPORT_DIR / f"{backend.name}-{connection.vendor}.json").write_text(
        json.dumps(figures, ensure_ascii=False, indent=1), encoding="utf-8")

    failures = _below_target(figures["halves"]["held-out"])
    assert not failures, (
        f"{key}: the held-out half is below target:\n  " + "\n  ".join(failures)
        + "\n" + "\n".join(report_lines(key, figures))
    )


# --- measures ----------------------------------------------------------------------------


def _search(backend, labels, external):
    """One row per query; English ones also searched and scored for recall@50."""
    half_of = {query: half for half, queries in halves().items() for query in queries}
    rows = []
    for query in QUERIES:
        text, language, expected, kind = query
        row = {"text": text, "language": language, "expected": list(expected), "kind": kind, "half": half_of[query]}
        if language == "en":
            relevant = {
                eid for eid, label in labels.items()
                if label["city"] != network.HOME and network.headings(label["offers"]) & set(expected)
            }
            assert relevant, f"the label of {text!r} names no partner-city firm: fix the query set"
            words_only = {eid for eid in relevant if labels[eid]["words_only_offers"]}
            hits = backend.search(SearchQuery(text=text, page_size=PAGE)).hits
            top = {external[hit.business.pk] for hit in hits}
            row.update({
                "relevant": len(relevant),
                "recall@50": len(relevant & top) / min(PAGE, len(relevant)),
                "recall@50 words-only firms": (
                    len(words_only & top) / min(PAGE, len(words_only)) if words_only else None),
                "partner firms in top 50": sum(1 for eid in top if labels[eid]["city"] != network.HOME),
            })
        rows.append(row)
    return rows


def _suggest(rows):
    for row in rows:
        codes = [s["code"] for s in selectors.suggest(row["text"]) if s["kind"] == "hs"][:SUGGESTIONS]
        row["suggested"] = codes
        row["suggest ok"] = any(code[:4] in row["expected"] for code in codes)


def _matching(labels, external):
    """Per firm: its proposals best first; the truth; and which half it belongs to."""
    proposed = defaultdict(list)
    pairs = []
    for a, b, score in Introduction.objects.filter(status=Introduction.Status.PROPOSED).values_list(
            "business_a_id", "business_b_id", "score"):
        a, b = external[a], external[b]
        proposed[a].append((-score, b))
        proposed[b].append((-score, a))
        pairs.append((a, b))
    partners = network.true_partners(labels)
    groups = network.groups(labels, partners)
    half_of = {}
    for members in groups.values():
        for n, eid in enumerate(sorted(members)):
            half_of[eid] = HALVES[n % 2]
    for n, eid in enumerate(sorted(set(labels) - set(half_of))):
        half_of[eid] = HALVES[n % 2]
    top = {eid: [other for _, other in sorted(found)[:PROPOSALS]] for eid, found in proposed.items()}
    return {"top": top, "pairs": pairs, "partners": partners, "groups": groups, "half_of": half_of}


def _figures(backend, rows, matching, labels, timings):
    by_half = {}
    for half in HALVES:
        mine = [r for r in rows if r["half"] == half]
        english = [r for r in mine if r["language"] == "en"]
        by_half[half] = {
            "recall@50": _mean(r["recall@50"] for r in english),
            "recall@50 by kind": {
                kind: _mean(r["recall@50"] for r in english if r["kind"] == kind)
                for kind in sorted({r["kind"] for r in english})
            },
            "recall@50 words-only firms": _mean(
                r["recall@50 words-only firms"] for r in english if r["recall@50 words-only firms"] is not None),
            "english queries": len(english),
            "suggest": {lang: _mean(r["suggest ok"] for r in mine if r["language"] == lang) for lang in LANGUAGES},
            "suggest queries": {lang: sum(1 for r in mine if r["language"] == lang) for lang in LANGUAGES},
            "matching": _matching_figures(matching, half),
        }
    return {
        "backend": backend.name,
        "database": connection.vendor,
        "seed": SEED,
        "firms": FIRMS,
        "halves": by_half,
        "matching ceiling": network.ceiling(labels, cap=PROPOSALS),
        "proposals": len(matching["pairs"]),
        "precision (all proposals)": _mean(b in matching["partners"][a] for a, b in matching["pairs"]),
        "queries": rows,
        "timings (s)": timings,
    }


def _matching_figures(matching, half):
    top, partners, half_of = matching["top"], matching["partners"], matching["half_of"]
    figures = {}
    for name in MATCHING_GROUPS:
        members = [eid for eid in matching["groups"][name] if half_of[eid] == half]
        figures[name] = _mean(
            len(set(top.get(eid, [])) & partners[eid]) / min(PROPOSALS, len(partners[eid])) for eid in members)
        figures[f"{name} (firms)"] = len(members)
    touching = [(a, b) for a, b in matching["pairs"] if half in (half_of[a], half_of[b])]
    figures["precision"] = _mean(b in partners[a] for a, b in touching)
    figures["proposals"] = len(touching)
    return figures


def _mean(values):
    values = [float(v) for v in values]
    return sum(values) / len(values) if values else None


def _below_target(held_out):
    failures = []
    if held_out["recall@50"] < RECALL_TARGET:
        failures.append(f"cross-language recall@50 {held_out['recall@50']:.3f} < {RECALL_TARGET}")
    for language in LANGUAGES:
        value = held_out["suggest"][language]
        if value < SUGGEST_TARGET:
            failures.append(f"suggest ({language}) {value:.3f} < {SUGGEST_TARGET}")
    for name, target in MATCHING_TARGETS.items():
        value = held_out["matching"][name]
        if value is None or value < target:
            failures.append(f"matching recall@5, {name} {_fmt(value)} < {target}")
    precision = held_out["matching"]["precision"]
    if precision is None or precision < PRECISION_TARGET:
        failures.append(f"matching precision {_fmt(precision)} < {PRECISION_TARGET}")
    return failures


# --- the report ----------------------------------------------------------------------------


def _fmt(value):
    return "  –  " if value is None else f"{value:.3f}"


def report_lines(key, figures):
    """The figures of one backend as lines of text (the terminal summary prints them)."""
    t = figures["timings (s)"]
    lines = [
        f"{key}: {figures['firms']} firms (seed {figures['seed']}), {figures['proposals']} proposals "
        f"(precision {_fmt(figures['precision (all proposals)'])}); "
        f"import {t['import']}s, index {t['index']}s, search {t['search']}s, suggest {t['suggest']}s, "
        f"matching {t['matching']}s, total {t['total']}s",
        f"  {'half':9} {'recall@50':>9} {'(words)':>8} | suggest " + " ".join(f"{lang:>7}" for lang in LANGUAGES)
        + " | recall@5: coded  words-only  partner words-only | precision",
    ]
    for half, h in figures["halves"].items():
        m = h["matching"]
        lines.append(
            f"  {half:9} {_fmt(h['recall@50']):>9} {_fmt(h['recall@50 words-only firms']):>8} | suggest "
            + " ".join(f"{_fmt(h['suggest'][lang]):>7}" for lang in LANGUAGES)
            + f" | recall@5: {_fmt(m['coded seekers'])}  {_fmt(m['words-only seekers']):>10}  "
            f"{_fmt(m['words-only partner firms']):>18} | {_fmt(m['precision'])}"
        )
    ceiling = figures["matching ceiling"]
    lines.append("  matching ceiling with 5 proposals per firm (best / greedy): " + ", ".join(
        f"{name} {_fmt(c['best'])} / {_fmt(c['greedy'])}" for name, c in ceiling.items()))
    held_out = [r for r in figures["queries"] if r["half"] == "held-out" and r["language"] == "en"]
    weakest = sorted(held_out, key=lambda r: r["recall@50"])[:4]
    lines.append("  weakest held-out English queries: " + ", ".join(
        f"{r['text']!r} {r['recall@50']:.2f}" for r in weakest))
    return lines
