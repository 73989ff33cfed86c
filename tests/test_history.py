# Typographic dashes and apostrophes are meant in these texts.
# ruff: noqa: RUF001
"""Releases told to people and machines, over HTTP on loopback, on releases 1.0, 1.1 and 1.2
made from modified copies of data/ (tests/history_site.py): "What changed" pages (en, fr), each
thing's history and earlier states, the Atom feed (feedparser and RFC 4287's rules), 410 Gone
for a removed thing."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import feedparser
import pytest
import requests
from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
BASE = "https://w3id.org/hld2006/"
DCAT = "http://www.w3.org/ns/dcat#"


@pytest.fixture(scope="module")
def site(history):
    return history


class Items(HTMLParser):
    """The text and link of each <li> of the lists with class ``changes``, ``history`` or
    ``releases``, and the text of each element with class ``citation``."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.items: list[tuple[str, str]] = []
        self.citations: list[str] = []
        self._in_list = self._in_item = self._in_cite = False
        self._text: list[str] = []
        self._href = ""
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list) -> None:
        classes = (dict(attrs).get("class") or "").split()
        if tag in {"ul", "ol"} and {"changes", "history", "releases"} & set(classes):
            self._in_list = True
        elif tag == "li" and self._in_list:
            self._in_item, self._text, self._href = True, [], ""
        elif tag == "a" and self._in_item and not self._href:
            self._href = dict(attrs).get("href", "")
        elif "citation" in classes:
            self._in_cite, self._text = True, []

    def handle_endtag(self, tag: str) -> None:
        if tag == "li" and self._in_item:
            self.items.append((" ".join("".join(self._text).split()), self._href))
            self._in_item = False
        elif tag in {"ul", "ol"}:
            self._in_list = False
        elif tag == "p" and self._in_cite:
            self.citations.append(" ".join("".join(self._text).split()))
            self._in_cite = False

    def handle_data(self, data: str) -> None:
        if self._in_item or self._in_cite:
            self._text.append(data)


def page(site, path: str, **params) -> requests.Response:
    r = requests.get(site.url + path, params=params, headers={"Accept": BROWSER}, timeout=60)
    assert r.status_code == 200, (path, r.status_code, r.text[:300])
    return r


def test_what_changed_in_1_1_speaks_the_calendars_language(site):
    r = page(site, "/changes/1.1")
    items = dict(Items(r.text).items)
    assert items["Experts Meeting on Migration and Development moved from 3–5 April 2006 to "
                 "10–12 April 2006"] == "/release/1.1/doc/event/12.html"
    # the date cell, as the leaflet prints it, moves with the dates
    assert ("Experts Meeting on Migration and Development: skos:note changed from Apr 3-5 to "
            "Apr 10-12; hld:dateAsPrinted changed from Apr 3-5 to Apr 10-12") in items
    assert "Follow-up Meeting on Migration and Development added" in items
    assert ("Experts Meeting on Migration and Development moved from 3–5 April 2006 to "
            "10–12 April 2006") in items
    assert "African Union renamed African Union Commission" in items
    assert r.headers["Content-Language"] == "en"
    assert 'rel="alternate"; type="text/rdf-patch"' in r.headers["Link"]


def test_what_changed_lists_exactly_the_changed_things(site):
    """Every thing linked from the page is one the change set touches, and every one is there."""
    for version, expected in {
            "1.1": {"event/12", "event/51", "org/african-union"},
            "1.2": {"event/7", "event/30"}}.items():
        links = {href for _, href in Items(page(site, f"/changes/{version}").text).items}
        things = {h.split("/doc/", 1)[1].removesuffix(".html") for h in links}
        assert things == expected, version


def test_what_changed_in_french(site):
    items = [text for text, _ in Items(page(site, "/changes/1.1", lang="fr").text).items]
    assert "Ajout : Réunion de suivi sur la migration et le développement" in items
    assert ("Réunion d’experts sur la migration et le développement : déplacée du 3–5 avril 2006 "
            "au 10–12 avril 2006") in items
    assert "Nouveau nom de Union africaine : Commission de l’Union africaine" in items
    removed = [text for text, _ in Items(page(site, "/changes/1.2", lang="fr").text).items]
    assert "Retrait : Conférence sur la migration et le développement" in removed


def test_removed_and_venue_in_1_2_link_to_the_last_state(site):
    items = dict(Items(page(site, "/changes/1.2").text).items)
    assert items["Conference on Migration and Development removed"] == (
        "/release/1.1/doc/event/7.html")
    venue = next(t for t in items if "venue changed" in t)
    assert venue.endswith("venue changed from New York to Geneva"), venue


def test_an_unknown_release_is_a_404_naming_the_releases(site):
    r = requests.get(site.url + "/changes/9.9", timeout=60)
    assert r.status_code == 404
    assert "1.0, 1.1, 1.2" in r.json()["error"]


def test_a_things_page_shows_its_history(site):
    history = Items(page(site, "/doc/event/12.html").text).items
    assert [h for h in history if h[0].startswith("First published in release 1.0")]
    moved = [h for h in history if h[0].startswith("In release 1.1")]
    assert moved and "moved from 3–5 April 2006 to 10–12 April 2006" in moved[0][0]
    assert moved[0][1] == "/changes/1.1"
    french = Items(page(site, "/doc/event/12.html", lang="fr").text).items
    assert any("Dans la version 1.1" in text and "déplacée du 3–5 avril 2006" in text
               for text, _ in french)


def test_the_data_document_links_to_its_earlier_states(site):
    r = requests.get(site.url + "/doc/event/12.ttl", timeout=60)
    g = Graph().parse(data=r.text, format="turtle")
    doc = URIRef(BASE + "doc/event/12.ttl")
    states = {str(o) for o in g.objects(doc, URIRef(DCAT + "hasVersion"))}
    assert states == {f"{BASE}release/{v}/doc/event/12.ttl" for v in ("1.0", "1.1", "1.2")}
    state = URIRef(f"{BASE}release/1.1/doc/event/12.ttl")
    assert str(g.value(state, URIRef(DCAT + "version"))) == "1.1"
    assert g.value(state, DCTERMS.issued).toPython() == site.issued["1.1"]
    assert g.value(state, URIRef(DCAT + "previousVersion")) == URIRef(
        f"{BASE}release/1.0/doc/event/12.ttl")


def test_a_removed_thing_answers_410_naming_its_last_release(site):
    for path in ("/id/event/7", "/doc/event/7.html"):
        r = requests.get(site.url + path, headers={"Accept": BROWSER}, allow_redirects=False,
                         timeout=60)
        assert r.status_code == 410, path
        assert "release 1.1" in r.text and "/release/1.1/doc/event/7.html" in r.text
        assert "Conference on Migration and Development" in r.text
        assert r.links["memento"]["url"] == "/release/1.1/doc/event/7.html"
    r = requests.get(site.url + "/doc/event/7.ttl", timeout=60)
    assert r.status_code == 410
    assert r.json()["error"].startswith(f"<{BASE}id/event/7> was removed by release 1.2")
    never = requests.get(site.url + "/id/event/999", timeout=60)
    assert never.status_code == 404  # never described by any release


def test_the_feed_validates(site):
    r = requests.get(site.url + "/releases.atom", timeout=60)
    assert r.headers["Content-Type"].startswith("application/atom+xml")
    parsed = feedparser.parse(r.content)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    assert [e.title for e in parsed.entries] == ["Release 1.2", "Release 1.1", "Release 1.0"]
    assert [e.id for e in parsed.entries] == [f"{BASE}release/{v}/" for v in ("1.2", "1.1",
                                                                               "1.0")]
    moved = parsed.entries[1].content[0].value
    assert "moved from 3–5 April 2006 to 10–12 April 2006" in moved
    assert parsed.entries[1].link == site.url + "/changes/1.1?lang=en"
    _rfc_4287(ET.fromstring(r.content))


def _rfc_4287(feed: ET.Element) -> None:
    """The rules of RFC 4287 §4.1.1 and §4.1.2 that a feed and its entries must keep."""
    a = "{http://www.w3.org/2005/Atom}"
    assert feed.tag == a + "feed"
    for name in ("id", "title", "updated"):
        assert len(feed.findall(a + name)) == 1, name
    assert feed.findall(a + "author")  # else every entry needs one
    assert [link.get("rel") for link in feed.findall(a + "link")].count("self") == 1
    ids = []
    for entry in feed.findall(a + "entry"):
        for name in ("id", "title", "updated"):
            assert len(entry.findall(a + name)) == 1, name
        alternates = [(link.get("type"), link.get("hreflang")) for link in
                      entry.findall(a + "link") if link.get("rel", "alternate") == "alternate"]
        assert len(alternates) == len(set(alternates)) >= 1  # §4.1.1: one per type and language
        ids.append(entry.findtext(a + "id"))
    assert len(ids) == len(set(ids)) == 3


def test_the_change_set_is_linked_as_rdf_patch(site):
    r = page(site, "/changes/1.1")
    patch = next(link["url"] for link in requests.utils.parse_header_links(r.headers["Link"])
                 if link.get("type") == "text/rdf-patch")
    got = requests.get(site.url + patch, timeout=60)
    assert got.status_code == 200 and got.headers["Content-Type"].startswith("text/rdf-patch")
    assert got.text.startswith(f"H id <{BASE}release/1.1/> .\nH prev <{BASE}release/1.0/> .")
    assert f"A <{BASE}id/event/51> " in got.text


#: The pages of the releases, for the Nu Html Checker (en and fr).
RELEASE_PAGES = [("changes", "/changes/1.1"), ("changes-removed", "/changes/1.2"),
                 ("history", "/doc/event/12.html"), ("gone", "/id/event/7"),
                 ("memento", "/release/1.1/doc/event/12.html")]


def test_release_pages_are_valid_html(site, tmp_path):
    """The Nu Html Checker (as tests/test_html_valid.py runs it) reports no error."""
    import json
    import shutil
    import subprocess

    from tests.pages import NODE_MODULES, require

    vnu, java = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar", shutil.which("java")
    require("Nu Html Checker", [p for p, ok in (("java", java), (str(vnu), vnu.exists()))
                                if not ok], "Debian: default-jre-headless; npm install (vnu-jar)")
    files = []
    for name, path in RELEASE_PAGES:
        for lang in ("en", "fr"):
            r = requests.get(site.url + path, params={"lang": lang},
                             headers={"Accept": BROWSER}, timeout=60)
            files.append(tmp_path / f"{name}-{lang}.html")
            files[-1].write_bytes(r.content)
    run = subprocess.run([java, "-jar", str(vnu), "--format", "json", "--exit-zero-always",
                          *map(str, files)], capture_output=True, text=True, timeout=240,
                         check=True)
    errors = [f"{m['url']}:{m.get('lastLine', '?')}: {m['message']}"
              for m in json.loads(run.stderr)["messages"] if m["type"] == "error"]
    assert errors == []


def test_the_release_folder_lists_the_releases(site):
    """/release/ (a release URL trimmed) lists every release, newest first: a page for people
    (its notes, its landing page, what changed, in their language) or JSON by Accept, the
    Atom feed as its alternate; /release redirects there, as a folder does."""
    r = requests.get(site.url + "/release/", headers={"Accept": BROWSER,
                                                     "Accept-Language": "fr"}, timeout=60)
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("text/html")
    assert r.headers["Content-Language"] == "fr"
    assert {"accept", "accept-language"} <= {v.strip().lower() for v in
                                             r.headers["Vary"].split(",")}
    assert r.links["alternate"]["url"].endswith("/releases.atom")
    found = Items(r.text).items
    assert [href for _, href in found] == [f"/release/{v}/" for v in ("1.2", "1.1", "1.0")]
    assert "Event 7 withdrawn" in found[0][0] and "Version 1.2" in found[0][0]
    assert 'href="/changes/1.2"' in r.text
    data = requests.get(site.url + "/release/", headers={"Accept": "application/json"},
                        timeout=60).json()
    assert [x["version"] for x in data["releases"]] == ["1.2", "1.1", "1.0"]
    assert data["releases"][0]["iri"] == f"{BASE}release/1.2/"
    assert data["releases"][0]["url"] == f"{site.url}/release/1.2/"
    assert data["releases"][0]["issued"].startswith("2026-11-30T22")
    trimmed = requests.get(site.url + "/release", allow_redirects=False, timeout=60)
    assert trimmed.status_code == 308 and trimmed.headers["Location"].endswith("/release/")
