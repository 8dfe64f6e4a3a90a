"""What a search asks and what it answers, independent of the backend.

The parts every backend shares live here too: reading a query into token
groups and taxonomy codes, explaining why a hit matched, highlighting, and
labelling facets. Backends only decide which businesses match and in what
order.
"""

import html
import re
from functools import lru_cache
from dataclasses import dataclass, field

from django.utils.translation import gettext

from directory import taxonomy
from directory.models import Business, City

from . import analysis
from .filters import BusinessFilters

SIDES = ("offers", "seeks")
FACETS = ("city", "country", "relationship", "naics", "offers", "seeks", "trade_role", "language")
HIGHLIGHT_FIELDS = ("name", "description", "offers_text", "seeks_text")
# A query word must be this long before it is read as a product ("tv" is not).
MIN_EXPANSION_WORD = 3
# A word naming entries under more headings (HS) or industry groups (NAICS)
# than this is too vague to expand.
MAX_GROUPS_PER_WORD = 6


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

    @property
    def is_empty(self):
        return not self.groups and not self.hs_entries and not self.naics_entries


def parse(text):
    groups = analysis.query_groups(text or "")
    hs_entries, naics_entries = expand(text or "")
    return ParsedQuery(groups, analysis.required_groups(len(groups)), hs_entries, naics_entries)


@lru_cache(maxsize=20_000)
def expand(text):
    """Taxonomy entries named by the query's words, so "brake pads" also finds
    a firm that wrote only in Korean but offers HS 870830.

    Each word is looked up on its own ("brake" names 870830, "pads" names
    6813), and a word is used only when it picks out a handful of entries
    once redundant ones are pruned: a vague word that names half the tariff
    expands to nothing. Digits and short words never expand.
    """
    meaningful = [w for w in analysis.words(text) if len(w) >= MIN_EXPANSION_WORD and not w.isdigit()
                  and w not in analysis.STOPWORDS]
    found = []
    for scheme in ("hs", "naics"):  # returned as tuples: the result is cached and shared
        codes = taxonomy.by_name(scheme)
        entries = {}
        for word in meaningful:
            named = _prune(codes.named_by(word))
            if len({entry.code[:4] for entry in named}) <= MAX_GROUPS_PER_WORD:
                entries.update((entry.code, entry) for entry in named)
        found.append(tuple(entries[code] for code in sorted(_prune_codes(entries))))
    return found[0], found[1]


def inferred_hs_codes(text):
    """HS codes a firm's own words name ("brake pads and rotors" -> 870830,
    ...), for firms that describe a need or an offer without codes."""
    return [entry.code for entry in expand(text or "")[0]]


def _prune(entries):
    keep = _prune_codes({entry.code: entry for entry in entries})
    return [entry for entry in entries if entry.code in keep]


def _prune_codes(entries):
    """Drop what the rest already covers: an entry under another one (a
    subheading under its heading), and a chapter or sector when something
    more precise beneath it was named (the word "coffee" names chapter 09,
    "Coffee, tea, maté and spices", but heading 0901 is what was meant)."""
    codes = set(entries)
    broad = {c for c in codes if len(c) == 2 and any(o != c and o.startswith(c) for o in codes)}
    codes -= broad
    return {c for c in codes if not any(o != c and c.startswith(o) for o in codes)}


def explain(business, parsed):
    """Why a business matched the expanded codes, as sentences."""
    reasons = []
    offers = set(taxonomy.with_ancestors(business.offers_hs, "hs"))
    seeks = set(taxonomy.with_ancestors(business.seeks_hs, "hs"))
    naics = set(taxonomy.with_ancestors(business.naics, "naics"))
    for entry in parsed.hs_entries:
        if entry.code in offers:
            reasons.append(gettext("offers HS %(code)s — %(title)s") % {"code": entry.code, "title": entry.title})
        if entry.code in seeks:
            reasons.append(gettext("seeks HS %(code)s — %(title)s") % {"code": entry.code, "title": entry.title})
    for entry in parsed.naics_entries:
        if entry.code in naics:
            reasons.append(gettext("works in NAICS %(code)s — %(title)s") % {"code": entry.code, "title": entry.title})
    return reasons


def highlight(text, parsed, *, width=160):
    """An HTML-escaped fragment of `text` with the query's words in <em>, or "".

    Done in Python for every backend, on the text as the firm wrote it, so
    highlights are the same whichever engine answered.
    """
    if not text or not parsed.groups:
        return ""
    wanted = {token for group in parsed.groups for token in group}
    spans = []
    for match in re.finditer(r"\w+", text):
        word_tokens = set(analysis.tokens(match.group(), "en")) | set(analysis.tokens(match.group(), "es"))
        if word_tokens & wanted:
            spans.append(match.span())
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
