"""Hostile search input, against both search backends, through the API
(search and suggest) and the directory page: never a 500, a 400 with a
message where the input is unacceptable, nothing rendered unescaped, and
the Elasticsearch backend answering itself rather than falling back.
"""

import json
import re
from urllib.parse import quote

import pytest
from django.test import Client

from tests.search.conftest import backend, sync  # noqa: F401  (the per-backend fixture)

from .conftest import FIRM_EMAIL, FIRM_PHONE, publish

pytestmark = pytest.mark.django_db

QUERY_SYNTAX = [
    "AND", "OR", "NOT", "brake AND", "OR OR OR", "NOT brake", "AND OR NOT", "( brake", "brake )", "((((", "))))",
    "name:brake", "contact_email:*", "_exists_:contact_email", "*:*", "brake^10", "brake~2", "brake~", "bra*",
    "b?ake", "*", "?", "\\", "brake\\", "\\\\\\", "/", "//", "[", "]", "[1 TO 5]", "{a TO b}", "{", "}", '"',
    '"brake', 'brake"', '"""', '"brake pads', "+brake -pads", "&& ||", "!", "!brake", ":", "^", "~", "()",
    "brake & pads | ! rotors <-> :*", "brake:*", "'", "''", "' OR 1=1 --", "'; DROP TABLE directory_business; --",
    "%", "%%", "_", "brake%", "\\u0000", "${jndi:ldap://x}", "{{ 7*7 }}", "{% debug %}",
]
REGEX = ["/.*/", ".*", "/[a-z]+/", "name:/.*/", "/(a+)+$/", "(a|aa)*b", "[^]"]
MARKUP = ['<script>alert(1)</script>', '"><img src=x onerror=alert(1)>', "</title><script>alert(1)</script>",
          "<em>brake</em>", "javascript:alert(1)", "brake <b>pads</b>"]
CONTROL = [chr(c) for c in range(0x00, 0x20)] + ["\x7f", "brake\x00pads", "brake\x1bpads", "\x00" * 50]
SCRIPTS = [
    "Jacó", "Zielona Góra", "Ñandú", "Ærø", "straße", "ÉCOLE", "e\u0301", "Ｂｒａｋｅ",  # Latin, accents, full width
    "브레이크 패드", "브레이크를", "ㅂㄹㅇㅋ",  # Hangul
    "煞車來令片", "積體電路", "新北",  # Han, traditional
    "ሰሊጥ", "የማቀነባበሪያ ማሽኖች",  # Ethiopic
    "فرامل السيارات", "\u202eevil\u202c", "\u200fbrake\u200e",  # Arabic, bidi controls and RTL marks
    "тормозные колодки", "Ω≈ç√∫",  # Cyrillic, symbols
    "🚗🔧", "👨\u200d👩\u200d👧", "brake\u200dpads", "\u200b", "\ufeffbrake", "\ufffd",  # emoji, ZWJ, ZW space, BOM
]
LONG = ["a" * 100_000, "brake " * 17_000, "ü" * 50_000, "브" * 40_000, '"(' * 30_000]
PAYLOADS = QUERY_SYNTAX + REGEX + MARKUP + CONTROL + SCRIPTS + LONG
# Bytes that are not UTF-8 at all, and a lone surrogate as UTF-8 (CESU) and percent-escaped JSON.
RAW_QUERIES = ["%ED%A0%80", "%FF%FE", "%C0%AE", "%E2%80", "brake%00pads", "%25%00%25", "%uD800"]


@pytest.fixture
def indexed(backend, staff, make_user):  # noqa: F811
    """A few published firms in several scripts, one of them with a private contact."""
    publish(staff, make_user("hanbit"), name="Hanbit Brake Works", city="seongnam", description_language="ko",
            description="한빛브레이크는 브레이크 패드와 디스크를 생산합니다.", offers_hs=["870830"],
            offers_text="브레이크 패드", seeks_hs=[], seeks_text="", contact_email=FIRM_EMAIL, contact_phone=FIRM_PHONE)
    publish(staff, make_user("frenos"), name="Frenos Baeza", city="chihuahua", description_language="es",
            description="Fabricamos frenos y discos de freno en Chihuahua.", offers_hs=["870830"],
            offers_text="pastillas de freno", seeks_hs=[], seeks_text="")
    publish(staff, make_user("sesame"), name="Adama Sesame Export", city="adama", description_language="am",
            description="ጥራት ያለው ሰሊጥ እንልካለን።", offers_hs=["120740"], offers_text="ሰሊጥ", seeks_hs=[], seeks_text="")
    publish(staff, make_user("frontrange"), name="Front Range Brake Supply", city="aurora",
            description="Distributor of brakes and rotors in Aurora.")
    sync(backend)
    return backend


def _check_api(client, path, text, backend_name):
    """The problem with one answer of the API, or None."""
    response = client.get(path, {"q": text})
    if response.status_code == 400:
        body = response.json()
        return None if body.get("q") else f"400 without a message for q: {body}"
    if response.status_code != 200:
        return f"status {response.status_code}"
    if response["Content-Type"] != "application/json":
        return f"content type {response['Content-Type']}"
    body = response.json()
    if "backend" in body and body["backend"] != backend_name:
        return f"answered by {body['backend']}: the engine refused the query"
    raw = response.content.decode()
    if FIRM_EMAIL in raw or FIRM_PHONE in raw:
        return "a private contact in the answer"
    for hit in body.get("results", []):
        for fragment in (hit.get("highlights") or {}).values():
            if re.sub(r"</?em>", "", fragment).count("<"):
                return f"unescaped markup in a highlight: {fragment[:200]}"
    return None


def _check_page(client, text, **headers):
    response = client.get("/en/directory/", {"q": text}, **headers)
    if response.status_code != 200:
        return f"status {response.status_code}"
    html = response.content.decode()
    # <em> is the highlight's own tag, which the results legitimately carry.
    if "<" in re.sub(r"</?em>", "", text) and text[:60] in html:
        return "the query rendered unescaped"
    if FIRM_EMAIL in html or FIRM_PHONE in html:
        return "a private contact on the page"
    if "<script>alert" in html or "onerror=alert" in html.replace("onerror=alert(1)&gt;", ""):
        return "an injected element on the page"
    return None


def _problems(check, payloads):
    problems = {}
    for text in payloads:
        problem = check(text)
        if problem:
            problems[repr(text[:40])] = problem
    return problems


def test_search_api_never_fails_on_hostile_queries(indexed):
    client = Client()
    problems = _problems(lambda text: _check_api(client, "/api/v1/search/", text, indexed.name), PAYLOADS)
    assert not problems, json.dumps(problems, ensure_ascii=False, indent=1)


def test_suggest_api_never_fails_on_hostile_queries(indexed):
    client = Client()
    problems = _problems(lambda text: _check_api(client, "/api/v1/search/suggest/", text, indexed.name), PAYLOADS)
    assert not problems, json.dumps(problems, ensure_ascii=False, indent=1)


def test_directory_page_never_fails_nor_echoes_hostile_queries(indexed):
    client = Client()
    problems = _problems(lambda text: _check_page(client, text), PAYLOADS)
    problems.update(_problems(lambda text: _check_page(client, text, HTTP_HX_REQUEST="true"), PAYLOADS))
    assert not problems, json.dumps(problems, ensure_ascii=False, indent=1)


@pytest.mark.parametrize("path", ["/api/v1/search/", "/api/v1/search/suggest/", "/en/directory/"])
def test_bytes_that_are_not_utf8_are_not_a_500(indexed, path):
    client = Client()
    for raw in RAW_QUERIES:
        response = client.get(f"{path}?q={raw}")
        assert response.status_code in (200, 400), (raw, response.status_code)


def test_a_query_too_long_for_the_api_is_a_400_naming_q(indexed):
    response = Client().get("/api/v1/search/", {"q": "a" * 100_000})
    assert response.status_code == 400
    assert "q" in response.json()


def test_a_nul_character_in_the_query_is_a_400_naming_q(indexed):
    response = Client().get("/api/v1/search/", {"q": "brake\x00pads"})
    assert response.status_code == 400
    assert "q" in response.json()


def test_every_script_finds_what_it_names(indexed):
    """Hostile-looking but honest queries still find their firms."""
    client = Client()
    for text, name in [("브레이크 패드", "Hanbit Brake Works"), ("ሰሊጥ", "Adama Sesame Export"),
                       ("Ｂｒａｋｅ", "Front Range Brake Supply"), ("\u200fbrake\u200e", "Front Range Brake Supply"),
                       ("FRENOS", "Frenos Baeza"), ('"brake', "Front Range Brake Supply"),
                       ("brake*", "Front Range Brake Supply")]:
        names = [hit["name"] for hit in client.get("/api/v1/search/", {"q": text}).json()["results"]]
        assert name in names, (text, names)


def test_a_query_is_escaped_in_the_title_search_box_and_filters_of_the_page(indexed):
    payload = '"><script>alert(1)</script>'
    html = Client().get("/en/directory/", {"q": payload, "city": payload}).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert quote(payload, safe="") in html or "&quot;&gt;&lt;script&gt;" in html
