"""The trade glossary: the words people use for goods, in the network's six
languages, each pointing at an HS or NAICS code.

Firms describe what they trade in their own words ("brake pads", "café
verde", "브레이크 패드", "自行車", "rowery", "ቡና"). The codes are the
language-neutral meeting point, so a Chinese-speaking bicycle maker and an
English-speaking buyer meet at HS 8712 although they share no word. The
official titles are written in customs language ("bovine", "Capsicum"), so
the glossary, not the titles, is what reads words as codes.

Data: directory/data/glossary/<language>.tsv, one line per code:
``hs|naics <TAB> code <TAB> term|term|...``. The files are read once per
process. Every consumer (search expansion, suggestions, matching's reading of
words-only profiles, import suggestions) calls this module.

How a term is found in a text:
- words in Latin script (and any other spaced script but Ethiopic) match as
  whole words, in order, each compared by its folded form and its English
  and Spanish stems ("Bicycles" is "bicycle", "frenos" is "freno");
- Chinese, Korean and Ethiopic terms match as substrings, because Chinese
  has no spaces, Korean glues particles to nouns ("브레이크패드를") and
  Amharic writes prepositions and possessives into the word ("የቡና", "ቡናችን");
- where matches overlap, the longest wins: "leather shoes" is footwear, not
  leather, and "frozen beef" is beef, not something frozen.
"""

import bisect
import itertools
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

from search import analysis

from . import taxonomy

GLOSSARY_DIR = Path(__file__).resolve().parent / "data" / "glossary"
LANGUAGES = ("en", "es", "ko", "zh-Hant", "pl", "am")
SCHEMES = ("hs", "naics")
# A term naming more HS headings (or NAICS subsectors) than this is too vague
# to read as a code ("steel" would name a chapter's worth).
MAX_GROUPS_PER_TERM = 4
# Type-ahead looks at no more terms than this for one prefix ("b" is not asked).
MAX_COMPLETIONS = 200
_SUBSTRING_SCRIPT = re.compile(
    "[\u1100-\u11ff\u1200-\u139f\u2d80-\u2ddf\u3040-\u30ff\u3130-\u318f\u3400-\u4dbf\u4e00-\u9fff"
    "\uac00-\ud7af\uf900-\ufaff\uab00-\uab2f]"
)


@dataclass(frozen=True)
class Term:
    scheme: str
    code: str
    text: str  # as written in the file
    language: str


@dataclass(frozen=True)
class Match:
    """A term found in a text, at [start, end) of the text's word or character sequence."""

    term: Term
    start: int
    end: int
    substring: bool

    @property
    def code(self):
        return self.term.code

    @property
    def scheme(self):
        return self.term.scheme


# How the words of a term are compared with a text's words: an English term
# by English stems ("bicycles" is "bicycle"), a Spanish one by its singular
# ("frenos" is "freno", "flores" is "flor"), any other exactly as folded
# (Polish lists its inflected forms itself). A text's language is not known,
# so each of its words is compared all three ways, each with the terms of
# that way only: full stemming across languages would make the English
# "Colorado" the Spanish "colorantes".
COMPARISONS = ("en", "es", "exact")
_ABBREVIATION = re.compile(r"^[A-Z0-9][A-Z0-9\-]*[A-Z][A-Z0-9\-]*$")


def word_key(word, comparison):
    if comparison == "en":
        stemmed = analysis.stem(word, "en")
        # A stem this short is a different word ("AEDs" and "a" both stem to "a").
        return stemmed if len(stemmed) >= 3 else "=" + word
    if comparison == "es":
        return spanish_singular(word)
    return word


def spanish_singular(word):
    """The singular of a folded Spanish noun or adjective, by the plural rules
    ("luces" -> "luz", "motores" -> "motor", "frenos" -> "freno")."""
    if len(word) > 4 and word.endswith("ces"):
        return word[:-3] + "z"
    if len(word) > 4 and word.endswith("es") and word[-3] in "lrndjy":
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and word[-2] in "aeiou":
        return word[:-1]
    return word


def comparison_for(term):
    """How a term's words are compared: abbreviations (PCB, LED, INS) always
    exactly, never stemmed ("ins" is not "in")."""
    if _ABBREVIATION.match(term.text):
        return "exact"
    return term.language if term.language in ("en", "es") else "exact"


def is_substring_script(text):
    return bool(_SUBSTRING_SCRIPT.search(text))


def _compact(text):
    """A folded text with spaces and punctuation removed, for substring terms."""
    return "".join(analysis.words(text))


class Glossary:
    def __init__(self, terms):
        self.terms = terms
        self.by_code = defaultdict(list)  # (scheme, code) -> [Term]
        self._word_terms = {c: defaultdict(list) for c in COMPARISONS}  # first word key -> [(keys, Term)]
        self._substring_terms = defaultdict(list)  # first two characters -> [(compact text, Term)]
        self._vocabulary = Counter()  # folded words of the spaced terms and how many terms use each
        groups = defaultdict(set)  # (scheme, key) -> headings (HS) or subsectors (NAICS) it names
        written = []  # (as typed ahead, scheme, code)
        for term in terms:
            self.by_code[(term.scheme, term.code)].append(term)
            if is_substring_script(term.text):
                key = _compact(term.text)
                if len(key) < 2:
                    continue
                self._substring_terms[key[:2]].append((key, term))
                written.append((key, term.scheme, term.code))
            else:
                folded = analysis.words(term.text)
                if not folded:
                    continue
                self._vocabulary.update(set(folded))
                comparison = comparison_for(term)
                key = tuple(word_key(w, comparison) for w in folded)
                self._word_terms[comparison][key[0]].append((key, term))
                if comparison == "exact" and _ABBREVIATION.match(term.text):
                    plural = key[:-1] + (key[-1] + "s",)  # PCBs, LEDs
                    self._word_terms[comparison][plural[0]].append((plural, term))
                written.append((" ".join(folded), term.scheme, term.code))
            groups[(term.scheme, key)].add(term.code[:4] if term.scheme == "hs" else term.code[:3])
        self._substring_by_length = defaultdict(set)
        for texts in self._substring_terms.values():
            for key, _ in texts:
                self._substring_by_length[len(key)].add(key)
        # A term naming too many groups means nothing in particular ("steel").
        self._vague = {key for key, named in groups.items() if len(named) > MAX_GROUPS_PER_TERM}
        self._written = sorted(written)

    def _is_vague(self, term, key):
        return (term.scheme, key) in self._vague

    # --- reading ---------------------------------------------------------------------

    def matches(self, text):
        """Every term found in the text, longest first where they overlap."""
        found = []
        folded_words = analysis.words(text or "")
        for comparison in COMPARISONS:
            keys = [word_key(w, comparison) for w in folded_words]
            terms = self._word_terms[comparison]
            for i, key in enumerate(keys):
                for term_keys, term in terms.get(key, ()):
                    if tuple(keys[i:i + len(term_keys)]) == term_keys and not self._is_vague(term, term_keys):
                        found.append(Match(term, i, i + len(term_keys), substring=False))
        compact = _compact(text or "")
        if is_substring_script(compact):
            starts = _word_starts(folded_words)
            for i in range(len(compact) - 1):
                for term_text, term in self._substring_terms.get(compact[i:i + 2], ()):
                    if (compact.startswith(term_text, i) and _may_start_at(compact, i, starts)
                            and not self._is_vague(term, term_text)):
                        found.append(Match(term, i, i + len(term_text), substring=True))
        return _longest(found)

    def nearest_substring_term(self, text):
        """For a short Chinese, Korean or Amharic phrase that is no term, the
        term one character away ("아보가도" -> "아보카도", "自形車" -> "自行車"),
        or None. Two characters are too few to tell a slip from another word."""
        from search import spelling

        compact = _compact(text)
        if len(compact) < 3 or not is_substring_script(compact):
            return None
        near = [key for n in (len(compact) - 1, len(compact), len(compact) + 1)
                for key in self._substring_by_length.get(n, ()) if key != compact]
        found = spelling.nearest(compact, near, limit=1, keep=1, same_start=False)
        return found[0] if found else None

    def codes_in(self, text, *, scheme="hs"):
        """The codes the text's words name, most specific kept: a heading is
        dropped when one of its subheadings was named too."""
        codes = {m.code for m in self.matches(text) if m.scheme == scheme}
        return sorted(c for c in codes if not any(o != c and o.startswith(c) for o in codes))

    def codes_for_phrase(self, text, *, scheme="hs"):
        """Codes for a typed phrase, best first, for suggestions: the codes of
        the longest terms found in it, then of terms that begin with what was
        typed (type-ahead: "gearb" -> gearbox)."""
        ranked = []
        for match in sorted(self.matches(text), key=lambda m: (-(m.end - m.start), m.start)):
            if match.scheme == scheme and match.code not in ranked:
                ranked.append(match.code)
        for code in self._completions(_compact(text) if is_substring_script(text) else " ".join(analysis.words(text)), scheme):
            if code not in ranked:
                ranked.append(code)
        return ranked

    def _completions(self, typed, scheme):
        """Codes of terms beginning with the typed text, shortest term first
        (a binary search in the sorted written forms)."""
        if not typed or (len(typed) < 2 and not is_substring_script(typed)):
            return []
        found = []
        if is_substring_script(typed) and len(typed) <= 2:
            # One or two characters begin few terms but end many ("꿀" ends 벌꿀, 아카시아꿀).
            found = [(len(key), term.code) for texts in self._substring_terms.values() for key, term in texts
                     if typed in key and term.scheme == scheme]
        start = bisect.bisect_left(self._written, (typed,))
        for written, term_scheme, code in itertools.islice(self._written, start, None):
            if not written.startswith(typed) or len(found) >= MAX_COMPLETIONS:
                break
            if term_scheme == scheme:
                found.append((len(written), code))
        ranked = []
        for _, code in sorted(found):
            if code not in ranked:
                ranked.append(code)
        return ranked

    # --- names ---------------------------------------------------------------------------

    def name_for(self, code, language, *, scheme="hs"):
        """The everyday name of a code in a language (its first term), falling
        back to the heading's, then to the official English title."""
        language = _file_language(language)
        candidates = [code] + ([code[:4]] if scheme == "hs" and len(code) == 6 else [])
        for candidate in candidates:
            for term in self.by_code.get((scheme, candidate), ()):
                if term.language == language:
                    return term.text
        entry = taxonomy.by_name(scheme).get(code)
        return entry.title if entry else code

    def vocabulary(self):
        """{word: how many terms use it}: what typos are corrected towards, the commoner first."""
        return self._vocabulary


def _word_starts(folded_words):
    """Where each word begins in the text's compact form."""
    starts, position = set(), 0
    for word in folded_words:
        starts.add(position)
        position += len(word)
    return starts


_HANGUL = re.compile("[\uac00-\ud7af\u1100-\u11ff\u3130-\u318f]")
_ETHIOPIC = re.compile("[\u1200-\u139f\u2d80-\u2ddf\uab00-\uab2f]")


def _may_start_at(compact, i, starts):
    """Whether a term may begin here. Chinese has no word boundaries, so
    anywhere. Korean glues particles to the end of a noun but not to its
    start, so at the start of a word ("브레이크" does not hold the rake
    "레이크"). Amharic writes a one-syllable preposition or "of" before the
    noun (የቡና, በቡና), so at the start or one syllable in."""
    if _HANGUL.match(compact[i]):
        return i in starts
    if _ETHIOPIC.match(compact[i]):
        return i in starts or (i - 1) in starts
    return True


def _longest(found):
    """Drop a match lying inside a longer one of the same kind (word or character spans)."""
    kept = []
    for match in sorted(found, key=lambda m: (-(m.end - m.start), m.start)):
        if any(k.substring == match.substring and k.start <= match.start and match.end <= k.end
               and (k.end - k.start) > (match.end - match.start) for k in kept):
            continue
        kept.append(match)
    return sorted(kept, key=lambda m: (m.start, -(m.end - m.start)))


def _file_language(language):
    """"zh-hant", "zh-Hant-TW", "zh" -> "zh-Hant"; "es-MX" -> "es"."""
    base = analysis.base_language(language)
    return "zh-Hant" if base == "zh" else base


def read_file(path):
    """(terms, problems) of one glossary file; a problem is (line number, message)."""
    language = path.stem
    terms, problems, seen = [], [], set()
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            line = line.rstrip("\n")
            if not line.strip() or line.startswith("#"):
                continue
            parts = line.split("\t")
            if len(parts) != 3:
                problems.append((number, "expected three tab-separated columns: scheme, code, terms"))
                continue
            scheme, code, texts = parts
            if scheme not in SCHEMES:
                problems.append((number, f"unknown scheme “{scheme}”"))
                continue
            if not _known(scheme, code):
                problems.append((number, f"{scheme.upper()} {code} is not a code of the classification"))
                continue
            if (scheme, code) in seen:
                problems.append((number, f"{scheme.upper()} {code} appears twice"))
            seen.add((scheme, code))
            for text in texts.split("|"):
                if text.strip():
                    terms.append(Term(scheme=scheme, code=code, text=text.strip(), language=language))
                else:
                    problems.append((number, "an empty term"))
    return terms, problems


def _known(scheme, code):
    if scheme == "hs":
        return code in taxonomy.hs().entries and len(code) in (4, 6)
    return code in taxonomy.naics().entries


@cache
def glossary():
    terms = []
    for language in LANGUAGES:
        path = GLOSSARY_DIR / f"{language}.tsv"
        if path.exists():
            terms += read_file(path)[0]
    return Glossary(terms)


@lru_cache(maxsize=20_000)
def read_codes(text, scheme="hs"):
    """The codes a text's words name, as a tuple (cached and shared)."""
    return tuple(glossary().codes_in(text, scheme=scheme))


def read_profile(business):
    """(offered, sought) HS codes read from a firm's words for each side it
    named no codes for: what it offers from its offers text, what it seeks
    from its needs text. Never from the description, which mixes both sides
    ("we import green coffee" is a need). The one rule for suggestions on the
    profile, matching and search's pairing."""
    offers = () if business.offers_hs else read_codes(business.offers_text or "")
    seeks = () if business.seeks_hs else read_codes(business.seeks_text or "")
    return offers, seeks


def check():
    """Every file's problems, and every code's term count per language.

    Returns (problems, counts): problems as [(file name, line, message)];
    counts as {(scheme, code): {language: terms}} over every heading and
    subheading of the HS file and every NAICS sector and subsector, so a
    code nobody has words for shows up with zeros.
    """
    problems, counts = [], {}
    for entry in taxonomy.hs().entries.values():
        if entry.level in ("heading", "subheading"):
            counts[("hs", entry.code)] = dict.fromkeys(LANGUAGES, 0)
    for entry in taxonomy.naics().entries.values():
        if entry.level in ("sector", "subsector"):
            counts[("naics", entry.code)] = dict.fromkeys(LANGUAGES, 0)
    for language in LANGUAGES:
        path = GLOSSARY_DIR / f"{language}.tsv"
        if not path.exists():
            problems.append((path.name, 0, "the file is missing"))
            continue
        terms, file_problems = read_file(path)
        problems += [(path.name, number, message) for number, message in file_problems]
        for term in terms:
            counts.setdefault((term.scheme, term.code), dict.fromkeys(LANGUAGES, 0))[term.language] += 1
    return problems, counts
