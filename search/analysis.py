"""Text normalisation shared by everything that compares words.

Folding happens once, here, so that a taxonomy lookup, the database search
backend and the Elasticsearch documents all see the same tokens: "Jacó" and
"jaco" are one word, "Ｂｒａｋｅ" is "brake".
"""

import re
import unicodedata

_WORD = re.compile(r"\w+", re.UNICODE)


def fold(text):
    """NFKC-normalise, case-fold and strip accents (combining marks)."""
    text = unicodedata.normalize("NFKC", text or "").casefold()
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return unicodedata.normalize("NFKC", stripped)


def words(text):
    """The folded words of a text, in order."""
    return _WORD.findall(fold(text))
