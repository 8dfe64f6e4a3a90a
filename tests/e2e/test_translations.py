"""Every page, in each of the network's six languages, in a real browser: the
right <html lang>, and no interface string left in English. The English
strings are the msgids of the project's catalogue (and, for Amharic, of the
Django and allauth strings the project translates itself)."""

import re
from functools import cache
from pathlib import Path

import pytest
from django.conf import settings

from search import services as search_services
from search.filters import BusinessFilters

from . import network

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
LOCALE = Path(settings.BASE_DIR) / "locale"

TEXTS = """() => {
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode, parent = node.parentElement;
    if (!parent || parent.closest("script, style, [lang]:not(html)")) continue;
    const text = node.textContent.replace(/\\s+/g, " ").trim();
    if (text) out.push(text);
  }
  document.querySelectorAll("[placeholder], [aria-label], [title]").forEach(el => {
    for (const name of ["placeholder", "aria-label", "title"]) {
      const value = el.getAttribute(name);
      if (value && !el.closest("[lang]:not(html)")) out.push(value.trim());
    }
  });
  return out;
}"""


def read_po(path):
    """{msgid: msgstr} of a .po file, plural forms by their singular."""
    entries, current, field = {}, {}, None
    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        if line.startswith("#~"):
            continue
        match = re.match(r'^(msgid|msgid_plural|msgstr(?:\[\d+\])?) "(.*)"$', line)
        if match:
            field = match.group(1)
            current[field] = current.get(field, "") + _unquote(match.group(2))
        elif line.startswith('"') and field:
            current[field] += _unquote(line[1:-1])
        elif not line.strip():
            if current.get("msgid"):
                entries[current["msgid"]] = current.get("msgstr", current.get("msgstr[0]", ""))
                if "msgid_plural" in current:
                    entries[current["msgid_plural"]] = current.get("msgstr[1]", current.get("msgstr[0]", ""))
            current, field = {}, None
    return entries


def _unquote(text):
    return text.replace('\\"', '"').replace("\\n", "\n").replace("\\\\", "\\")


@cache
def english_patterns():
    """(exact strings, regexes) for every English interface string."""
    msgids = set(read_po(LOCALE / "es" / "LC_MESSAGES" / "django.po"))
    exact, patterns = set(), []
    for msgid in msgids:
        text = re.sub(r"\s+", " ", msgid).strip()
        if len(text) < 2 or not re.search(r"[A-Za-z]{2}", text):
            continue
        if "%(" in text or "{" in text:
            # "%(a)s and %(b)s" would match any English data with "and" in it.
            literal = re.sub(r"%\(\w+\)[sd]", " ", text)
            if len(re.findall(r"[A-Za-z]{2,}", literal)) < 2:
                continue
            pattern = re.escape(text)
            pattern = re.sub(r"%\\\(\w+\\\)[sd]", ".+", pattern)
            patterns.append((msgid, re.compile(pattern + "$")))
        else:
            exact.add(text)
    return exact, patterns


@cache
def translations(language):
    folder = language.replace("-hant", "_Hant")
    return read_po(LOCALE / folder / "LC_MESSAGES" / "django.po")


def untranslated(texts, language):
    """The texts on a page that are English interface strings, where the
    language's catalogue says something else."""
    exact, patterns = english_patterns()
    catalogue = translations(language)
    found = []
    for text in set(texts):
        if text in exact and catalogue.get(text, text) != text:
            found.append(text)
            continue
        for msgid, pattern in patterns:
            if pattern.match(text) and catalogue.get(msgid, msgid) != msgid:
                found.append(text)
                break
    return sorted(found)


def pages(firms, introduction, unsubscribe):
    seongnam = firms["seongnam"]
    return {
        None: ["/", "/directory/?q=brake", f"/b/{seongnam.slug}/", "/cities/seongnam/", "/accounts/login/",
               "/accounts/signup/", "/accounts/password/reset/"],
        # The unsubscribe link last: it turns the saved search's alerts off.
        "frontrange": ["/me/", "/me/firms/new/", f"/me/firms/{firms['aurora'].slug}/edit/", "/me/introductions/",
                       "/me/account/", "/me/account/delete/", f"/b/{seongnam.slug}/", "/directory/?q=brake",
                       "/me/searches/", f"/searches/unsubscribe/{unsubscribe}/"],
        "staff": ["/staff/", "/staff/profiles/", "/staff/introductions/?status=introduced", "/staff/runs/",
                  "/staff/metrics/"],
    }


@pytest.mark.parametrize("language", [code for code, _ in settings.LANGUAGES])
def test_every_page_speaks_the_language_it_is_asked_for(language, open_page, make_user, make_business, staff):
    users, firms, introduction = network.build(make_user=make_user, make_business=make_business, staff=staff)
    users["staff"] = staff
    search_services.save_search(user=users["frontrange"], text="brake pads", side="offers", filters=BusinessFilters(
        city=["seongnam"], country="KR", offers="8708", trade_role="manufacturer", verified=True))
    unsubscribe = search_services.unsubscribe_token(user=users["frontrange"])
    problems = {}
    for who, paths in pages(firms, introduction, unsubscribe).items():
        page = open_page(user=users.get(who), language=language)
        for path in paths:
            response = page.goto(f"{page.base}/{language}{path}")
            assert response.status == 200, f"{path} answered {response.status}"
            assert page.locator("html").get_attribute("lang") == language, path
            if language != "en":
                missing = untranslated(page.evaluate(TEXTS), language)
                if missing:
                    problems[path] = missing
    assert not problems, f"untranslated in {language}: {problems}"


def test_a_first_visit_follows_the_browser_language(open_page):
    page = open_page(language="ko-KR")
    page.goto(page.base + "/directory/")
    assert page.url.endswith("/ko/directory/")
    assert page.locator("html").get_attribute("lang") == "ko"
