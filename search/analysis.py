"""Text normalisation shared by every search backend.

Language handling happens once, here, in Python, so Elasticsearch (whose
fetchable distribution has only core analysis), PostgreSQL and SQLite all see
the same tokens and agree on what matches:

- NFKC normalisation and case folding ("Ｂｒａｋｅ" is "brake");
- accent folding ("Jacó" is "jaco", "Góra" is "gora");
- CJK text (Chinese, Korean, Japanese) cut into overlapping bigrams, since it
  has no spaces between words and Korean glues particles to nouns
  ("브레이크를" shares 브레, 레이, 이크 with "브레이크");
- light stemming for English and Spanish with Snowball ("brakes" -> "brake",
  "frenos" -> "fren"). A document is stemmed in its own language; a query's
  language is unknown, so each query word may match its English or Spanish stem.

Polish and Amharic words are folded but not stemmed.
"""

import re
import unicodedata
from functools import lru_cache

import snowballstemmer

_WORD = re.compile(r"\w+", re.UNICODE)
_CJK_CHAR = (
    "\u1100-\u11ff\u3040-\u30ff\u3130-\u318f\u3400-\u4dbf\u4e00-\u9fff"
    "\uac00-\ud7af\uf900-\ufaff"
)
# A word split into runs of CJK characters and runs of anything else.
_SCRIPT_RUNS = re.compile(f"[{_CJK_CHAR}]+|[^{_CJK_CHAR}]+")
_IS_CJK = re.compile(f"^[{_CJK_CHAR}]+$")

STEMMED_LANGUAGES = {"en": "english", "es": "spanish"}
# Query words too common to say anything, in the languages people query in.
STOPWORDS = frozenset(
    "a an and are as at be by de del el en for from in is la las los of on or para por the to un una "
    "with y".split()
)
MAX_QUERY_WORDS = 10


def fold(text):
    """NFKC-normalise, case-fold and strip accents (combining marks)."""
    text = text or ""
    if text.isascii():
        return text.lower()  # what the steps below give for ASCII, at a fraction of the cost
    text = unicodedata.normalize("NFKC", text).casefold()
    decomposed = unicodedata.normalize("NFKD", text)
    return unicodedata.normalize("NFC", decomposed.translate(_without_combining_marks()))


@lru_cache(maxsize=None)
def _without_combining_marks():
    """A translation table deleting every character unicodedata calls
    combining: str.translate does in C what a test of each character in
    Python would."""
    return {code: None for code in range(0x300, 0x110000) if unicodedata.combining(chr(code))}


def words(text):
    """The folded words of a text, in order."""
    return _WORD.findall(fold(text))


def base_language(tag):
    """"es-MX" -> "es", "zh-Hant" -> "zh"."""
    return (tag or "").split("-")[0].lower()


@lru_cache(maxsize=None)
def _stemmer(language):
    return snowballstemmer.stemmer(STEMMED_LANGUAGES[language])


@lru_cache(maxsize=100_000)
def stem(word, language):
    if language not in STEMMED_LANGUAGES or word.isdigit():
        return word
    return _stemmer(language).stemWord(word)


def bigrams(run):
    if len(run) == 1:
        return [run]
    return [run[i:i + 2] for i in range(len(run) - 1)]


def _pieces(text):
    """Yield (piece, is_cjk) for every word of the text, CJK runs split out."""
    for word in words(text):
        for run in _SCRIPT_RUNS.findall(word):
            yield run, bool(_IS_CJK.match(run))


def tokens(text, language=""):
    """Index tokens for a text written in `language` (a BCP 47 tag).

    Every word is kept as written (folded) and, for English and Spanish, its
    stem is added; CJK runs become bigrams. Order is kept, duplicates too, so
    term frequencies mean what they should.
    """
    language = base_language(language)
    out = []
    for piece, is_cjk in _pieces(text):
        if is_cjk:
            out.extend(bigrams(piece))
            continue
        out.append(piece)
        stemmed = stem(piece, language)
        if stemmed != piece:
            out.append(stemmed)
    return out


def query_groups(text):
    """A query as groups of alternatives: a document matches a group when it
    holds any of its tokens. Each word gives one group (the word and its
    English and Spanish stems); a CJK run gives one group per bigram.
    Stopwords are dropped unless the query is nothing else.
    """
    groups, stopwords = [], []
    for piece, is_cjk in _pieces(text):
        if is_cjk:
            groups.extend([gram] for gram in bigrams(piece))
            continue
        group = sorted({piece, stem(piece, "en"), stem(piece, "es")})
        (stopwords if piece in STOPWORDS else groups).append(group)
    unique = []
    for group in groups or stopwords:
        if group not in unique:
            unique.append(group)
    return unique[:MAX_QUERY_WORDS]


def required_groups(count):
    """How many of a query's groups a document must match: all of them for
    short queries, all but one for longer ones (one word may be noise, such
    as a firm's city or a typo)."""
    return count if count <= 2 else count - 1
