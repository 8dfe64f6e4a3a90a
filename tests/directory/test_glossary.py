"""The trade glossary: its files are sound, and it reads everyday words in
the network's six languages as the codes they mean."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from directory import glossary
from search import query


def test_every_line_of_the_glossary_names_a_real_code_and_every_code_has_words_in_every_language():
    problems, counts = glossary.check()
    assert problems == []
    for language in glossary.LANGUAGES:
        missing = sorted(f"{scheme} {code}" for (scheme, code), per in counts.items() if not per[language])
        assert missing == [], f"{language} has no words for {len(missing)} codes: {missing[:20]}"


def test_a_line_naming_a_code_that_does_not_exist_is_reported_with_its_line(tmp_path):
    path = tmp_path / "en.tsv"
    path.write_text("# a comment\nhs\t0901\tcoffee|green coffee\nhs\t0999\tmoon dust\nhs\t0902\ttea||\nhs\t0901\tjava\n"
                    "naics\t31-33\tmanufacturing\nhs 8712 bicycles\n", encoding="utf-8")
    terms, problems = glossary.read_file(path)
    assert {t.text for t in terms} == {"coffee", "green coffee", "tea", "java", "manufacturing"}
    assert problems == [
        (3, "HS 0999 is not a code of the classification"),
        (4, "an empty term"),
        (4, "an empty term"),
        (5, "HS 0901 appears twice"),
        (7, "expected three tab-separated columns: scheme, code, terms"),
    ]


def test_the_check_command_lists_the_codes_with_the_fewest_terms_for_review(capsys):
    call_command("check_glossary", "--review", "7", "--language", "am")
    out = capsys.readouterr().out
    assert "codes with the fewest terms in am" in out
    review = out.split("fewest terms in am:")[1].strip().splitlines()
    assert len(review) == 7
    counts = [int(line.split("am=")[1].split()[0]) for line in review]
    assert counts == sorted(counts)


def test_the_check_command_fails_on_a_broken_glossary(tmp_path, monkeypatch):
    for language in glossary.LANGUAGES:
        (tmp_path / f"{language}.tsv").write_text("hs\t0901\tcoffee\n", encoding="utf-8")
    (tmp_path / "pl.tsv").write_text("hs\t0901\tkawa\nhs\t12345\tnic\n", encoding="utf-8")
    monkeypatch.setattr(glossary, "GLOSSARY_DIR", tmp_path)
    with pytest.raises(CommandError, match="1 problem"):
        call_command("check_glossary", "--review", "0")


@pytest.mark.parametrize("text, heading", [
    # the misses: HS says "gear boxes", "bovine", "footwear", "Capsicum"
    ("gearbox", "8483"), ("frozen beef", "0202"), ("leather shoes", "6403"), ("dried chili peppers", "0904"),
    ("bicycles", "8712"), ("sneakers", "6404"), ("PCB", "8534"), ("LED lamps", "8539"),
    ("브레이크 패드", "8708"), ("브레이크패드를 생산합니다", "8708"), ("자전거", "8712"),
    ("café verde", "0901"), ("aguacates Hass", "0804"),
    ("自行車", "8712"), ("腳踏車零件", "8714"),
    ("rowery", "8712"), ("meble drewniane", "9403"),
    ("ቡና", "0901"), ("የሰሊጥ ምርት", "1207"),
])
def test_everyday_words_in_every_language_are_read_as_their_heading(text, heading):
    codes = glossary.read_codes(text)
    assert any(code.startswith(heading) for code in codes), codes


def test_where_terms_overlap_the_longest_is_what_was_meant():
    # "leather" alone is leather (41); "leather shoes" is footwear and nothing else.
    assert all(code.startswith("64") for code in glossary.read_codes("leather shoes"))
    assert all(not code.startswith("03") for code in glossary.read_codes("frozen beef"))


def test_a_vague_word_is_not_read_as_any_code():
    assert glossary.read_codes("parts") == ()
    assert glossary.read_codes("equipment and products") == ()


@pytest.mark.parametrize("typo, heading", [("cofee", "0901"), ("bicyles", "8712"), ("gearbxo", "8483")])
def test_a_mistyped_product_still_names_its_heading(typo, heading):
    assert any(entry.code.startswith(heading) for entry in query.expand(typo)[0])


def test_a_code_is_called_by_its_everyday_name_in_the_readers_language():
    words = glossary.glossary()
    assert words.name_for("8712", "en") != words.name_for("8712", "ko")
    assert words.name_for("8712", "zh-hant") == words.name_for("8712", "zh-Hant-TW")
    # A language without words for a code falls back to the official title.
    assert glossary.Glossary([]).name_for("8712", "ko").startswith("Bicycles")
