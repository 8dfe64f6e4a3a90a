"""A seeded synthetic business network with planted complementary pairs, for
the matching benchmark (tests/benchmarks/run.py).

    records, planted = generate(count, seed)

`records` are dicts in the import format (the keys directory/demo_network.py
writes; every firm "published"), ready for directory.importer.import_file as
JSON Lines. `planted` is {"coded": set, "text_only": set} of unordered pairs
of external ids, each pair written in sorted order (a < b). `build(count,
seed)` returns the same plus the bookkeeping the benchmark reports on (which
firms are decoys, which group each planted firm belongs to), as a `Network`.
Same count and seed, same network, on every machine.

Needs Django set up (DJANGO_SETTINGS_MODULE=config.settings): the HS codes come
from directory/data/hs2022.tsv through directory.taxonomy, and text-only needs
are checked with the project's own query expansion,
directory.glossary.read_codes. No database is touched.

What the network looks like
---------------------------
Nine cities in the shares of the demo network (Aurora 30 %, Seongnam 12 %, New
Taipei City 10 %, Chihuahua 10 %, Zielona Góra 8 %, Adama 8 %, Antiguo Cuscatlán
8 %, Ilopango 7 %, Jacó 7 %); every firm writes in its city's language (en, ko,
zh-Hant, es, pl, am). Four kinds of firm:

* Planted groups (about 35 % of the firms, at most one group per HS heading,
  so at most ~200 groups whatever the count: beyond ~2,300 firms the planted
  set stops growing and the rest is background). A group lives on one HS
  heading H that nobody outside the group uses, and one real HS 2022
  subheading c under it (taken from the subheading rows of hs2022.tsv):
  - type A (65 %): 1-2 Aurora firms seek c, 1-3 partner-city firms offer c;
  - type B (35 %): 1-2 firms of one partner city seek c, 1-3 Aurora firms offer c.
  Seekers are importers (offerers then exporters) or distributors (offerers
  then manufacturers); a firm may carry the other role of its side as well.
  Every seeker x offerer pair of a group is planted, so each firm is in at
  most 3 planted pairs (the per-firm cap of proposals is 5). A seeker may
  seek, and an offerer offer, a second subheading of H.
* Text-only seekers: about 20 % of the Aurora seekers of type-A groups name no
  code (seeks_hs empty) and write their need in English words taken from the
  title of c (e.g. "brakes and servo-brakes for our Colorado customers"). A
  phrase is used only if directory.glossary.read_codes reads it as c or H and
  as nothing outside H. Their pairs are in planted["text_only"], not "coded".
* Decoys, which matching must never propose:
  - same chapter, other heading (50 % of groups): a firm on the offering side,
    across the boundary from the seekers, with the seekers' trade roles in
    mind, offering a heading of the same HS chapter that no other firm uses
    (a 4-digit heading with no subheading rows in hs2022.tsv);
  - same city (40 % of groups): a firm in the seekers' own city offering c.
* Background (the rest; ~6 % of each city are service firms with no codes):
  firms trading in the remaining ~880 headings, with Zipf-Mandelbrot
  popularity (weight of the heading ranked r: 1 / (r + 10)), so popular
  headings collect many firms on both sides and the candidate lists fill up
  as the network grows. Aurora background firms seek 1-3 codes (15 % of them
  only in English words, read by the same query expansion) and 40 % offer
  some; partner-city background firms offer 1-3 codes and 40 % seek some (10 %
  of those only in their own language, which names no code). Background pairs
  are complementary by the rule too; they are not planted and never involve
  a planted firm or a decoy.

Guarantees (checked by `check()`, which `build` runs unless check=False)
-----------------------------------------------------------------------
Reading every firm's codes as the search backends do
(search.backends.base.complementary_codes: the named codes, or those
inferred from its words when it named none, with ancestors, at heading level
or finer), across the home-city boundary:

1. every planted pair meets, and a text-only pair meets only through the
   seeker's inferred codes, which contain c or its heading;
2. a planted firm meets exactly its planted partners, nobody else;
3. a decoy meets nobody; a same-city decoy offers c in the seekers' city, a
   same-chapter decoy offers another heading of c's chapter;
4. with 100 firms or more, all nine cities and six languages occur.

The guarantees hold with MATCH_PARTNER_TO_PARTNER off (the default) and on:
partner-city firms of a group never offer and seek the same heading.

Command line (prints a summary; writes the records with --out):

    DJANGO_SETTINGS_MODULE=config.settings python -m tests.benchmarks.network --count 2000 --seed 2026 [--out net.jsonl]
"""

import argparse
import bisect
import json
import random
import re
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache

# The nine cities and their shares, as the demo network spreads them.
from directory.demo_network import CITIES

__all__ = ["generate", "build", "check", "Network", "CITIES", "HOME_CITY"]

HOME_CITY = "Aurora"
_CITY = {name: (country, lang) for name, country, lang, _ in CITIES}
PARTNER_CITIES = tuple(name for name, *_ in CITIES if name != HOME_CITY)

PLANTED_SHARE = 0.35  # of the firms, while headings last
FIRMS_PER_GROUP = 3.9  # seekers, offerers and decoys of a group, on average
GROUP_HEADINGS = 200  # headings set aside for planted groups (of the 309 with subheading rows)
TYPE_A_SHARE = 0.65  # Aurora seeks, a partner city offers
TEXT_ONLY_SHARE = 0.20  # of the Aurora seekers in type-A groups
SAME_CHAPTER_DECOY = 0.5
SAME_CITY_DECOY = 0.4
MAX_CITY_SHARE_FOR_GROUPS = 0.7  # planted firms and decoys leave room for background in every city
SERVICE_SHARE = 0.06
ZIPF_OFFSET = 10  # popularity of the background heading ranked r is 1 / (r + ZIPF_OFFSET)
BACKGROUND_TEXT_ONLY = 0.15  # of Aurora background seekers
PARTNER_NATIVE_TEXT_ONLY = 0.10  # of partner-city background seekers

ROLE_PATTERNS = (("importer", "exporter"), ("distributor", "manufacturer"))
_OTHER_ROLE = {"importer": "distributor", "distributor": "importer", "exporter": "manufacturer",
               "manufacturer": "exporter"}

# --- words --------------------------------------------------------------------------------

_PURPOSES = ("for our Colorado customers", "for customers across the Front Range", "for our wholesale business",
             "for a new product line", "for restaurants and retailers in Denver", "")
_SERVICES = {
    "en": ("custom software development and cloud services", "freight forwarding and customs brokerage",
           "engineering, testing and certification services", "bookkeeping, payroll and tax advisory"),
    "ko": ("맞춤형 소프트웨어 개발 및 클라우드 서비스", "국제 물류 및 통관 서비스", "시험·인증 지원 서비스"),
    "zh-Hant": ("客製化軟體開發及雲端服務", "國際物流及報關服務"),
    "es": ("desarrollo de software a la medida", "agenciamiento aduanal y almacenaje",
           "atención al cliente bilingüe y back office"),
    "pl": ("tworzenie oprogramowania na zamówienie", "spedycja międzynarodowa i odprawy celne"),
    "am": ("የሎጂስቲክስና የጭነት ማስተላለፍ አገልግሎት", "የሶፍትዌር ልማት አገልግሎት"),
}
_NATIVE_WISHES = {  # partner-city wishes in words that name no code
    "ko": ("북미 시장 판매 파트너", "미국 현지 유통 협력사"),
    "zh-Hant": ("北美通路合作夥伴", "美國經銷夥伴"),
    "es": ("socios comerciales en Colorado", "distribuidores en Estados Unidos"),
    "pl": ("partnerzy handlowi w Stanach Zjednoczonych", "dystrybutorzy w Kolorado"),
    "am": ("በአሜሪካ የሚገኙ አከፋፋይ አጋሮች", "በኮሎራዶ የሚገኙ የንግድ አጋሮች"),
}
_KIND = {  # by the firm's first trade role
    "en": {"manufacturer": "manufacturer", "exporter": "trading and export company",
           "importer": "importer and wholesaler", "distributor": "distribution company",
           "service_provider": "service company"},
    "ko": {"manufacturer": "제조기업", "exporter": "수출 전문 기업", "importer": "수입·유통 기업",
           "distributor": "유통 기업", "service_provider": "서비스 기업"},
    "zh-Hant": {"manufacturer": "製造商", "exporter": "出口貿易公司", "importer": "進口商",
                "distributor": "經銷商", "service_provider": "服務公司"},
    "es": {"manufacturer": "empresa manufacturera", "exporter": "empresa exportadora",
           "importer": "empresa importadora", "distributor": "empresa distribuidora",
           "service_provider": "empresa de servicios"},
    "pl": {"manufacturer": "producent", "exporter": "firma eksportowa", "importer": "importer",
           "distributor": "dystrybutor", "service_provider": "firma usługowa"},
    "am": {"manufacturer": "አምራች ድርጅት", "exporter": "ላኪ ድርጅት", "importer": "አስመጪ ድርጅት",
           "distributor": "አከፋፋይ ድርጅት", "service_provider": "አገልግሎት ሰጪ ድርጅት"},
}
_CODES_WORD = {"ko": "품목", "zh-Hant": "", "es": "productos", "pl": "towary", "am": "ምርቶች፦"}
_LIST_SEP = {"en": "; ", "ko": ", ", "zh-Hant": "、", "es": ", ", "pl": ", ", "am": "፣ "}
_DESCRIBE = {
    "en": ("{name} is {kind} based in Aurora, Colorado.", "It supplies {offers}.",
           "It is looking for suppliers of {seeks}.", " "),
    "ko": ("{name}은(는) {place}에 있는 {kind}입니다.", "주요 품목은 {offers}입니다.",
           "구매 희망 품목: {seeks}.", " "),
    "zh-Hant": ("{name}是位於{place}的{kind}。", "主要產品：{offers}。", "採購需求：{seeks}。", ""),
    "es": ("{name} es una {kind} con sede en {place}.", "Ofrece {offers}.",
           "Busca proveedores de {seeks}.", " "),
    "pl": ("{name} to {kind} z siedzibą w {place}.", "Oferta: {offers}.", "Poszukuje: {seeks}.", " "),
    "am": ("{name} በ{place} የሚገኝ {kind} ነው።", "ምርቶች፦ {offers}።", "የሚፈልገው፦ {seeks}።", " "),
}
_PLACE = {"Aurora": "Aurora, Colorado", "Seongnam": "경기도 성남시", "New Taipei City": "新北市",
          "Chihuahua": "la ciudad de Chihuahua", "Zielona Góra": "Zielonej Górze", "Adama": "አዳማ ከተማ",
          "Ilopango": "Ilopango, San Salvador", "Jacó": "Jacó, Puntarenas",
          "Antiguo Cuscatlán": "Antiguo Cuscatlán, La Libertad"}
_NAMES = {
    "en": (("Front Range", "Sand Creek", "Cherry Creek", "High Plains", "Fitzsimons", "Colfax", "Smoky Hill",
            "Tollgate", "Piney Creek", "Saddle Rock", "Murphy Creek", "Aspen Grove"),
           ("Trading", "Supply", "Industries", "Works", "Imports", "Partners"), "{a} {b} {n} LLC"),
    "ko": (("한빛", "대한", "세진", "동양", "판교", "미래", "한울", "우진", "누리", "다온"),
           ("산업", "상사", "무역", "테크", "정밀"), "{a}{b} {n}(주)"),
    "zh-Hant": (("新北", "板橋", "三重", "新莊", "中和", "土城", "汐止", "林口", "宏昇", "振興"),
                ("實業", "貿易", "工業", "科技", "企業"), "{a}{b}{n}股份有限公司"),
    "es": (("del Norte", "del Pacífico", "Cuscatlán", "Sierra Madre", "del Lago", "Costa Verde", "Maya",
            "Los Volcanes", "Conchos", "Herradura"),
           ("Comercial", "Industrias", "Grupo", "Distribuidora", "Agroindustrias"), "{b} {a} {n} S.A."),
    "pl": (("Odra", "Lubusz", "Przylep", "Ochla", "Drzonków", "Zatonie", "Racula", "Bachus"),
           ("Handel", "Przemysł", "Zakłady", "Produkcja"), "{b} {a} {n} Sp. z o.o."),
    "am": (("አዳማ", "አዋሽ", "ናዝሬት", "ሸዋ", "ወንጂ", "ሞጆ", "ቆቃ", "ሶደሬ"),
           ("ንግድ", "ኢንዱስትሪ", "ትሬዲንግ", "አቅራቢ"), "{a} {b} {n} ኃ/የተ/የግ/ማ"),
}
_PHONE = {"Aurora": "+1 303 555 01{d2}", "Seongnam": "+82 31 7{d3} {d4}", "New Taipei City": "+886 2 2{d3} {d4}",
          "Chihuahua": "+52 614 1{d2} {d4}", "Zielona Góra": "+48 68 3{d2} {d4}", "Adama": "+251 22 111 {d4}",
          "Ilopango": "+503 22{d2} {d4}", "Jacó": "+506 2643 {d4}", "Antiguo Cuscatlán": "+503 22{d2} {d4}"}
_NAICS = {
    "manufacturer": ("332710", "333248", "336390", "334418", "311999", "325620", "337122", "316110", "313210"),
    "exporter": ("424510", "111335", "112910", "424490"),
    "importer": ("423120", "423690", "424490", "423450", "424350", "423210"),
    "distributor": ("423120", "423690", "424490", "423450", "424350", "423210"),
    "service_provider": ("541511", "488510", "541330", "561422"),
}
_EMPLOYEES = ("1-9", "10-49", "50-249", "250-999", "1000+")


# --- the network ---------------------------------------------------------------------------


@dataclass
class Firm:
    city: str
    role: str  # planted_seeker, planted_offerer, decoy_same_chapter, decoy_same_city, background, service
    trade_roles: list
    offers: list = field(default_factory=list)
    seeks: list = field(default_factory=list)
    seeks_words: str = ""  # the need in words only (seeks empty)
    offers_words: str = ""  # an offer in words only (services)
    group: int = -1
    external_id: str = ""

    @property
    def language(self):
        return _CITY[self.city][1]


@dataclass
class Group:
    index: int
    kind: str  # "A": Aurora seeks, "B": a partner city seeks
    heading: str
    code: str
    seekers: list
    offerers: list
    decoys: list = field(default_factory=list)


@dataclass
class Network:
    records: list
    coded: set
    text_only: set
    decoys: dict  # external id -> "same_chapter" | "same_city"
    groups: list
    firms: list
    count: int
    seed: int

    @property
    def planted(self):
        return {"coded": self.coded, "text_only": self.text_only}

    def summary(self):
        roles = Counter(f.role for f in self.firms)
        return {
            "firms": len(self.firms),
            "groups": len(self.groups),
            "planted_coded_pairs": len(self.coded),
            "planted_text_only_pairs": len(self.text_only),
            "planted_firms": roles["planted_seeker"] + roles["planted_offerer"],
            "text_only_seekers": sum(1 for f in self.firms if f.role == "planted_seeker" and f.seeks_words),
            "decoys_same_chapter": roles["decoy_same_chapter"],
            "decoys_same_city": roles["decoy_same_city"],
            "background": roles["background"],
            "services": roles["service"],
            "cities": dict(Counter(f.city for f in self.firms)),
            "languages": dict(Counter(f.language for f in self.firms)),
        }


def generate(count, seed=2026):
    """(records, {"coded": pairs, "text_only": pairs}) for `count` firms; see the module docstring."""
    network = build(count, seed)
    return network.records, network.planted


def build(count, seed=2026, *, run_check=True, partner_to_partner=False):
    if count < 0:
        raise ValueError("count must be zero or more")
    rng = random.Random(seed)
    book = _Codebook(random.Random(seed * 7919 + 1))
    budget = _city_counts(count)
    limit = {city: int(n * MAX_CITY_SHARE_FOR_GROUPS) for city, n in budget.items()}
    used = Counter()
    firms, groups = [], []

    wanted_groups = min(len(book.group_headings), round(count * PLANTED_SHARE / FIRMS_PER_GROUP))
    failures = 0
    while len(groups) < wanted_groups and failures < 20:
        group = _make_group(rng, book, len(groups), limit, used)
        if group is None:
            failures += 1
            continue
        failures = 0
        groups.append(group)
        for firm in group.seekers + group.offerers + group.decoys:
            firms.append(firm)
            used[firm.city] += 1

    for city, n in budget.items():
        left = n - used[city]
        services = min(left, round(n * SERVICE_SHARE))
        for i in range(left):
            firms.append(_service(rng, book, city) if i < services else _background(rng, book, city))

    rng.shuffle(firms)
    for number, firm in enumerate(firms, start=1):
        firm.external_id = f"bench-{number:06d}"
    records = [_record(rng, book, firm, number) for number, firm in enumerate(firms, start=1)]

    coded, text_only, decoys = set(), set(), {}
    for group in groups:
        for seeker in group.seekers:
            for offerer in group.offerers:
                pair = tuple(sorted((seeker.external_id, offerer.external_id)))
                (text_only if seeker.seeks_words else coded).add(pair)
        for decoy in group.decoys:
            decoys[decoy.external_id] = "same_chapter" if decoy.role == "decoy_same_chapter" else "same_city"
    network = Network(records, coded, text_only, decoys, groups, firms, count, seed)
    if run_check:
        check(network, partner_to_partner=partner_to_partner)
    return network


def _city_counts(count):
    """Exact per-city counts by largest remainder (as the demo network), at least 8 each from 100 firms."""
    shares = [(name, count * weight / 100) for name, _, _, weight in CITIES]
    counts = {name: int(share) for name, share in shares}
    by_remainder = sorted(range(len(shares)), key=lambda i: (-(shares[i][1] % 1), i))
    for i in by_remainder[:count - sum(counts.values())]:
        counts[shares[i][0]] += 1
    if count >= 100:
        for name in counts:
            while counts[name] < 8:
                donor = max(counts, key=counts.get)
                counts[donor] -= 1
                counts[name] += 1
    return counts


def _partner_city(rng, limit, used, need=1):
    """A partner city with room for `need` more group firms, by remaining room."""
    room = [(c, limit[c] - used[c]) for c in PARTNER_CITIES if limit[c] - used[c] >= need]
    if not room:
        return None
    return rng.choices([c for c, _ in room], weights=[r for _, r in room])[0]


def _roles(rng, base):
    roles = [base]
    if rng.random() < 0.35:
        roles.append(_OTHER_ROLE[base])
    return roles


def _make_group(rng, book, index, limit, used):
    kind = "A" if rng.random() < TYPE_A_SHARE else "B"
    n_seekers = 1 if rng.random() < 0.7 else 2
    n_offerers = rng.choices((1, 2, 3), weights=(40, 35, 25))[0]
    seeker_role, offerer_role = rng.choice(ROLE_PATTERNS)
    text_flags = [kind == "A" and rng.random() < TEXT_ONLY_SHARE for _ in range(n_seekers)]
    heading = book.take_heading(rng, text=any(text_flags))
    if heading is None:
        return None
    if not book.phrase_codes(heading):
        text_flags = [False] * n_seekers
    code = rng.choice(book.phrase_codes(heading) if any(text_flags) else book.subheadings[heading])
    others = [c for c in book.subheadings[heading] if c != code]

    # Room in the cities, counted before anything is built.
    planned = Counter(used)
    if kind == "A":
        seeker_city = HOME_CITY
    else:
        seeker_city = _partner_city(rng, limit, used, need=n_seekers)
        if seeker_city is None:
            book.give_back(heading)
            return None
    planned[seeker_city] += n_seekers
    if planned[HOME_CITY] + (n_offerers if kind == "B" else 0) > limit[HOME_CITY]:
        book.give_back(heading)
        return None

    group = Group(index=index, kind=kind, heading=heading, code=code, seekers=[], offerers=[])
    for text_only in text_flags:
        seeks = [] if text_only else [code] + ([rng.choice(others)] if others and rng.random() < 0.3 else [])
        words = book.text_need(rng, code) if text_only else ""
        group.seekers.append(Firm(seeker_city, "planted_seeker", _roles(rng, seeker_role), seeks=seeks,
                                  seeks_words=words, group=index))
    for _ in range(n_offerers):
        if kind == "A":
            city = _partner_city(rng, limit, planned)
            if city is None:
                break
            planned[city] += 1
        else:
            city = HOME_CITY
            planned[city] += 1
        offers = [code] + ([rng.choice(others)] if others and rng.random() < 0.3 else [])
        group.offerers.append(Firm(city, "planted_offerer", _roles(rng, offerer_role), offers=offers, group=index))
    if not group.offerers:
        book.give_back(heading)
        return None

    # Decoys: never to be proposed.
    decoy_heading = book.decoy_heading(rng, heading)
    if decoy_heading and rng.random() < SAME_CHAPTER_DECOY:
        # Across the boundary from the seekers, offering the chapter's wrong heading.
        city = _partner_city(rng, limit, planned) if kind == "A" else HOME_CITY
        if city is not None and planned[city] + 1 <= limit[city]:
            planned[city] += 1
            group.decoys.append(Firm(city, "decoy_same_chapter", _roles(rng, offerer_role), offers=[decoy_heading],
                                     group=index))
    if rng.random() < SAME_CITY_DECOY and planned[seeker_city] + 1 <= limit[seeker_city]:
        planned[seeker_city] += 1
        group.decoys.append(Firm(seeker_city, "decoy_same_city", _roles(rng, offerer_role), offers=[code],
                                 group=index))
    return group


def _background(rng, book, city):
    if city == HOME_CITY:
        firm = Firm(city, "background", [])
        if rng.random() < BACKGROUND_TEXT_ONLY and book.background_phrases:
            firm.seeks_words = rng.choice(book.background_phrases)
        else:
            firm.seeks = book.background_codes(rng, rng.choices((1, 2, 3), weights=(5, 3, 2))[0])
        firm.trade_roles = rng.choice((["importer"], ["distributor"], ["importer", "distributor"]))
        if rng.random() < 0.4:
            firm.offers = book.background_codes(rng, rng.choices((1, 2), weights=(3, 1))[0])
            firm.trade_roles = ["manufacturer"] + firm.trade_roles[:1]
        return firm
    firm = Firm(city, "background", [])
    if rng.random() < 0.85:
        firm.offers = book.background_codes(rng, rng.choices((1, 2, 3), weights=(5, 3, 2))[0])
        firm.trade_roles = rng.choice((["exporter"], ["manufacturer"], ["manufacturer", "exporter"]))
    if not firm.offers or rng.random() < 0.4:
        if rng.random() < PARTNER_NATIVE_TEXT_ONLY and book.wishes[firm.language]:
            firm.seeks_words = rng.choice(book.wishes[firm.language])
        else:
            firm.seeks = book.background_codes(rng, rng.choices((1, 2), weights=(3, 1))[0])
        firm.trade_roles = (firm.trade_roles or []) + [rng.choice(("importer", "distributor"))]
    return firm


def _service(rng, book, city):
    lang = _CITY[city][1]
    return Firm(city, "service", ["service_provider"], offers_words=rng.choice(book.services[lang]))


# --- codes and words ------------------------------------------------------------------------


@lru_cache(maxsize=None)
def inferred(text):
    """directory.glossary.read_codes, memoised (the generator asks about the same words often)."""
    from directory.glossary import read_codes

    return tuple(read_codes(text))


class _Codebook:
    """HS headings split between planted groups, decoys and background."""

    def __init__(self, rng):
        from directory import taxonomy

        from search import analysis

        self.hs = taxonomy.hs()
        self._analysis = analysis
        entries = self.hs.entries
        subheadings = defaultdict(list)
        for code, entry in entries.items():
            if entry.level == "subheading":
                subheadings[code[:4]].append(code)
        self.subheadings = {h: sorted(codes) for h, codes in subheadings.items()}
        bare = defaultdict(list)  # chapter -> headings without subheading rows
        for code, entry in entries.items():
            if entry.level == "heading" and code not in self.subheadings:
                bare[code[:2]].append(code)

        # Text phrases for every subheading that has one (decides which headings can host text-only seekers).
        self._phrases = {}
        for heading, codes in self.subheadings.items():
            for code in codes:
                phrase = self._phrase(entries[code].title, lambda c, h=heading: c.startswith(h),
                                      lambda cs, c=code, h=heading: c in cs or h in cs)
                if phrase:
                    self._phrases[code] = phrase
        # Words that must name no code at all: the expansion decides, not us.
        self.purposes = [p for p in _PURPOSES if not inferred(p)]
        self.services = {lang: [p for p in phrases if not inferred(p)] or [""] for lang, phrases in _SERVICES.items()}
        self.wishes = {lang: [p for p in phrases if not inferred(p)] for lang, phrases in _NATIVE_WISHES.items()}

        with_text = sorted({c[:4] for c in self._phrases})
        without_text = sorted(set(self.subheadings) - set(with_text))
        rng.shuffle(with_text)
        rng.shuffle(without_text)
        chosen = with_text[:GROUP_HEADINGS]
        chosen += without_text[:GROUP_HEADINGS - len(chosen)]
        self.group_headings = set(chosen)
        self._free_text = [h for h in with_text if h in self.group_headings]
        self._free_plain = [h for h in without_text if h in self.group_headings]

        # Two wrong headings per chapter for decoys, set aside from everyone else.
        self._decoys = {}
        for chapter in sorted({h[:2] for h in self.group_headings}):
            pool = sorted(bare.get(chapter, []))
            rng.shuffle(pool)
            if pool:
                self._decoys[chapter] = pool[:2]
        self.decoy_headings = {h for pool in self._decoys.values() for h in pool}

        # Background: everything else; the headings with subheading rows (the most traded) rank first.
        popular = sorted(set(self.subheadings) - self.group_headings)
        rest = sorted(h for hs_ in bare.values() for h in hs_ if h not in self.decoy_headings)
        rng.shuffle(popular)
        rng.shuffle(rest)
        self.background_headings = popular + rest
        weights = [1 / (rank + ZIPF_OFFSET) for rank in range(1, len(self.background_headings) + 1)]
        self._cumulative = []
        total = 0.0
        for w in weights:
            total += w
            self._cumulative.append(total)
        allowed = set(self.background_headings)
        self.background_phrases = []
        for heading in self.background_headings[:150]:
            for code in self.subheadings.get(heading, [heading]):
                phrase = self._phrase(entries[code].title, lambda c: len(c) >= 4 and c[:4] in allowed, bool)
                if phrase and phrase not in self.background_phrases:
                    self.background_phrases.append(phrase)

    def _phrase(self, title, inside, names_target):
        """The longest run of the title's words that the query expansion reads
        only as codes `inside` allows, holding a word that names the target."""
        spans = []
        for match in re.finditer(r"\w+", title):
            word = self._analysis.fold(match.group())
            codes = inferred(word)
            if not codes:
                kind = "none"
            elif all(inside(c) for c in codes):
                kind = "target" if names_target(codes) else "inside"
            else:
                kind = "outside"
            spans.append((match.start(), match.end(), kind))
        candidates = []
        run = []
        for span in spans + [(None, None, "outside")]:
            if span[2] != "outside":
                run.append(span)
                continue
            meaningful = [s for s in run if s[2] != "none"]
            if any(s[2] == "target" for s in run):
                text = _tidy(title[meaningful[0][0]:meaningful[-1][1]])
                candidates.append((not _natural(text), -len(meaningful), len(text), text))
            run = []
        for *_, text in sorted(candidates):
            codes = inferred(text)
            if text and _natural(text) and codes and all(inside(c) for c in codes) and names_target(codes):
                return text
        return None

    def phrase_codes(self, heading):
        return [c for c in self.subheadings[heading] if c in self._phrases]

    def take_heading(self, rng, *, text):
        first, second = (self._free_text, self._free_plain) if text else (self._free_plain, self._free_text)
        pool = first or second
        if not pool:
            return None
        return pool.pop()

    def give_back(self, heading):
        (self._free_text if self.phrase_codes(heading) else self._free_plain).append(heading)

    def text_need(self, rng, code):
        purpose = rng.choice(self.purposes) if self.purposes else ""
        return f"{self._phrases[code]} {purpose}".strip()

    def decoy_heading(self, rng, heading):
        pool = self._decoys.get(heading[:2])
        return rng.choice(pool) if pool else None

    def background_codes(self, rng, n):
        codes = []
        for _ in range(n * 3):
            r = rng.random() * self._cumulative[-1]
            heading = self.background_headings[bisect.bisect_left(self._cumulative, r)]
            subs = self.subheadings.get(heading)
            code = rng.choice(subs) if subs and rng.random() < 0.75 else heading
            if code not in codes and not any(code[:4] == c[:4] for c in codes):
                codes.append(code)
            if len(codes) == n:
                break
        return codes

    def title(self, code):
        entry = self.hs.get(code)
        return entry.title if entry else code


# --- records ----------------------------------------------------------------------------------


_TRAILING = re.compile(r"[\s,;:(]+(?:(?:and|or|of|for|with|in|the|a|an|by|to|not|other|each|whether)[\s,;:(]*)*$")


def _natural(text):
    """Whether a fragment reads as a need: several words, or one plural noun
    ("apples", "printers"), not a lone adjective ("green", "unladen")."""
    return len(text.split()) >= 2 or (len(text) >= 5 and text.endswith("s"))


def _tidy(text):
    """A title fragment as a person would write it: lower case, no dangling
    words or unbalanced brackets."""
    text = text.lower().strip(" ,;:")
    if text.count("(") != text.count(")"):
        text = text.replace("(", "").replace(")", "")
    previous = None
    while previous != text:
        previous = text
        text = _TRAILING.sub("", text).strip(" ,;:")
    return text


def _code_text(book, codes, lang):
    if lang == "en":
        return _LIST_SEP["en"].join(book.title(c) for c in codes)
    return (f"{_CODES_WORD[lang]} " + _LIST_SEP[lang].join(f"HS {c}" for c in codes)).strip()


def _record(rng, book, firm, number):
    lang = firm.language
    country = _CITY[firm.city][0]
    first, second, pattern = _NAMES[lang]
    name = pattern.format(a=rng.choice(first), b=rng.choice(second), n=f"{number:05d}")

    offers_text = _code_text(book, firm.offers, lang) if firm.offers else firm.offers_words
    seeks_text = _code_text(book, firm.seeks, lang) if firm.seeks else firm.seeks_words
    kind = _KIND[lang][firm.trade_roles[0] if firm.trade_roles else "service_provider"]
    intro, offer_tpl, seek_tpl, sep = _DESCRIBE[lang]
    if lang == "en":
        kind = ("an " if kind[0] in "aeiou" else "a ") + kind
    sentences = [intro.format(name=name, kind=kind, place=_PLACE[firm.city])]
    if offers_text:
        sentences.append(offer_tpl.format(offers=offers_text))
    if seeks_text:
        sentences.append(seek_tpl.format(seeks=seeks_text))

    languages = [lang]
    if firm.city == HOME_CITY and rng.random() < 0.2:
        languages.append("es")
    elif firm.city != HOME_CITY and rng.random() < 0.7:
        languages.append("en")
    primary = firm.trade_roles[0] if firm.trade_roles else "service_provider"
    phone = _PHONE[firm.city].format(d2=f"{rng.randrange(100):02d}", d3=f"{rng.randrange(1000):03d}",
                                     d4=f"{rng.randrange(10000):04d}")
    slug = f"bench-{number:06d}"
    return {
        "external_id": firm.external_id,
        "name": name,
        "city": firm.city,
        "country": country,
        "description": sep.join(sentences),
        "description_language": lang,
        "website": f"https://{slug}.example",
        "founded_year": rng.randint(1950, 2024),
        "employees": rng.choice(_EMPLOYEES),
        "naics": [rng.choice(_NAICS[primary])],
        "offers_hs": list(firm.offers),
        "offers_text": offers_text,
        "seeks_hs": list(firm.seeks),
        "seeks_text": seeks_text,
        "trade_roles": list(firm.trade_roles) or ["service_provider"],
        "languages": languages,
        "contact_name": f"Contact {number}",
        "contact_email": f"contact@{slug}.example",
        "contact_phone": phone,
        "status": "published",
    }


# --- the self-check ------------------------------------------------------------------------------


class NetworkCheckError(AssertionError):
    pass


def effective_terms(offers_hs, offers_text, seeks_hs, seeks_text):
    """(seeks terms, offers terms) as search.backends.base.complementary_codes reads a firm:
    the codes named, or those inferred from its words when it named none, with
    ancestors, at heading level or finer."""
    from directory import taxonomy

    def terms(codes, text):
        codes = list(codes) or list(inferred(text or ""))
        return frozenset(c for c in taxonomy.with_ancestors(codes, "hs") if len(c) >= 4)

    return terms(seeks_hs, seeks_text), terms(offers_hs, offers_text)


def eligible(city_a, city_b, partner_to_partner=False):
    """Whether two firms' cities may be paired (search.backends.base.eligible_partner_cities)."""
    if city_a == city_b:
        return False
    return HOME_CITY in (city_a, city_b) or partner_to_partner


def check(network, *, partner_to_partner=False):
    """Verify the guarantees listed in the module docstring; raise NetworkCheckError if one fails."""
    problems = []
    records = {r["external_id"]: r for r in network.records}
    terms = {eid: effective_terms(r["offers_hs"], r["offers_text"], r["seeks_hs"], r["seeks_text"])
             for eid, r in records.items()}
    seekers_of, offerers_of = defaultdict(list), defaultdict(list)
    for eid, (seeks, offers) in terms.items():
        for t in seeks:
            seekers_of[t].append(eid)
        for t in offers:
            offerers_of[t].append(eid)

    def partners(eid):
        seeks, offers = terms[eid]
        city = records[eid]["city"]
        found = set()
        for t in seeks:
            found.update(offerers_of[t])
        for t in offers:
            found.update(seekers_of[t])
        return {p for p in found if eligible(city, records[p]["city"], partner_to_partner)}

    expected = defaultdict(set)
    for a, b in network.coded | network.text_only:
        expected[a].add(b)
        expected[b].add(a)
    for eid, mates in expected.items():
        found = partners(eid)
        if found != mates:
            problems.append(f"{eid} meets {sorted(found - mates)[:5]} beyond its planted partners "
                            f"and misses {sorted(mates - found)[:5]}")
        if len(mates) > 3:
            problems.append(f"{eid} is in {len(mates)} planted pairs (at most 3 intended)")
    for eid, kind in network.decoys.items():
        found = partners(eid)
        if found:
            problems.append(f"decoy {eid} ({kind}) meets {sorted(found)[:5]}")
    groups = {g.index: g for g in network.groups}
    for firm in network.firms:
        if firm.role == "decoy_same_city":
            group = groups[firm.group]
            if firm.city != group.seekers[0].city or group.code not in firm.offers:
                problems.append(f"same-city decoy {firm.external_id} does not offer {group.code} in {firm.city}")
        elif firm.role == "decoy_same_chapter":
            group = groups[firm.group]
            code = firm.offers[0]
            if code[:2] != group.code[:2] or code[:4] == group.code[:4]:
                problems.append(f"same-chapter decoy {firm.external_id} offers {code} for a need of {group.code}")
        elif firm.role == "planted_seeker" and firm.seeks_words:
            group = groups[firm.group]
            codes = inferred(firm.seeks_words)
            if group.code not in codes and group.heading not in codes:
                problems.append(f"text-only seeker {firm.external_id}: {firm.seeks_words!r} reads as {codes}, "
                                f"not {group.code} or {group.heading}")
            if records[firm.external_id]["seeks_hs"]:
                problems.append(f"text-only seeker {firm.external_id} names codes")
    for a, b in network.text_only:
        seeker = a if not records[a]["seeks_hs"] and records[a]["city"] == HOME_CITY else b
        other = b if seeker == a else a
        explicit = effective_terms(records[seeker]["offers_hs"], "", records[seeker]["seeks_hs"], "")
        if explicit[0] & terms[other][1]:
            problems.append(f"text-only pair {a}-{b} meets on named codes")
    if network.count >= 100:
        cities = {r["city"] for r in network.records}
        languages = {r["description_language"] for r in network.records}
        if len(cities) != 9 or len(languages) != 6:
            problems.append(f"cities {sorted(cities)}, languages {sorted(languages)}")
    if problems:
        raise NetworkCheckError(
            f"{len(problems)} problem(s) in the generated network:\n  " + "\n  ".join(problems[:20]))
    return True


def main(argv=None):
    import os

    parser = argparse.ArgumentParser(description="Generate the benchmark network; print a summary.")
    parser.add_argument("--count", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--out", help="write the records as JSON Lines to this file")
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    network = build(args.count, args.seed)
    json.dump(network.summary(), sys.stderr, ensure_ascii=False, indent=2)
    sys.stderr.write("\nself-check passed\n")
    if args.out:
        with open(args.out, "w", encoding="utf-8") as handle:
            for record in network.records:
                handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
