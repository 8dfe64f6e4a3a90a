"""The HS 2022 and NAICS 2022 classifications, read from the TSV files in data/.

The files are small (a few thousand rows) and never change at run time, so
they are parsed once per process and kept in memory; no table, no migration.
A business may name any well-formed code under a known parent (any six-digit
HS subheading under a known heading, any six-digit NAICS industry under a
known industry group): the files carry the codes people trade most, not the
whole national tariff.
"""

import re
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

from search.analysis import words

DATA_DIR = Path(__file__).resolve().parent / "data"

_SEPARATORS = re.compile(r"[\s.\-]")


@dataclass(frozen=True)
class Entry:
    code: str
    title: str
    level: str
    # Set for entries built from a parent's title (a code the file lacks).
    inferred: bool = False

    def as_dict(self):
        return {"code": self.code, "title": self.title, "level": self.level}


class Taxonomy:
    """One code list: lookup, validation, ancestors and title search."""

    name = ""
    levels = {}  # code length -> level name, for codes that appear in the file
    accepted_lengths = ()

    def __init__(self, entries):
        self.entries = {entry.code: entry for entry in entries}
        self._folded = [(entry, set(words(entry.title))) for entry in entries]

    def normalize(self, code):
        """The canonical form of a code as people type it ("8708.30" -> "870830")."""
        code = str(code)
        # Stored codes are canonical already, and every indexed document reads dozens.
        return code if code.isdigit() else _SEPARATORS.sub("", code)

    def get(self, code):
        """The entry for a code, or None. Six-digit codes the file lacks borrow
        their parent's title, marked as inferred."""
        code = self.normalize(code)
        if code in self.entries:
            return self.entries[code]
        parent = self.known_parent(code)
        if parent is None:
            return None
        return Entry(code=code, title=parent.title, level=self.levels.get(len(code), "code"), inferred=True)

    def known_parent(self, code):
        raise NotImplementedError

    def validate(self, code):
        """Return the canonical code, or raise ValueError with a reason a person can act on."""
        raise NotImplementedError

    def ancestors(self, code):
        """The code and every shorter prefix that is a level of this taxonomy, broadest first."""
        return list(self._ancestors(code))

    @lru_cache(maxsize=65536)  # noqa: B019 (the taxonomies live as long as the process)
    def _ancestors(self, code):
        # Every indexed document asks for its codes' ancestors; firms share codes.
        code = self.normalize(code)
        return tuple(code[:n] for n in self.prefix_lengths if n < len(code)) + (code,)

    def search(self, query, *, limit=50):
        """Entries whose code starts with the query, or whose title holds its words.

        Every query word must begin some title word ("brake" finds "Brakes and
        servo-brakes"). When no entry holds them all, the entries holding the
        most of them are returned, so "brake pads" still finds brakes.
        """
        query = (query or "").strip()
        if not query:
            return []
        compact = self.normalize(query)
        if compact.isdigit():
            hits = [e for code, e in self.entries.items() if code.startswith(compact)]
            return sorted(hits, key=lambda e: (len(e.code), e.code))[:limit]
        wanted = words(query)
        if not wanted:
            return []
        scored = []
        for entry, title_words in self._folded:
            matched = sum(1 for w in wanted if any(t.startswith(w) for t in title_words))
            if matched:
                scored.append((matched, entry))
        if not scored:
            return []
        best = max(matched for matched, _ in scored)
        hits = [entry for matched, entry in scored if matched == best]
        return sorted(hits, key=lambda e: (len(e.code), e.code))[:limit]


class HarmonizedSystem(Taxonomy):
    name = "hs"
    levels = {2: "chapter", 4: "heading", 6: "subheading"}
    prefix_lengths = (2, 4, 6)

    def __init__(self, entries, sections):
        super().__init__(entries)
        self.sections = sections  # [(roman numeral, title, first chapter, last chapter)]

    def known_parent(self, code):
        if len(code) == 6 and code.isdigit():
            return self.entries.get(code[:4])
        return None

    def section_of(self, code):
        chapter = int(self.normalize(code)[:2])
        for numeral, title, first, last in self.sections:
            if first <= chapter <= last:
                return numeral, title
        return None

    def validate(self, code):
        code = self.normalize(code)
        if not code.isdigit():
            raise ValueError(f"“{code}” is not an HS code: use digits only, such as 870830.")
        if len(code) in (8, 10):
            raise ValueError(
                f"“{code}” is a national tariff line; give the international 6-digit HS code ({code[:6]})."
            )
        if len(code) not in (4, 6):
            raise ValueError(f"“{code}” is not an HS heading (4 digits) or subheading (6 digits).")
        if self.get(code) is None:
            raise ValueError(f"HS {code} is not in the HS 2022 nomenclature.")
        return code


class NAICS(Taxonomy):
    name = "naics"
    levels = {2: "sector", 3: "subsector", 4: "industry_group", 5: "industry", 6: "industry"}
    prefix_lengths = (2, 3, 4, 5, 6)

    # Sectors spanning several two-digit prefixes are written with a hyphen.
    COMBINED_SECTORS = {"31": "31-33", "32": "31-33", "33": "31-33", "44": "44-45", "45": "44-45", "48": "48-49", "49": "48-49"}

    def sector_of(self, code):
        """The sector's official code (31-33 for 336340), for facets."""
        prefix = self.normalize(code)[:2]
        return self.COMBINED_SECTORS.get(prefix, prefix)

    def get(self, code):
        code = self.normalize(code)
        if len(code) == 2:
            return self.entries.get(self.sector_of(code)) or self.entries.get(code)
        return super().get(code)

    def known_parent(self, code):
        if len(code) in (5, 6) and code.isdigit():
            return self.entries.get(code[:5]) or self.entries.get(code[:4])
        return None

    def validate(self, code):
        code = self.normalize(code)
        if code in self.entries:
            return code
        if not code.isdigit() or not 2 <= len(code) <= 6:
            raise ValueError(f"“{code}” is not a NAICS code: use 2 to 6 digits, such as 336340.")
        if self.get(code) is None:
            raise ValueError(f"NAICS {code} is not in NAICS 2022.")
        return code


def _rows(filename):
    with open(DATA_DIR / filename, encoding="utf-8") as handle:
        for line in handle:
            line = line.rstrip("\n")
            if not line.strip() or line.startswith("#"):
                continue
            yield line.split("\t")


@cache
def hs():
    entries, sections = [], []
    for row in _rows("hs2022.tsv"):
        level, code, title = row[0], row[1], row[2]
        if level == "section":
            first, last = (int(part) for part in row[3].split("-"))
            sections.append((code, title, first, last))
        else:
            entries.append(Entry(code=code, title=title, level=level))
    return HarmonizedSystem(entries, sections)


@cache
def naics():
    return NAICS([Entry(code=row[1], title=row[2], level=row[0]) for row in _rows("naics2022.tsv")])


def by_name(name):
    return _SCHEMES[name]()


_SCHEMES = {"hs": hs, "naics": naics}



def with_ancestors(codes, scheme):
    """Every code of a list together with its ancestors, as a sorted list."""
    if not codes:
        return []
    ancestors = by_name(scheme)._ancestors
    found = set()
    for code in codes:
        found.update(ancestors(code))
    return sorted(found)
