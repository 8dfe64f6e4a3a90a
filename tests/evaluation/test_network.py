"""The yardstick itself: the evaluation network and the query set say what they claim."""

from collections import Counter, defaultdict

import pytest

from directory import importer, taxonomy
from tests.evaluation import network
from tests.evaluation.queries import HALVES, LANGUAGES, QUERIES, halves
from tests.evaluation.test_words_to_codes import FIRMS, MATCHING_TARGETS, PAGE, SEED

pytestmark = pytest.mark.sqlite  # no database: it runs in both passes

# Neighbours that trip words-to-codes across a chapter line (beef and fish
# fillets, dried chili and fresh peppers, leather shoes and leather, cotton
# T-shirts and cotton yarn).
ACROSS_CHAPTERS = {("020230", "030461"), ("090421", "070960"), ("640399", "410711"), ("610910", "520512")}


@pytest.fixture(scope="module")
def generated():
    return network.generate(count=FIRMS, seed=SEED)


def test_the_network_is_deterministic_and_in_the_import_format(generated):
    records, labels = generated
    assert (records, labels) == network.generate(count=FIRMS, seed=SEED)
    assert network.generate(count=FIRMS, seed=SEED + 1)[0] != records
    assert len(records) >= 3000 and len({r["external_id"] for r in records}) == len(records)
    assert set(labels) == {r["external_id"] for r in records}
    for record in records:
        assert set(record) <= set(importer.FIELDS)
        assert record["status"] == "published"
        assert not {"contact_name", "contact_email", "contact_phone", "website"} & set(record)


def test_every_product_is_a_real_hs_2022_code_with_words_in_the_languages_that_use_it():
    hs = taxonomy.hs()
    assert len(network.PRODUCTS) >= 60
    assert len({code[:2] for code in network.PRODUCTS}) >= 20, "products from many chapters"
    for code, product in network.PRODUCTS.items():
        assert len(code) == 6 and hs.validate(code) == code
        assert hs.entries.get(code[:4]) is not None, f"heading {code[:4]} is in HS 2022"
        needed = {network.LANGUAGE[city] for city in product["makers"] + product["buyers"]}
        if product["role"] != network.DECOY or product["aurora"]:
            needed.add("en")
        for language in needed:
            assert len(product["words"].get(language, ())) >= 2, f"{code}: several phrasings in {language}"
        for near in product["near"]:
            assert near[:2] == code[:2] or (near, code) in ACROSS_CHAPTERS, "a decoy shares its chapter"
            assert near[:4] != code[:4], "a decoy is under another heading"


def test_labels_agree_with_what_each_firm_wrote(generated):
    records, labels = generated
    for record in records:
        label = labels[record["external_id"]]
        for side in ("offers", "seeks"):
            written, truth = record[f"{side}_hs"], label[side]
            if label[f"words_only_{side}"]:
                assert not written and truth and record[f"{side}_text"]
            else:
                assert all(any(code.startswith(w) for code in truth) for w in written)
                assert network.headings(truth) == network.headings(written)


def test_the_network_has_the_shape_the_measures_need(generated):
    records, labels = generated
    partner = [e for e, label in labels.items()  # those that trade goods (services never write codes)
               if label["city"] != network.HOME and (label["offers"] or label["seeks"])]
    aurora = [e for e, label in labels.items() if label["city"] == network.HOME]
    coded = {r["external_id"] for r in records if r["offers_hs"] or r["seeks_hs"]}
    assert 0.35 <= sum(1 for e in partner if e not in coded) / len(partner) <= 0.45, "about 40% words only"
    buyers = [e for e in aurora if labels[e]["seeks"]]
    assert 0.35 <= sum(labels[e]["words_only_seeks"] for e in buyers) / len(buyers) <= 0.45
    assert len(buyers) > len(aurora) / 2, "most Aurora firms are buyers"
    languages = Counter(r["description_language"] for r in records)
    assert set(languages) == set(LANGUAGES)

    # Each heading a partner exporter offers: Aurora firms compete for it, and
    # all who offer it fit on one page of results.
    offered = defaultdict(lambda: {"partner": 0, "aurora": 0})
    for label in labels.values():
        for heading in network.headings(label["offers"]):
            offered[heading]["aurora" if label["city"] == network.HOME else "partner"] += 1
    for text, language, expected, _ in QUERIES:
        if language == "en":
            assert sum(offered[h]["partner"] for h in expected) >= 10, text
            assert sum(sum(offered[h].values()) for h in expected) <= PAGE, text
    assert sum(1 for counts in offered.values() if counts["partner"] and counts["aurora"]) >= 15

    # A matcher that knew the truth could meet every target.
    for name, figures in network.ceiling(labels).items():
        assert figures["firms"] >= 200, name
        assert figures["best"] >= MATCHING_TARGETS[name] and figures["greedy"] >= MATCHING_TARGETS[name], (
            name, figures)


def test_the_queries_are_labelled_in_six_languages_and_split_in_halves():
    hs = taxonomy.hs()
    assert len(QUERIES) >= 60 and len({q[0] for q in QUERIES}) == len(QUERIES)
    for text, language, expected, kind in QUERIES:
        assert language in LANGUAGES and kind in {"everyday", "trade name", "plural", "typo", "variant spelling"}
        assert expected and all(len(h) == 4 and hs.entries.get(h) is not None for h in expected), text
    split = halves()
    assert sorted(split["tuning"] + split["held-out"]) == sorted(QUERIES)
    for half in HALVES:
        per_language = Counter(q[1] for q in split[half])
        assert all(per_language[language] >= 10 for language in LANGUAGES), (half, per_language)
        assert {q[3] for q in split[half] if q[1] == "en"} >= {"everyday", "trade name", "plural", "typo"}
