"""Typo correction answers as the plain definition would: the nearest words
by optimal string alignment distance, however the distance is computed."""

import random

import pytest

from search import spelling


def plain_distance(a, b):
    """Optimal string alignment distance, the whole table, as the textbook has it."""
    table = [[i + j if i == 0 or j == 0 else 0 for j in range(len(b) + 1)] for i in range(len(a) + 1)]
    for i in range(1, len(a) + 1):
        for j in range(1, len(b) + 1):
            table[i][j] = min(table[i - 1][j] + 1, table[i][j - 1] + 1,
                              table[i - 1][j - 1] + (a[i - 1] != b[j - 1]))
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                table[i][j] = min(table[i][j], table[i - 2][j - 2] + 1)
    return table[-1][-1]


def plain_nearest(word, candidates, limit, keep=5, same_start=True):
    scored = sorted((plain_distance(word, c), c) for c in candidates
                    if c != word and (not same_start or c[:1] == word[:1]))
    scored = [(d, c) for d, c in scored if d <= limit]
    return [c for d, c in scored if d == scored[0][0]][:keep] if scored else []


def _words(rng, alphabet, count, longest=10):
    return ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, longest))) for _ in range(count)]


@pytest.mark.parametrize("alphabet", ["ab", "abcd", "abcdefghij", "가나다라"])
def test_the_distance_is_the_plain_one_within_the_limit_and_above_it_otherwise(alphabet):
    rng = random.Random(alphabet)
    words = _words(rng, alphabet, 400)
    for a, b in zip(words, reversed(words)):
        for limit in (1, 2):
            expected, found = plain_distance(a, b), spelling.distance(a, b, limit)
            assert found == expected if expected <= limit else found > limit, (a, b, limit)


def test_nearest_words_are_those_of_the_plain_definition():
    rng = random.Random(2026)
    for alphabet in ("abc", "abcdefgh"):
        candidates = _words(rng, alphabet, 300, longest=9)
        for word in _words(rng, alphabet, 150, longest=9):
            for limit in (1, 2):
                for same_start in (True, False):
                    assert spelling.nearest(word, candidates, limit=limit, same_start=same_start) == plain_nearest(
                        word, candidates, limit, same_start=same_start), (word, limit, same_start)


def test_common_slips_are_corrected():
    vocabulary = spelling.Vocabulary(["coffee", "bicycles", "frenos", "brake", "pads", "panels"])
    assert vocabulary.corrections("cofee") == ("coffee",)
    assert vocabulary.corrections("bicyles") == ("bicycles",)
    assert vocabulary.corrections("frneos") == ("frenos",)
    assert vocabulary.corrections("coffee") == ()
    assert vocabulary.corrections("tv") == ()
