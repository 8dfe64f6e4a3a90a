"""Scoring a pair of firms: plain functions over plain data.

Nothing here touches the database, the search engine or Celery, so every rule
can be tested on its own. Candidates come from the search backend (see
matching/runs.py); this module says how good each candidate is and why,
as a weighted sum of features, each of which becomes a reason a staff member
can judge at a glance.
"""

from dataclasses import dataclass, field

from search import analysis

DEFAULT_WEIGHTS = {
    "code_overlap": 0.40,  # scaled by depth: subheading 1.0, heading 0.75, chapter 0.2
    "mutual_need": 0.15,
    "text_similarity": 0.15,
    "naics_adjacency": 0.05,
    "trade_roles": 0.08,
    "shared_language": 0.05,
    "relationship": 0.05,  # scaled: sister 1.0, friendship 0.7, strategic exchange 0.4
    "verified": 0.03,
    "fresh": 0.02,
}
DEFAULT_THRESHOLD = 0.35
DEPTH_FACTOR = {6: 1.0, 4: 0.75, 2: 0.2}
RELATIONSHIP_FACTOR = {"sister": 1.0, "friendship": 0.7, "strategic_exchange": 0.4}
COMPATIBLE_ROLES = {
    ("importer", "exporter"), ("distributor", "manufacturer"), ("importer", "manufacturer"),
    ("distributor", "exporter"), ("investor", "seeking_investment"), ("joint_venture", "joint_venture"),
}
FRESH_DAYS = 90


@dataclass(frozen=True)
class Profile:
    """What the engine knows of a firm."""

    id: int
    name: str
    city: str
    relationship: str  # of the firm's city to the home city
    language: str  # of its description
    offers: tuple = ()  # HS codes it named
    seeks: tuple = ()
    offers_text: str = ""
    seeks_text: str = ""
    inferred_offers: tuple = ()  # HS codes read from its words, when it named none
    inferred_seeks: tuple = ()
    naics: tuple = ()
    trade_roles: tuple = ()
    languages: tuple = ()
    verified: bool = False
    days_since_confirmed: int = 0
    code_titles: dict = field(default_factory=dict, compare=False, hash=False)  # code -> title, for reasons


@dataclass
class Scored:
    a: Profile
    b: Profile
    score: float
    reasons: list

    @property
    def pair(self):
        return (self.a.id, self.b.id) if self.a.id < self.b.id else (self.b.id, self.a.id)


def ancestors(code):
    return {code[:n] for n in (2, 4, 6) if n <= len(code)}


def overlap(wanted, offered):
    """The deepest level at which any wanted code meets any offered one, and
    the pair of codes that meet there (0, None, None when they do not)."""
    best = (0, None, None)
    for w in wanted:
        for o in offered:
            common = ancestors(w) & ancestors(o)
            depth = max((len(c) for c in common), default=0)
            if depth > best[0]:
                best = (depth, w, o)
    return best


def _need_met(seeker, supplier):
    """How well the supplier's offers meet the seeker's needs: (factor, reason) or (0, None)."""
    depth, wanted, offered = overlap(seeker.seeks, supplier.offers)
    inferred = False
    if not depth and (seeker.inferred_seeks or supplier.inferred_offers):
        depth, wanted, offered = overlap(seeker.seeks or seeker.inferred_seeks, supplier.offers or supplier.inferred_offers)
        inferred = bool(depth)
    if not depth:
        return 0.0, None
    # A code read from the firm's words (directory/glossary.py) counts like one
    # it named: scored lower, such firms would lose every place to firms that
    # typed codes, and the reason says the code was read, for staff to judge.
    factor = DEPTH_FACTOR.get(depth, 0.0)
    title = supplier.code_titles.get(offered) or seeker.code_titles.get(offered) or ""
    described = f"HS {offered}" + (f" ({title})" if title else "")
    if inferred and wanted in seeker.inferred_seeks:
        text = (f"{seeker.name} wrote “{_short(seeker.seeks_text)}”, which we read as HS {wanted[:4]}; "
                f"{supplier.name} offers {described}")
    elif inferred:
        text = (f"{supplier.name} wrote “{_short(supplier.offers_text)}”, which we read as HS {offered[:4]}; "
                f"{seeker.name} seeks HS {wanted}")
    else:
        text = f"{supplier.name} offers {described}, which {seeker.name} seeks"
    return factor, {"code": "offers_what_you_seek", "text": text, "depth": depth, "inferred": inferred}


def _short(text, limit=60):
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def text_similarity(seeker, supplier):
    """Share of the seeker's need words found in what the supplier offers, when
    both wrote in the same language (comparing across languages by words would
    only measure luck)."""
    if not seeker.seeks_text or analysis.base_language(seeker.language) != analysis.base_language(supplier.language):
        return 0.0
    wanted = set(analysis.tokens(seeker.seeks_text, seeker.language)) - analysis.STOPWORDS
    offered = set(analysis.tokens(supplier.offers_text, supplier.language))
    if not wanted:
        return 0.0
    return len(wanted & offered) / len(wanted)


def score(a, b, *, weights=None):
    """A number in [0, 1] for how worthwhile an introduction of a and b is, and the reasons."""
    weights = {**DEFAULT_WEIGHTS, **(weights or {})}
    reasons = []

    def add(code, weight, text, **extra):
        if weight > 0:
            reasons.append({"code": code, "text": text, "weight": round(weight, 4), **extra})

    a_needs, a_reason = _need_met(a, b)
    b_needs, b_reason = _need_met(b, a)
    best = max(a_needs, b_needs)
    for factor, reason in ((a_needs, a_reason), (b_needs, b_reason)):
        if reason is not None and factor == best:
            add(reason.pop("code"), weights["code_overlap"] * factor, reason.pop("text"), **reason)
            break
    if a_needs and b_needs and min(a_needs, b_needs) >= DEPTH_FACTOR[4]:
        add("mutual_need", weights["mutual_need"],
            "The need is mutual: each firm offers something the other seeks")
    elif a_needs and b_needs:
        other = b_reason if a_needs == best else a_reason
        add("offers_what_you_seek", weights["mutual_need"] * 0.5, other["text"], depth=other["depth"],
            inferred=other["inferred"])

    similarity = max(text_similarity(a, b), text_similarity(b, a))
    if similarity >= 0.3:
        seeker, supplier = (a, b) if text_similarity(a, b) >= text_similarity(b, a) else (b, a)
        add("text_similarity", weights["text_similarity"] * similarity,
            f"What {seeker.name} seeks (“{_short(seeker.seeks_text)}”) matches what {supplier.name} "
            f"describes (“{_short(supplier.offers_text)}”)")

    shared_groups = {c[:4] for c in a.naics if len(c) >= 4} & {c[:4] for c in b.naics if len(c) >= 4}
    shared_subsectors = {c[:3] for c in a.naics if len(c) >= 3} & {c[:3] for c in b.naics if len(c) >= 3}
    if shared_groups:
        add("naics_adjacency", weights["naics_adjacency"], f"Both work in NAICS industry group {min(shared_groups)}")
    elif shared_subsectors:
        add("naics_adjacency", weights["naics_adjacency"] * 0.6, f"Both work in NAICS subsector {min(shared_subsectors)}")

    roles = {(x, y) for x in a.trade_roles for y in b.trade_roles}
    fitting = sorted((x, y) for x, y in roles if (x, y) in COMPATIBLE_ROLES or (y, x) in COMPATIBLE_ROLES)
    if fitting:
        x, y = fitting[0]
        add("trade_roles", weights["trade_roles"],
            f"Their roles fit: {a.name} as {x.replace('_', ' ')}, {b.name} as {y.replace('_', ' ')}")

    spoken = (set(a.languages) | {a.language}) & (set(b.languages) | {b.language})
    if spoken:
        add("shared_language", weights["shared_language"], f"They share a language: {', '.join(sorted(spoken))}")

    partner_relationships = [p.relationship for p in (a, b) if p.relationship in RELATIONSHIP_FACTOR]
    if partner_relationships:
        relationship = min(partner_relationships, key=lambda r: RELATIONSHIP_FACTOR[r])
        add("relationship", weights["relationship"] * RELATIONSHIP_FACTOR[relationship],
            f"The cities are {relationship.replace('_', ' ')} cities")

    verified = [p for p in (a, b) if p.verified]
    if verified:
        add("verified", weights["verified"] * len(verified) / 2,
            "Both firms are verified by staff" if len(verified) == 2 else f"{verified[0].name} is verified by staff")

    if max(a.days_since_confirmed, b.days_since_confirmed) <= FRESH_DAYS:
        add("fresh", weights["fresh"], f"Both profiles were confirmed in the last {FRESH_DAYS} days")

    total = min(1.0, sum(reason["weight"] for reason in reasons))
    reasons.sort(key=lambda reason: -reason["weight"])
    return Scored(a=a, b=b, score=round(total, 4), reasons=reasons)


def proposals_for(firm, candidates, *, weights=None, threshold=DEFAULT_THRESHOLD, limit=None):
    """Scored pairs of the firm with each candidate at or above the threshold,
    best first; at most `limit`. A pair needs a met need, never just
    pleasantries such as a shared language."""
    scored = []
    for candidate in candidates:
        if candidate.id == firm.id or candidate.city == firm.city:
            continue
        result = score(firm, candidate, weights=weights)
        if result.score >= threshold and any(r["code"] in ("offers_what_you_seek", "text_similarity") for r in result.reasons):
            scored.append(result)
    scored.sort(key=lambda s: (-s.score, s.pair))
    return scored[:limit] if limit else scored
