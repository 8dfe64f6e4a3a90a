"""The scoring rules, on plain data: no database, no engine, no broker."""

import pytest

from matching import engine
from matching.engine import Profile

pytestmark = pytest.mark.sqlite


def firm(id, city="aurora", **fields):
    defaults = {"name": f"Firm {id}", "relationship": "home" if city == "aurora" else "sister", "language": "en"}
    return Profile(id=id, city=city, **{**defaults, **fields})


BUYER = firm(1, name="Front Range Brake Supply", seeks=("870830",), trade_roles=("importer",), languages=("en",))
SELLER = firm(2, city="seongnam", name="Hanbit Brake Works", language="ko", offers=("870830",),
              trade_roles=("exporter",), languages=("ko", "en"),
              code_titles={"870830": "Brakes and servo-brakes; parts thereof"})


def codes(result):
    return [reason["code"] for reason in result.reasons]


def test_a_met_need_is_the_main_reason_and_says_so_in_a_sentence():
    result = engine.score(BUYER, SELLER)
    top = result.reasons[0]
    assert top["code"] == "offers_what_you_seek"
    assert top["text"] == ("Hanbit Brake Works offers HS 870830 (Brakes and servo-brakes; parts thereof), "
                           "which Front Range Brake Supply seeks")
    assert top["weight"] == pytest.approx(0.40)
    assert {"trade_roles", "shared_language", "relationship", "fresh"} <= set(codes(result))
    assert result.score == pytest.approx(sum(r["weight"] for r in result.reasons))
    assert result.score >= engine.DEFAULT_THRESHOLD


def test_deeper_code_overlap_scores_higher():
    six = engine.score(BUYER, SELLER).score
    four = engine.score(BUYER, firm(3, city="seongnam", offers=("870899",), trade_roles=("exporter",))).score
    two = engine.score(BUYER, firm(4, city="seongnam", offers=("870323",), trade_roles=("exporter",))).score
    assert six > four > two


def test_a_same_chapter_decoy_stays_below_the_threshold():
    decoy = firm(5, city="seongnam", offers=("870323",), trade_roles=("exporter",), languages=("en",), verified=True)
    assert engine.proposals_for(BUYER, [decoy]) == []


def test_a_mutual_need_adds_to_the_score():
    mutual_seller = firm(6, city="seongnam", offers=("870830",), seeks=("847989",), trade_roles=("exporter",))
    buyer_with_offer = firm(7, seeks=("870830",), offers=("847989",), trade_roles=("importer",))
    one_way = engine.score(BUYER, SELLER)
    both_ways = engine.score(buyer_with_offer, mutual_seller)
    assert "mutual_need" in codes(both_ways) and "mutual_need" not in codes(one_way)


def test_relationship_weighs_sister_over_friendship_over_strategic_exchange():
    def with_relationship(relationship):
        partner = firm(8, city="elsewhere", relationship=relationship, offers=("870830",))
        return engine.score(BUYER, partner).score

    assert with_relationship("sister") > with_relationship("friendship") > with_relationship("strategic_exchange")


def test_a_need_given_only_in_words_is_matched_through_inferred_codes_and_says_so():
    wordy_buyer = firm(9, seeks_text="brake pads and rotors", inferred_seeks=("870830", "6813"))
    result = engine.score(wordy_buyer, SELLER)
    top = result.reasons[0]
    assert top["code"] == "offers_what_you_seek" and top["inferred"] is True
    assert "wrote “brake pads and rotors”, which we read as HS 8708" in top["text"]
    # Read from its words, the code counts as fully as one the firm typed.
    assert top["weight"] == pytest.approx(0.40)


def test_text_similarity_counts_only_within_one_language():
    spanish_buyer = firm(10, language="es", seeks_text="pastillas de freno")
    spanish_seller = firm(11, city="chihuahua", language="es", offers_text="pastillas y discos de freno")
    korean_seller = firm(12, city="seongnam", language="ko", offers_text="pastillas de freno")
    assert engine.text_similarity(spanish_buyer, spanish_seller) == 1.0
    assert engine.text_similarity(spanish_buyer, korean_seller) == 0.0


def test_proposals_never_pair_a_firm_with_its_own_city_or_itself():
    neighbour = firm(13, offers=("870830",), trade_roles=("exporter",))
    assert engine.proposals_for(BUYER, [neighbour, BUYER]) == []


def test_pleasantries_alone_never_make_a_proposal():
    friendly = firm(14, city="seongnam", languages=("en",), trade_roles=("exporter",), verified=True)
    assert engine.proposals_for(BUYER, [friendly], threshold=0.0) == []


def test_weights_and_threshold_come_from_the_caller():
    assert engine.proposals_for(BUYER, [SELLER], threshold=0.99) == []
    heavier = engine.score(BUYER, SELLER, weights={"code_overlap": 0.6})
    assert heavier.reasons[0]["weight"] == pytest.approx(0.6)


def test_proposals_come_best_first():
    weaker = firm(15, city="chihuahua", offers=("870899",), trade_roles=("exporter",))
    proposals = engine.proposals_for(BUYER, [weaker, SELLER])
    assert [p.b.id for p in proposals] == [SELLER.id, weaker.id]
    assert proposals[0].pair == (1, 2)
