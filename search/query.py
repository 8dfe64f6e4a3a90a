"""What a search asks and what it answers, independent of the backend.

The parts every backend shares live here too: reading a query into token
groups and taxonomy codes, explaining why a hit matched, highlighting, and
labelling facets. Backends only decide which businesses match and in what
order.
"""

import html
import re
from functools import cache, lru_cache
from dataclasses import dataclass, field

from django.utils.translation import get_language, gettext

from directory import glossary, taxonomy
from directory.models import Business, City

from . import analysis, spelling
from .filters import BusinessFilters

SIDES = ("offers", "seeks")
FACETS = ("city", "country", "relationship", "naics", "offers", "seeks", "trade_role", "language")
HIGHLIGHT_FIELDS = ("name", "description", "offers_text", "seeks_text")


@dataclass
class SearchQuery(BusinessFilters):
    """Words to match, the business filters (search/filters.py), and a page."""

    text: str = ""
    # "offers": find suppliers (firms offering what the words name); "seeks":
    # find buyers; "": both, what firms offer ranked before what they seek.
    side: str = ""
    # City slugs left out: a signed-in firm's own city, unless it asks for it,
    # so its neighbours do not crowd out the partner cities.
    exclude_city: list = field(default_factory=list)
    # Business ids to search among (a saved search run over the profiles that
    # changed since its last run); empty: no restriction.
    ids: list = field(default_factory=list)
    page: int = 1
    page_size: int = 20
    with_facets: bool = True  # matching asks only for hits

    @property
    def offset(self):
        return (self.page - 1) * self.page_size


# How a hit ranks. A firm's evidence puts it in a tier, and the best tier it
# reaches counts: what the searcher asked for, found where the firm says what
# it offers (its name, its offers, or an offered code the words name), ranks
# first; the same words only in its description next; in what it seeks last.
# Within a tier, text relevance (scaled into [0, TEXT_WEIGHT)) and a code
# named by the query (CODE_BONUS) order the firms (a relevance r counts as
# TEXT_WEIGHT * r / (1 + r), whatever its engine's scale), so a supplier that offers
# HS 871200 without writing "bicycle" ranks with those that write it.
SUPPLY, DESCRIBED, NEED = 4.0, 2.0, 1.0
TEXT_WEIGHT = 0.5
CODE_BONUS = 0.5


@dataclass(frozen=True)
class TextLevel:
    tier: float
    columns: tuple  # of "name", "offers", "seeks", "body"


@dataclass(frozen=True)
class CodeLevel:
    kinds: tuple  # BusinessTerm kinds / document fields: "offers", "seeks", "offers_read", "seeks_read", "naics"
    scheme: str
    tier: float
    bonus: float
    # Meet at the heading of an HS code the words name: "LED bulbs" names
    # 853952, and a firm that offers heading 8539 or another LED lamp
    # subheading is a supplier too, a little below one offering 853952.
    headings: bool = False


ALL_COLUMNS = ("name", "offers", "body", "seeks")
# A code a firm named counts fully; one read from its words (it named none), half.
KIND_FACTOR = {"offers": 1.0, "seeks": 1.0, "offers_read": 0.5, "seeks_read": 0.5, "naics": 0.5}
HEADING_FACTOR = 0.6


def _code_levels(kinds, tier, bonus):
    return [
        CodeLevel((kind,), "hs", tier, round(bonus * KIND_FACTOR[kind] * (HEADING_FACTOR if headings else 1.0), 4),
                  headings=headings)
        for kind in kinds for headings in (False, True)
    ]


def ranking(side):
    """(text levels, code levels) for a side: "offers" finds suppliers only,
    "seeks" buyers only, "" both, suppliers first."""
    if side == "seeks":
        return [TextLevel(SUPPLY, ("seeks",))], _code_levels(("seeks", "seeks_read"), SUPPLY, CODE_BONUS)
    text = [TextLevel(SUPPLY, ("name", "offers")), TextLevel(DESCRIBED, ("name", "offers", "body"))]
    codes = _code_levels(("offers", "offers_read"), SUPPLY, CODE_BONUS) + [
        CodeLevel(("naics",), "naics", DESCRIBED, CODE_BONUS * KIND_FACTOR["naics"])]
    if side == "offers":
        return text, codes
    return text + [TextLevel(NEED, ALL_COLUMNS)], codes + _code_levels(("seeks", "seeks_read"), NEED, 0.0)


@dataclass
class Hit:
    business: Business
    score: float
    highlights: dict = field(default_factory=dict)
    reasons: list = field(default_factory=list)


@dataclass
class SearchResult:
    hits: list
    total: int
    facets: dict
    took_ms: int
    backend: str
    # The engine's own time for the search it ran (Elasticsearch's `took`);
    # None when the database answered.
    engine_ms: int | None = None

    def server_timing(self):
        """The search's time, and the engine's where one answered, as a
        Server-Timing header value (`search;dur=41;desc="elasticsearch",
        engine;dur=12`): the time spent here is the difference, which is what an
        operator (or a load test) needs to tell a slow engine from slow Python."""
        timings = [f'search;dur={self.took_ms};desc="{self.backend}"']
        if self.engine_ms is not None:
            timings.append(f"engine;dur={self.engine_ms}")
        return ", ".join(timings)


@dataclass
class ParsedQuery:
    """The query as every backend consumes it."""

    groups: list  # [[alternative tokens], ...]
    required: int  # how many groups a text match must hold
    hs_entries: list  # taxonomy entries the words name (cross-language expansion)
    naics_entries: list

    @property
    def hs_codes(self):
        return [entry.code for entry in self.hs_entries]

    @property
    def naics_codes(self):
        return [entry.code for entry in self.naics_entries]

    def codes_for(self, level):
        """The codes a code level looks for: as named, or their HS headings."""
        if level.scheme == "naics":
            return self.naics_codes
        if level.headings:
            return sorted({code[:4] for code in self.hs_codes if len(code) >= 4})
        return self.hs_codes

    @property
    def is_empty(self):
        return not self.groups and not self.hs_entries and not self.naics_entries


def parse(text):
    groups = analysis.query_groups(text or "")
    hs_entries, naics_entries = expand(text or "")
    return ParsedQuery(groups, analysis.required_groups(len(groups)), hs_entries, naics_entries)


@lru_cache(maxsize=20_000)
def expand(text):
    """Taxonomy entries the query's words name in any of the network's
    languages (directory/glossary.py), so "bicycles" also finds the New Taipei
    maker who wrote only "自行車" but offers HS 871200, and "cofee" still
    names coffee. Returned as tuples: the result is cached and shared."""
    corrected = glossary_reading(text)
    found = []
    for scheme in ("hs", "naics"):
        codes = taxonomy.by_name(scheme)
        entries = [codes.get(code) for code in glossary.read_codes(corrected, scheme)]
        found.append(tuple(entry for entry in entries if entry is not None))
    return found[0], found[1]


def glossary_reading(text):
    """The text with each word the glossary does not know replaced by the
    nearest word it does ("cofee" -> "coffee"). Of equally near words, the one
    that completes the longest term with its neighbours wins ("solar panles"
    is "solar panels", not "solar panes"), and a known word is replaced only
    when that completes a longer term ("brake pdas" meant "brake pads")."""
    vocabulary = glossary_vocabulary()
    words = analysis.words(text or "")
    # Unknown words first, so that a known word is judged among corrected neighbours.
    for known in (False, True):
        for i, word in enumerate(words):
            if glossary.is_substring_script(word) or (word in vocabulary) != known:
                continue
            candidates = vocabulary.neighbours(word)
            if not candidates:
                continue
            uses = glossary.glossary().vocabulary()
            best = max(candidates, key=lambda c: (_covered(words[:i] + [c] + words[i + 1:]), uses[c], -candidates.index(c)))
            corrected = words[:i] + [best] + words[i + 1:]
            if not known or _longest_term(corrected) > max(1, _longest_term(words)):
                words[i] = best
    reading = " ".join(words)
    if not glossary.glossary().matches(reading):
        # A slip in Chinese, Korean or Amharic: the term one character away.
        near = glossary.glossary().nearest_substring_term(reading)
        if near:
            reading = f"{reading} {near}"
    return reading


def _longest_term(words):
    return max((m.end - m.start for m in glossary.glossary().matches(" ".join(words)) if not m.substring), default=0)


def _covered(words):
    """How many words of a text the glossary's terms cover."""
    return sum(m.end - m.start for m in glossary.glossary().matches(" ".join(words)) if not m.substring)


@cache
def glossary_vocabulary():
    return spelling.Vocabulary(glossary.glossary().vocabulary())


def explain(business, parsed, language=None):
    """Why a business matched the codes the query's words name, as sentences
    in the reader's language, each code called by its everyday name there."""
    language = language or get_language() or "en"
    words = glossary.glossary()
    reasons = []
    offers = set(taxonomy.with_ancestors(business.offers_hs, "hs"))
    seeks = set(taxonomy.with_ancestors(business.seeks_hs, "hs"))
    offers_read = set(taxonomy.with_ancestors(business.suggested_offers_hs, "hs"))
    seeks_read = set(taxonomy.with_ancestors(business.suggested_seeks_hs, "hs"))
    naics = set(taxonomy.with_ancestors(business.naics, "naics"))
    for entry in parsed.hs_entries:
        found = {"code": entry.code, "title": words.name_for(entry.code, language)}
        if entry.code in offers:
            reasons.append(gettext("offers HS %(code)s — %(title)s") % found)
        elif entry.code in offers_read:
            reasons.append(gettext("its offers name HS %(code)s — %(title)s") % found)
        if entry.code in seeks:
            reasons.append(gettext("seeks HS %(code)s — %(title)s") % found)
        elif entry.code in seeks_read:
            reasons.append(gettext("its needs name HS %(code)s — %(title)s") % found)
    for entry in parsed.naics_entries:
        if entry.code in naics:
            name = words.name_for(entry.code, language, scheme="naics")
            reasons.append(gettext("works in NAICS %(code)s — %(title)s") % {"code": entry.code, "title": name})
    return reasons


def highlight(text, parsed, *, width=160):
    """An HTML-escaped fragment of `text` with the query's words in <em>, or "".

    Done in Python for every backend, on the text as the firm wrote it, so
    highlights are the same whichever engine answered.
    """
    if not text or not parsed.groups:
        return ""
    wanted = {token for group in parsed.groups for token in group}
    spans = [match.span() for match in _WORD.finditer(text) if not wanted.isdisjoint(_word_tokens(match.group()))]
    if not spans:
        return ""
    start = max(0, spans[0][0] - width // 3)
    end = min(len(text), start + width)
    out, cursor = [], start
    for left, right in spans:
        if left < start or right > end:
            continue
        out.append(html.escape(text[cursor:left]))
        out.append(f"<em>{html.escape(text[left:right])}</em>")
        cursor = right
    out.append(html.escape(text[cursor:end]))
    fragment = "".join(out)
    return ("…" if start > 0 else "") + fragment + ("…" if end < len(text) else "")


_WORD = re.compile(r"\w+")


@lru_cache(maxsize=50_000)
def _word_tokens(word):
    """The tokens a written word stands for, read as English and as Spanish.
    Kept: highlighting reads every word of every hit's texts, and profiles
    share most of their words."""
    return frozenset(analysis.tokens(word, "en")) | frozenset(analysis.tokens(word, "es"))


def highlights_for(business, parsed):
    found = {}
    for name in HIGHLIGHT_FIELDS:
        fragment = highlight(getattr(business, name), parsed)
        if fragment:
            found[name] = fragment
    return found


def finish_hits(scored, parsed):
    """Hits for (business id, score) pairs, in their order, with highlights and
    reasons. The businesses are loaded through `public()`: an index may be a
    moment behind, and a profile that has left the directory is never shown."""
    businesses = Business.objects.public().select_related("city").in_bulk([pk for pk, _ in scored])
    return [
        Hit(business=businesses[pk], score=score, highlights=highlights_for(businesses[pk], parsed),
            reasons=explain(businesses[pk], parsed))
        for pk, score in scored
        if pk in businesses
    ]


LANGUAGE_NAMES = {
    "en": "English", "ko": "Korean", "zh": "Chinese", "zh-Hant": "Chinese (Traditional)",
    "zh-Hans": "Chinese (Simplified)", "es": "Spanish", "pl": "Polish", "am": "Amharic",
    "om": "Oromo", "ja": "Japanese", "de": "German", "fr": "French", "pt": "Portuguese",
}


def facet_labels(facet, values):
    """Human labels for facet values."""
    if facet == "city":
        names = dict(City.objects.filter(slug__in=values).values_list("slug", "name"))
        return {v: names.get(v, v) for v in values}
    if facet == "relationship":
        return {v: City.Relationship(v).label if v in City.Relationship.values else v for v in values}
    if facet in ("offers", "seeks"):
        return {v: _title(taxonomy.hs(), v) for v in values}
    if facet == "naics":
        return {v: _title(taxonomy.naics(), v) for v in values}
    if facet == "trade_role":
        return {v: Business.TradeRole(v).label if v in Business.TradeRole.values else v for v in values}
    if facet == "language":
        return {v: LANGUAGE_NAMES.get(v, v) for v in values}
    return {v: v for v in values}


def _title(codes, code):
    entry = codes.entries.get(code) or codes.get(code)
    return entry.title if entry else code


def facet_list(facet, counts):
    """[{value, label, count}] for a {value: count} mapping, most frequent first."""
    labels = facet_labels(facet, list(counts))
    return [
        {"value": value, "label": labels[value], "count": count}
        for value, count in sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    ]
