"""Forgiving typos: the nearest known words to a word nobody wrote.

"cofee", "bicyles" and "frneos" are what people type. A query word that is
not in a vocabulary (the glossary's words, or the words of the directory's
profiles kept by the database backend) is replaced by its nearest neighbours
in that vocabulary, by Damerau-Levenshtein distance (a swap of two adjacent
letters counts as one edit, since that is the commonest slip). Like
Elasticsearch's fuzziness, the first letter is trusted and short words are
left alone: "tv" is not a typo of "tea".
"""

from functools import lru_cache

# Words shorter than this are never corrected; up to TWO_EDITS_FROM letters
# allow one edit, longer words two.
MIN_LENGTH = 4
TWO_EDITS_FROM = 8


def allowed_edits(word):
    if len(word) < MIN_LENGTH or word.isdigit():
        return 0
    return 1 if len(word) < TWO_EDITS_FROM else 2


def distance(a, b, limit):
    """The Damerau-Levenshtein (optimal string alignment) distance of a and b
    when it is within the limit, else limit + 1.

    Only the cells within `limit` of the diagonal are computed: any other is at
    least its distance from the diagonal, so it can lead to nothing within the
    limit, and neither can a value above it (both are kept as limit + 1). A
    search compares a word with thousands of candidates; this is most of it."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    above = limit + 1
    previous2, previous = None, [j if j <= limit else above for j in range(len(b) + 1)]
    for i in range(1, len(a) + 1):
        current = [above] * (len(b) + 1)
        if i <= limit:
            current[0] = i
        low, high = max(1, i - limit), min(len(b), i + limit)
        here = a[i - 1]
        for j in range(low, high + 1):
            value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (here != b[j - 1]))
            if i > 1 and j > 1 and here == b[j - 2] and a[i - 2] == b[j - 1] and previous2[j - 2] + 1 < value:
                value = previous2[j - 2] + 1
            if value <= limit:
                current[j] = value
        if min(current) > limit:
            return above
        previous2, previous = previous, current
    return previous[-1]


def nearest(word, candidates, *, limit=None, keep=5, same_start=True):
    """Up to `keep` candidates within the allowed edits of `word`, nearest
    first (ties: the alphabetically first, so answers are stable). The first
    letter is trusted unless `same_start` is false (a syllable or character
    of Korean or Chinese is a whole part of the word, not a letter)."""
    limit = allowed_edits(word) if limit is None else limit
    if not limit:
        return []
    # An edit changes at most two of the characters one word has and the other
    # lacks (a transposition none), so a candidate with more such characters
    # than twice the limit is too far, found without computing its distance.
    letters = set(word)
    scored = sorted(
        (d, candidate) for candidate in candidates
        if candidate != word and (not same_start or candidate[:1] == word[:1])
        and len(letters.symmetric_difference(candidate)) <= 2 * limit
        and (d := distance(word, candidate, limit)) <= limit
    )
    if not scored:
        return []
    best = scored[0][0]
    return [candidate for d, candidate in scored if d == best][:keep]


class Vocabulary:
    """A set of words, bucketed by first letter and length so a lookup only
    compares the words that could be near."""

    def __init__(self, words):
        self.words = frozenset(words)
        self._buckets = {}
        for word in self.words:
            self._buckets.setdefault((word[:1], len(word)), []).append(word)

    def __contains__(self, word):
        return word in self.words

    def corrections(self, word):
        """The nearest known words to an unknown word, or () for a known or short one."""
        return () if word in self.words else self.neighbours(word)

    @lru_cache(maxsize=10_000)
    def neighbours(self, word):
        """The nearest other known words, whether or not the word is known itself
        ("pdas" is a word, but "brake pdas" meant pads)."""
        limit = allowed_edits(word)
        if not limit:
            return ()
        candidates = [w for n in range(len(word) - limit, len(word) + limit + 1)
                      for w in self._buckets.get((word[:1], n), ())]
        return tuple(nearest(word, candidates, limit=limit))
