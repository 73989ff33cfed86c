"""What every page shares and what a visitor meets on each: the icon, the whole menu, text in
another language marked as such, the map's text alternative, and readable query errors.

Pages are fetched over HTTP from the live server as a browser asks for them, and parsed with
html5lib (the HTML5 parsing algorithm, SVG included).
"""

from __future__ import annotations

import io
from urllib.parse import parse_qs, urljoin, urlparse

import html5lib
import pytest
import requests
from PIL import Image

from hldgraph.web.i18n import MESSAGES
from tests.pages import PAGES

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


def fetch(url: str):
    r = requests.get(url, headers={"Accept": BROWSER}, timeout=60)
    assert r.headers["Content-Type"].startswith("text/html"), (url, r.status_code)
    return html5lib.parse(r.text, treebuilder="lxml", namespaceHTMLElements=False)


def text(element) -> str:
    return " ".join("".join(element.itertext()).split())


def own_lang(element) -> str:
    """The language of an element: the lang of the nearest element (itself included) with one."""
    while element is not None:
        lang = element.get("lang") or element.get("{http://www.w3.org/XML/1998/namespace}lang")
        if lang is not None:
            return lang
        element = element.getparent()
    return ""


def lang_of(url: str) -> str:
    return parse_qs(urlparse(url).query).get("lang", ["en"])[0]


def menu(doc, base: str) -> list[str]:
    """The header menu: each link's path and text."""
    return [f"{urlparse(urljoin(base, a.get('href'))).path} {text(a)}"
            for a in doc.iterfind(".//header//a")]


# --- the icon --------------------------------------------------------------------------------

def test_the_icon_answers_where_browsers_look_and_where_pages_point(live):
    r = requests.get(live + "/favicon.ico", timeout=30)
    assert r.status_code == 200 and r.headers["Content-Type"] == "image/vnd.microsoft.icon"
    icon = Image.open(io.BytesIO(r.content))
    assert icon.format == "ICO" and (16, 16) in icon.ico.sizes()
    for _, path in PAGES:
        links = fetch(live + path).findall(".//head/link[@rel='icon']")
        assert len(links) == 1, path
        linked = requests.get(urljoin(live + path, links[0].get("href")), timeout=30)
        assert linked.status_code == 200 and linked.content == r.content, path


# --- one layout ------------------------------------------------------------------------------

@pytest.mark.parametrize("name, path", PAGES, ids=[n for n, _ in PAGES])
def test_every_page_has_the_whole_menu_in_its_language(live, name, path):
    """The query page, the downloads and the error pages too: one context for every template."""
    if name.startswith("ontology"):
        pytest.skip("the ontology page is a file of the build, made without the application")
    lang = lang_of(path)
    landing = menu(fetch(f"{live}/?lang={lang}"), live)
    assert len(landing) == 7  # home, calendar, bodies, venues, themes, ontology, SPARQL
    doc = fetch(live + path)
    assert menu(doc, live) == landing
    assert doc.getroot().get("lang") == lang
    footer = text(doc.find(".//footer"))
    assert footer == MESSAGES["footer"][0 if lang == "en" else 1]


@pytest.mark.parametrize("path", ["/query", "/download/", "/sparql", "/calendar?month=13"])
def test_a_page_in_the_language_asked_says_so(live, path):
    r = requests.get(live + path, headers={"Accept": BROWSER, "Accept-Language": "fr"},
                     timeout=60)
    assert r.headers["Content-Language"] == "fr"
    assert "Accept-Language" in r.headers["Vary"]


# --- text in another language is marked ------------------------------------------------------

@pytest.fixture(scope="module")
def foreign(live) -> dict[str, dict[str, str]]:
    """By page language: texts that are in another language only, with their language.

    A literal of the graph is foreign to a page in L when its thing has no value of that
    property in L (the page then shows it as a fallback); a word of the pages' own is foreign
    when its translation differs."""
    query = "SELECT ?s ?p ?o WHERE { ?s ?p ?o FILTER(lang(?o) != '') }"
    r = requests.post(live + "/sparql", data={"query": query},
                      headers={"Accept": "application/sparql-results+json"}, timeout=60)
    by_key: dict[tuple[str, str], dict[str, str]] = {}
    said_in: dict[str, set[str]] = {"en": set(), "fr": set()}
    for b in r.json()["results"]["bindings"]:
        lang, value = b["o"]["xml:lang"], " ".join(b["o"]["value"].split())
        by_key.setdefault((b["s"]["value"], b["p"]["value"]), {})[lang] = value
        said_in.setdefault(lang, set()).add(value)
    out: dict[str, dict[str, str]] = {"en": {}, "fr": {}}
    for values in by_key.values():
        for page, texts in out.items():
            if page not in values:
                texts.update({v: lang for lang, v in values.items()})
    for key, (en, fr) in MESSAGES.items():  # one word may be a name too (schema:Event)
        if en != fr and key != "switch" and " " in en:
            out["fr"][en], out["en"][fr] = "en", "fr"
    for page, texts in out.items():  # a text also said in the page's language is not foreign
        for value in said_in[page] & texts.keys():
            del texts[value]
    assert out["fr"]["Draft calendar of events related to the preparation of the HLD"] == "en"
    return out


@pytest.mark.parametrize("name, path", PAGES, ids=[n for n, _ in PAGES])
def test_text_in_another_language_is_marked(live, foreign, name, path):
    """WCAG 2.1 SC 3.1.2 (Language of Parts): an English label shown on a French page (the
    one rule's fallback) is inside an element with lang="en", and French text on an English
    page inside lang="fr"; SVG charts included."""
    page = lang_of(path)
    body = fetch(live + path).find(".//body")
    seen, wrong = 0, []
    for element in body.iter():
        if not isinstance(element.tag, str) or element.tag in {"script", "style"}:
            continue
        said = text(element)
        lang = foreign[page].get(said)
        if lang is None or any(text(child) == said for child in element):
            continue  # the innermost element that says it is checked
        seen += 1
        if own_lang(element) != lang:
            wrong.append(f"<{element.tag}> {said!r} is {lang}, marked {own_lang(element)!r}")
    assert wrong == [], f"{path}: " + "\n".join(wrong)
    if name.startswith("calendar-fr"):
        assert seen, "the calendar's English lead is checked"


# --- the map's text alternative --------------------------------------------------------------

@pytest.mark.parametrize("path", ["/calendar", "/calendar?month=3&lang=fr", "/places"])
def test_the_map_has_a_table_of_its_venues(live, path):
    """Every venue drawn on the map is a row of the table beside it: its page, its country,
    and its number of events, which links to the calendar of those events."""
    doc = fetch(live + path)
    svg = "{http://www.w3.org/2000/svg}"
    drawn = {urlparse(a.get("href")).path: int(a.find(f"{svg}circle").get("data-count"))
             for a in doc.iterfind(f".//{svg}svg[@class='chart map']//{svg}a")}
    table = doc.find(".//table[@id='venues']")
    assert table is not None and text(table.find("caption"))
    rows = {}
    for tr in table.iterfind("tbody/tr"):
        place, country, count = tr.findall("td")
        assert text(country) and text(place)
        n = count.find("a")
        rows[urlparse(place.find("a").get("href")).path] = int(text(n))
        events = fetch(urljoin(live + path, n.get("href"))).findall(
            ".//table[@id='calendar']/tbody/tr")
        assert len(events) == int(text(n)), n.get("href")
    assert drawn and {p: c for p, c in rows.items() if c} == drawn


# --- query errors ----------------------------------------------------------------------------

def test_a_syntax_error_keeps_its_caret_under_the_error(live):
    query = "SELECT ?name WHERE {\n  ?s schema:name ?name\n}"
    r = requests.get(live + "/query", params={"query": query}, headers={"Accept": BROWSER},
                     timeout=60)
    assert r.status_code == 400
    doc = html5lib.parse(r.text, treebuilder="lxml", namespaceHTMLElements=False)
    shown = doc.find(".//*[@id='query-error']")
    assert shown.tag == "pre"  # white space kept, one width per character
    lines = "".join(shown.itertext()).splitlines()
    caret = next(i for i, line in enumerate(lines) if line.strip() == "^")
    assert lines[caret - 1].index("schema:name") == lines[caret].index("^")


# --- French typography -----------------------------------------------------------------------

#: Pages in French beyond one of each kind: a search, a filtered calendar with no event.
FRENCH = [path for _, path in PAGES if path.endswith("lang=fr")] + [
    "/search?q=Gen%C3%A8ve&lang=fr", "/calendar?month=2&city=geneva&lang=fr"]


def french_texts(doc):
    """(element, text) for every run of text in French: an element's own text and its tail
    (which belongs to the parent), code and scripts aside."""
    for element in doc.getroot().iter():
        if not isinstance(element.tag, str):
            continue
        if element.tag not in {"script", "style", "code", "pre"} and own_lang(element) == "fr":
            yield element, element.text or ""
        parent = element.getparent()
        if parent is not None and parent.tag not in {"script", "style", "code", "pre"} \
                and own_lang(parent) == "fr":
            yield parent, element.tail or ""


def test_french_messages_put_a_narrow_no_break_space_before_a_colon():
    """The one table of the pages' words, as the pages get it (``translate``): in French, a
    narrow no-break space (one that neither breaks nor leaves the mark alone at a line's start)
    goes before : ; ! ? and inside « », and never an ordinary or a wide no-break space. The
    values put into a message (a query, a label, a URL) are not the pages' words: untouched."""
    import re

    from hldgraph.web.i18n import translate

    french = {key: translate(key, "fr") for key in MESSAGES}
    wrong = {key: fr for key, fr in french.items()
             if re.search(r"[^\u202f][:;!?]|[^\u202f]»|«[^\u202f]", fr)}
    assert wrong == {}
    assert translate("search_found", "fr", n=2, q="a:b; c?") == \
        "2 résultat(s) pour «\u202fa:b; c?\u202f»"
    assert translate("search_found", "en", n=2, q="x") == "2 result(s) for “x”"
    straight = {key: fr for key, (_, fr) in MESSAGES.items() if "'" in fr}
    assert straight == {}


@pytest.mark.parametrize("path", FRENCH)
def test_french_pages_follow_french_typography(live, path):
    """No 'Note des éditeurs:' (a template's colon after a translated label), SVG charts
    included; and the words agree with their nouns (aucune manifestation, toutes les villes).
    Apostrophes are checked in the pages' own words (the test above): the graph's French text
    (the ontology's labels, which the charts draw) is data, changed only by a release."""
    import re

    doc = fetch(live + path)
    wrong = []
    for element, said in french_texts(doc):
        if re.search(r"\w:(\s|$)", said):
            wrong.append(f"<{element.tag}> {' '.join(said.split())[:90]!r}")
    assert wrong == [], "\n".join(wrong)
    every = {s.get("name"): text(s.find("option")) for s in doc.iterfind(".//select")}
    if "city" in every:
        assert every["city"] == "toutes" and every["month"] == "tous", every
    if "city=geneva" in path:
        assert "Aucune manifestation" in text(doc.find(".//body"))
