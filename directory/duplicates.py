"""Which profiles are probably the same firm.

A firm that signs itself up twice, or a spammer copying a real firm, leaves
traces: the same website, the same contact email, or the same name in the
same city written a little differently ("Hanbit Brake Co., Ltd." and
"(주)한빛브레이크" are not the same string, but "Hanbit Brake" and "Hanbit
Brakes Inc." are one firm). This module only reads and compares;
directory.services.flag_likely_duplicates writes what it finds on the
moderation queue.
"""

import difflib
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.db.models import Q

from .models import Business

# What a flag says two profiles share.
WEBSITE, CONTACT_EMAIL, NAME = "website", "contact_email", "name"
# The profile fields those come from: an edit touching none of them cannot
# make a new duplicate.
WATCHED_FIELDS = frozenset({"name", "city", "website", "contact_email"})


@dataclass(frozen=True)
class Resemblance:
    other: Business
    matched_on: tuple


def likely_duplicates(business):
    """The live profiles (any status but archived) that share this one's
    website domain or contact email, or have a near-identical name in its
    city; each with what they share, oldest profile first."""
    others = Business.objects.exclude(status=Business.Status.ARCHIVED)
    if business.pk is not None:
        others = others.exclude(pk=business.pk)
    shared = defaultdict(list)

    domain = website_domain(business.website)
    if domain:
        # LIKE narrows the rows; the normaliser decides (www., case, a path).
        needles = Q(website__icontains=domain) | Q(website__icontains=_unicode_host(domain))
        for pk, website in others.filter(needles).values_list("pk", "website"):
            if website_domain(website) == domain:
                shared[pk].append(WEBSITE)

    email = (business.contact_email or "").strip()
    if email:
        for pk in others.filter(contact_email__iexact=email).values_list("pk", flat=True):
            shared[pk].append(CONTACT_EMAIL)

    key = name_key(business.name)
    if key and business.city_id is not None:
        for pk, name in others.filter(city_id=business.city_id).values_list("pk", "name"):
            if names_alike(key, name_key(name)):
                shared[pk].append(NAME)

    if not shared:
        return []
    found = Business.objects.filter(pk__in=shared).select_related("city").order_by("created_at", "pk")
    return [Resemblance(other=other, matched_on=tuple(shared[other.pk])) for other in found]


# --- websites ------------------------------------------------------------------------


def website_domain(url):
    """The host a website lives on, lower-cased, without "www." and in its
    ASCII (IDNA) form; "" when there is none or it is a shared host such as
    facebook.com or a blog platform (settings.DUPLICATE_IGNORED_DOMAINS)."""
    url = (url or "").strip().lower()
    if not url:
        return ""
    if "://" not in url:
        url = "//" + url
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:
        return ""
    host = host.rstrip(".")
    if host.startswith("www."):
        host = host[4:]
    try:
        host = host.encode("idna").decode("ascii")
    except UnicodeError:
        pass
    if "." not in host or _is_shared_host(host):
        return ""
    return host


def _is_shared_host(host):
    for domain in settings.DUPLICATE_IGNORED_DOMAINS:
        domain = domain.strip().lower().lstrip(".")
        if domain and (host == domain or host.endswith("." + domain)):
            return True
    return False


def _unicode_host(host):
    """How a profile may have typed an internationalised host ("한빛.kr")."""
    try:
        return host.encode("ascii").decode("idna")
    except UnicodeError:
        return host


# --- names -----------------------------------------------------------------------------

# Legal forms written as words of their own, in the network's languages, after
# folding ("S.A. de C.V." -> "sa de cv", "Sp. z o.o." -> "sp z oo"). Dropped
# from the end of a name, longest first, as often as they occur ("Co., Ltd.").
_LEGAL_SUFFIXES = sorted(
    (
        tuple(form.split())
        for form in (
            "inc", "incorporated", "llc", "llp", "lp", "pllc", "ltd", "limited", "co", "corp", "corporation",
            "company", "plc", "pvt", "gmbh", "ag", "kg", "bv", "nv",
            "sa", "sas", "sapi", "srl", "sl", "sc", "sac", "ltda", "cia", "sa de cv", "sapi de cv",
            "s de rl", "s de rl de cv", "sc de rl",
            "sp z oo", "spzoo", "sp j", "spj", "sp k", "spk", "ska",
        )
    ),
    key=len, reverse=True,
)
_SUFFIX_ENDINGS = frozenset(suffix[-1] for suffix in _LEGAL_SUFFIXES)
# Legal forms written into the name itself, anywhere in it (Korean and Chinese
# firms put them before or after the name, with or without brackets).
_LEGAL_MARKS = sorted(
    ("주식회사", "유한회사", "합자회사", "(주)", "(유)", "股份有限公司", "有限公司", "公司", "株式会社", "有限会社",
     "ኃ.የተ.የግ.ማ", "ኃላፊነቱ የተወሰነ የግል ማህበር"),
    key=len, reverse=True,
)
# Letters that Unicode does not decompose into a base letter and an accent.
_FOLD = str.maketrans({"ł": "l", "đ": "d", "ø": "o", "æ": "ae", "œ": "oe", "ı": "i"})
_SEPARATORS = re.compile(r"[\W_]+")


def name_key(name):
    """A firm's name folded for comparison: case, accents, width and
    punctuation gone, legal forms (Inc, S.A. de C.V., Sp. z o.o., 주식회사,
    (주), 股份有限公司 …) dropped, spaces removed ("한빛 브레이크" and
    "한빛브레이크" are one name)."""
    text = name or ""
    # Every name in a city is folded on each save, so plain ASCII skips the
    # Unicode work it cannot need.
    if text.isascii():
        text = text.lower()
    else:
        text = unicodedata.normalize("NFKC", text).casefold()
        for mark in _LEGAL_MARKS:
            text = text.replace(mark, " ")
        text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
        text = unicodedata.normalize("NFC", text).translate(_FOLD)
    # Dots join an abbreviation's letters ("S.A." -> "sa"); every other mark separates words.
    words = [w for w in _SEPARATORS.split(text.replace(".", "")) if w]
    while len(words) > 1 and words[-1] in _SUFFIX_ENDINGS:
        suffix = next((s for s in _LEGAL_SUFFIXES if len(words) > len(s) and tuple(words[-len(s):]) == s), None)
        if suffix is None:
            break
        words = words[: -len(suffix)]
    return "".join(words)


def names_alike(key, other_key, *, threshold=None):
    """Two folded names are one firm's when equal, or when nearly so: a
    similarity ratio of at least settings.DUPLICATE_NAME_SIMILARITY (one letter
    off in ten). Very short names must match exactly: "ABC" and "ABD" are
    different firms."""
    if not key or not other_key:
        return False
    if key == other_key:
        return True
    threshold = settings.DUPLICATE_NAME_SIMILARITY if threshold is None else threshold
    shorter, longer = sorted((len(key), len(other_key)))
    if shorter < 4 or 2 * shorter / (shorter + longer) < threshold:
        return False
    matcher = difflib.SequenceMatcher(None, key, other_key, autojunk=False)
    # quick_ratio() is an upper bound of ratio() at a fraction of its cost.
    return matcher.quick_ratio() >= threshold and matcher.ratio() >= threshold
