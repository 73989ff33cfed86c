"""Dereferenceable IRIs, data documents and HTML pages, over HTTP against a live server."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from urllib.parse import parse_qs, urljoin, urlparse

import pytest
import requests
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, OWL, RDF, RDFS, SKOS
from werkzeug.middleware.dispatcher import DispatcherMiddleware

from hldgraph.urls import SCHEMA, Iris
from tests.server import serve

BASE = "https://w3id.org/hld2006/"
#: One IRI path of each kind of thing the graph names.
THINGS = [
    "id/event/7", "id/event/17a", "id/event/50", "id/org/iom", "id/place/geneva",
    "id/resolution/a-res-60-227", "id/resolution/a-res-60-227/para/15", "id/initiative/3",
    "id/theme/migration-and-development", "id/theme/migration-and-development/1", "id/themes",
    "id/body-types", "id/body-type/government", "id/event-categories", "id/event-category/un",
    "id/document/leaflet", "id/document/calendar", "id/contact/iom-permanent-observer",
    "id/work/iml-database", "id/dataset/hld2006",
]
RDF_TYPES = {"text/turtle": ("ttl", "turtle"), "application/ld+json": ("jsonld", "json-ld"),
             "application/n-triples": ("nt", "nt"), "application/rdf+xml": ("rdf", "xml")}
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


@pytest.fixture(scope="module")
def site(settings, dist):
    """The application serving a complete build, on loopback."""
    from hldgraph.store import open_store
    from hldgraph.web import create_app

    s = settings.with_(dist_dir=dist)
    with open_store(s, dist / "hld2006.nq") as store, serve(create_app(s, store)) as url:
        yield url


def get(url: str, accept: str = BROWSER, **kw) -> requests.Response:
    return requests.get(url, headers={"Accept": accept, **kw.pop("headers", {})},
                        allow_redirects=False, timeout=30, **kw)


class Page(HTMLParser):
    """The parts of an HTML page the tests look at."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.lang, self.title, self.h1, self.links, self.alternates = "", "", "", [], []
        self.jsonld: list[str] = []
        self.rows: list[list[str]] = []  # text of each cell of each row of table#calendar
        self.row_events: list[str] = []  # the event page each row links to first
        self._in: list[str] = []
        self._table = False
        self.feed(html)
        self.text = html

    def handle_starttag(self, tag: str, attrs: list) -> None:
        a = dict(attrs)
        if tag == "html":
            self.lang = a.get("lang", "")
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
            if self._table and self.rows and len(self.row_events) < len(self.rows):
                self.row_events.append(a["href"])
        if tag == "link" and a.get("rel") == "alternate":
            self.alternates.append((a.get("type"), a.get("href")))
        if tag == "table" and a.get("id") == "calendar":
            self._table = True
        if self._table and tag == "tr" and "event" in a.get("class", ""):
            self.rows.append([])
        if self._table and tag == "td" and self.rows:
            self.rows[-1].append("")
        self._in.append(tag if tag != "script" or a.get("type") != "application/ld+json"
                        else "ld")

    def handle_endtag(self, tag: str) -> None:
        if tag == "table":
            self._table = False
        if self._in:
            self._in.pop()

    def handle_data(self, data: str) -> None:
        where = self._in[-1] if self._in else ""
        if where == "ld":
            self.jsonld.append(data)
        elif where == "title" and not self.title:
            self.title = data
        elif "h1" in self._in:
            self.h1 += data
        if self._table and self.rows and self.rows[-1] and "td" in self._in:
            self.rows[-1][-1] += data


def values(triples) -> set[tuple]:
    """Triples with literals by value: a store may write 46.20 as 46.2."""
    return {(s, p, (o.datatype, o.language, o.toPython()) if isinstance(o, Literal) else o)
            for s, p, o in triples}


def labels(g: Graph, iri: URIRef, p: URIRef, lang: str) -> set[str]:
    return {str(o) for o in g.objects(iri, p) if isinstance(o, Literal) and o.language == lang}


# --- 303 and data documents -----------------------------------------------------------------

def test_format_given_several_times_is_read_as_everywhere(site):
    """format= may repeat (formats.negotiate: the first usable one counts), as a SPARQL query
    reads it; a thing's IRI read only the first, so ?format=bogus&format=ttl was the page."""
    for formats, ext in ((["bogus", "ttl"], "ttl"), (["nt", "ttl"], "nt"), (["html"], "html")):
        r = requests.get(f"{site}/id/event/7", params={"format": formats},
                         headers={"Accept": BROWSER}, allow_redirects=False, timeout=30)
        assert r.status_code == 303 and r.headers["Location"] == f"/doc/event/7.{ext}", formats


@pytest.mark.parametrize("path", THINGS)
def test_thing_answers_303_to_its_page_or_data(site, union, path):
    iri = URIRef(BASE + path)
    doc = "/doc/" + path.removeprefix("id/")
    r = get(f"{site}/{path}")
    assert r.status_code == 303
    assert r.headers["Location"] == doc + ".html"
    assert "Accept" in r.headers["Vary"]
    page = get(urljoin(site, r.headers["Location"]))
    assert page.status_code == 200 and page.headers["Content-Type"].startswith("text/html")
    for accept, (ext, parser) in RDF_TYPES.items():
        r = get(f"{site}/{path}", accept)
        assert r.status_code == 303, accept
        assert r.headers["Location"] == f"{doc}.{ext}"
        assert "Accept" in r.headers["Vary"]
        data = get(urljoin(site, r.headers["Location"]), "*/*")
        assert data.status_code == 200
        assert data.headers["Content-Type"].split(";")[0] == accept
        g = Graph().parse(data=data.content, format=parser)
        if ext == "jsonld":  # framed: the thing at the root (see tests/test_json.py)
            assert data.json()["id"] == str(iri) and (iri, None, None) in g
        else:
            assert (URIRef(f"{BASE}{doc[1:]}.{ext}"), FOAF.primaryTopic, iri) in g
        own = values(union.triples((iri, None, None)))
        assert own and own <= values(g), f"{path}: the document lacks some of its triples"
        if ext == "jsonld":  # what points to the thing: in the unframed forms
            compacted = 'application/ld+json;profile="http://www.w3.org/ns/json-ld#compacted"'
            g = Graph().parse(data=get(urljoin(site, r.headers["Location"]), compacted).content,
                              format=parser)
        assert values(union.triples((None, None, iri))) <= values(g)
        alternates = data.headers["Link"]
        assert f'<{doc}.html>; rel="alternate"; type="text/html"' in alternates
        assert all(f"{doc}.{e}" in alternates for e, _ in RDF_TYPES.values() if e != ext)


def test_data_document_labels_what_it_links_to(site, union):
    g = Graph().parse(data=get(f"{site}/doc/event/7.ttl", "text/turtle").text, format="turtle")
    organisers = list(union.objects(URIRef(BASE + "id/event/7"), SCHEMA.organizer))
    assert organisers
    for body in organisers:
        for lang in ("en", "fr"):
            assert labels(g, body, SKOS.prefLabel, lang) == labels(union, body, SKOS.prefLabel,
                                                                   lang)
        assert not set(g.triples((body, SKOS.altLabel, None)))  # labels only, not all it says


def test_page_links_its_formats(site):
    r = get(f"{site}/doc/org/iom.html")
    page = Page(r.text)
    types = {t for t, _ in page.alternates}
    assert set(RDF_TYPES) <= types
    for t, href in page.alternates:
        assert get(urljoin(site, href), t).status_code == 200
    assert 'rel="alternate"; type="text/turtle"' in r.headers["Link"]


def test_documents_answer_by_extension_without_negotiation(site):
    for ext, (_, parser) in {e: v for v in RDF_TYPES.values() for e in [v[0]]}.items():
        r = get(f"{site}/doc/place/geneva.{ext}", "text/html")  # the extension wins
        assert r.status_code == 200
        Graph().parse(data=r.content, format=parser)


def test_unacceptable_media_type_is_406(site):
    r = get(f"{site}/id/event/7", "image/png")
    assert r.status_code == 406
    assert r.json()["status"] == 406


# --- the ontology ---------------------------------------------------------------------------

def test_ontology_terms_resolve_to_the_ontology_document(site, built):
    ontology = built.graph("ontology")
    r = get(f"{site}/def/Initiative")
    assert r.status_code == 303 and r.headers["Location"] == "/doc/def.html#Initiative"
    assert get(f"{site}/def/").headers["Location"] == "/doc/def.html"
    r = get(f"{site}/def/Initiative", "text/turtle")
    assert r.headers["Location"] == "/doc/def.ttl"
    g = Graph().parse(data=get(urljoin(site, r.headers["Location"])).content, format="turtle")
    assert (URIRef(BASE + "doc/def.ttl"), FOAF.primaryTopic, URIRef(BASE + "def/")) in g
    assert values(ontology) <= values(g)
    assert get(f"{site}/def/NoSuchTerm").status_code == 404


def test_ontology_page_shows_every_class_and_property_in_both_languages(site, built):
    ontology = built.graph("ontology")
    html = get(f"{site}/doc/def.html").text
    terms = {s for t in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)
             for s in ontology.subjects(RDF.type, t) if str(s).startswith(BASE + "def/")}
    assert len(terms) > 5
    for term in terms:
        name = str(term).removeprefix(BASE + "def/")
        assert f'id="{name}"' in html
        for lang in ("en", "fr"):
            for text in labels(ontology, term, RDFS.label, lang):
                assert _escaped(text) in html, (name, lang)
            for text in labels(ontology, term, RDFS.comment, lang):
                assert _escaped(text) in html, (name, lang)


def test_ontology_page_is_written_by_the_build(dist):
    """One page per language of the site (English is def.html, as before)."""
    for name in ("def.html", "def.fr.html"):
        assert (dist / name).read_text(encoding="utf-8").count('class="term"') > 5, name


def _ontology_page(site: str, query: str = "", **headers: str):
    import html5lib

    r = get(f"{site}/doc/def.html{query}", headers=headers)
    return r, html5lib.parse(r.text, treebuilder="lxml", namespaceHTMLElements=False)


def test_the_ontology_page_is_in_the_language_asked(site, dist):
    """/doc/def.html is chosen as every page is (hldgraph.web.i18n.choose_lang): ?lang=, else
    Accept-Language, else English; the build's file of that language, byte for byte, says so
    in Content-Language, names Accept-Language in Vary, and has an ETag of its own."""
    from hldgraph.messages import translate

    en, en_doc = _ontology_page(site)
    fr, fr_doc = _ontology_page(site, "?lang=fr")
    assert (en.status_code, fr.status_code) == (200, 200)
    assert en.content == (dist / "def.html").read_bytes()
    assert fr.content == (dist / "def.fr.html").read_bytes()
    assert _ontology_page(site, **{"Accept-Language": "fr, en;q=0.5"})[0].content == fr.content
    assert _ontology_page(site, "?lang=en", **{"Accept-Language": "fr"})[0].content == en.content
    assert en.headers["ETag"] != fr.headers["ETag"]
    for r, doc, lang in ((en, en_doc, "en"), (fr, fr_doc, "fr")):
        assert r.headers["Content-Language"] == lang and "Accept-Language" in r.headers["Vary"]
        assert doc.getroot().get("lang") == lang
        headings = [" ".join(h.itertext()) for h in doc.iterfind(".//section/h2")]
        assert translate("def_object_properties", lang) in headings, headings
        terms = ["".join(dt.itertext()) for dt in doc.iterfind(".//dl[@class='relations']/dt")]
        assert translate("def_subclass_of", lang) in terms, terms
        assert translate("def_footer", lang) in " ".join(doc.find(".//footer").itertext())
        alternates = {a.get("hreflang"): a.get("href")
                      for a in doc.iterfind(".//head/link[@hreflang]")}
        assert alternates == {"en": "def.html?lang=en", "fr": "def.html?lang=fr"}
    # each page links to the site's pages in its own language; anchors stay those of def.html
    assert fr_doc.find(".//header/a[@class='home']").get("href") == "../?lang=fr"
    assert en_doc.find(".//header/a[@class='home']").get("href") == "../?lang=en"
    ids = [{e.get("id") for e in doc.iter() if isinstance(e.tag, str) and e.get("id")}
           for doc in (en_doc, fr_doc)]
    assert ids[0] == ids[1] and "object-properties" in ids[0]


@pytest.mark.parametrize("query", ["?lang=de", "?lang=fr&lang=en", "?lang="])
def test_the_ontology_page_refuses_a_language_as_every_page_does(site, query):
    r = get(f"{site}/doc/def.html{query}", "application/json")
    if query == "?lang=":  # an empty value asks nothing, as elsewhere
        assert r.status_code == 200
        return
    assert r.status_code == 400 and "lang" in r.json()["error"], r.text


def test_a_build_without_the_french_page_serves_the_english_one_saying_so(settings, dist,
                                                                          tmp_path):
    """A build or release folder made before the French page: ?lang=fr gets the English page,
    and Content-Language says English (the page's own lang="en" agrees)."""
    import shutil

    from hldgraph.store import open_store
    from hldgraph.web import create_app

    old = tmp_path / "dist"
    shutil.copytree(dist, old)
    (old / "def.fr.html").unlink()
    s = settings.with_(dist_dir=old)
    with open_store(s, old / "hld2006.nq") as store, serve(create_app(s, store)) as url:
        r = get(f"{url}/doc/def.html?lang=fr")
        assert r.status_code == 200 and r.content == (old / "def.html").read_bytes()
        assert r.headers["Content-Language"] == "en" and "Accept-Language" in r.headers["Vary"]
        assert get(f"{url}/doc/def.html?lang=xx").status_code == 400


@pytest.mark.parametrize("name, lang", [("def.html", "en"), ("def.fr.html", "fr")])
def test_ontology_page_marks_the_language_of_every_label_and_comment(dist, built, name, lang):
    """WCAG 2.1 SC 3.1.2: the build writes the page once per language (it is served as the
    build's file, byte for byte); the labels and comments it shows in the other language,
    beside those in its own, are inside lang="…" of theirs."""
    import html5lib

    from tests.test_layout import own_lang, text

    said: dict[str, set[str]] = {}
    for o in built.graph("ontology").objects():
        if isinstance(o, Literal) and o.language:
            said.setdefault(" ".join(str(o).split()), set()).add(o.language)
    doc = html5lib.parse((dist / name).read_text(encoding="utf-8"), treebuilder="lxml",
                         namespaceHTMLElements=False)
    assert doc.getroot().get("lang") == lang
    seen, wrong = set(), []
    for element in doc.getroot().iter():
        if not isinstance(element.tag, str) or text(element) not in said \
                or any(text(child) == text(element) for child in element):
            continue
        seen |= said[text(element)]
        if own_lang(element) not in said[text(element)]:
            wrong.append(f"<{element.tag}> {text(element)[:60]!r} marked {own_lang(element)!r}")
    assert wrong == [] and seen == {"en", "fr"}, wrong


def _escaped(text: str) -> str:
    from markupsafe import escape

    return str(escape(text))


# --- unknown IRIs ---------------------------------------------------------------------------

@pytest.mark.parametrize("path", ["id/event/999", "id/nothing", "doc/event/999.ttl",
                                  "doc/event/7.exe", "id/event/%3Cscript%3E", "id/org/a%20b",
                                  "doc/org/..%2F..%2Fetc.html"])
def test_unknown_iris_are_404_with_help(site, path):
    r = get(f"{site}/{path}")
    assert r.status_code == 404
    page = Page(r.text)
    assert "/calendar" in page.links and "/sparql" in page.links
    machine = get(f"{site}/{path}", "application/json")
    assert machine.status_code == 404
    assert machine.json()["ok"] is False and machine.json()["status"] == 404


@pytest.mark.parametrize("path, extensions", [
    ("doc/event/1.bogus", ".html, .ttl, .jsonld, .nt, .rdf"),
    ("release/1.0/doc/event/1.bogus", ".html, .ttl, .jsonld, .nt, .rdf"),
    ("doc/graph/source.bogus", ".html, .ttl, .jsonld, .nt, .rdf, .trig, .nq"),
])
def test_an_unknown_extension_is_named_with_the_known_ones(history, path, extensions):
    """Event 1 exists: the extension is what is wrong, not the IRI (on a site with releases,
    as `hldgraph serve` runs it)."""
    site = history.url
    r = get(f"{site}/{path}", "application/json")
    assert r.status_code == 404
    assert r.json()["error"] == f"unknown document extension .bogus: documents end in {extensions}"
    page = get(f"{site}/{path}")
    assert page.status_code == 404 and "unknown document extension .bogus" in page.text


# --- base IRI -------------------------------------------------------------------------------

def test_another_base_iri_behind_a_path_prefix(settings):
    """The graph of base http://example.org/hld/ served under /mirror on 127.0.0.1."""
    from flask import Flask

    from hldgraph.catalog import build_dataset
    from hldgraph.store import open_store
    from hldgraph.web import create_app

    base = "http://example.org/hld/"
    s = settings.with_(base_iri=base, store="memory")
    with open_store(s, build_dataset(s).dataset) as store:
        app = create_app(s, store)
        app.wsgi_app = DispatcherMiddleware(Flask("empty"), {"/mirror": app.wsgi_app})
        with serve(app) as url:
            r = get(f"{url}/mirror/id/event/7", "text/turtle")
            assert r.status_code == 303
            assert r.headers["Location"] == "/mirror/doc/event/7.ttl"
            g = Graph().parse(data=get(url + r.headers["Location"]).content, format="turtle")
            assert (URIRef(base + "doc/event/7.ttl"), FOAF.primaryTopic,
                    URIRef(base + "id/event/7")) in g
            assert not any(BASE in str(t) for triple in g for t in triple)
            page = Page(get(f"{url}/mirror/doc/event/7.html").text)
            assert "/mirror/doc/place/brussels.html" in page.links or any(
                link.startswith("/mirror/doc/place/") for link in page.links)
            assert all(not link.startswith("/doc/") for link in page.links)


# --- pages ----------------------------------------------------------------------------------

def test_pages_in_english_and_french(site, union):
    event = URIRef(BASE + "id/event/7")
    (en,), (fr,) = labels(union, event, SCHEMA.name, "en"), labels(union, event, SCHEMA.name, "fr")
    page = Page(get(f"{site}/doc/event/7.html").text)
    assert page.lang == "en" and _escaped(en) in page.text
    r = get(f"{site}/doc/event/7.html", headers={"Accept-Language": "fr-FR,fr;q=0.9"})
    assert r.headers["Content-Language"] == "fr" and "Accept-Language" in r.headers["Vary"]
    page = Page(r.text)
    assert page.lang == "fr" and _escaped(fr) in page.text and "Organisateurs" in page.text
    switched = Page(get(f"{site}/doc/event/7.html?lang=fr").text)
    assert switched.lang == "fr"
    # the switch keeps the language on the links it offers
    assert any(link.endswith("?lang=fr") and "/doc/place/" in link for link in switched.links)
    assert any("lang=en" in link for link in switched.links)


@pytest.mark.parametrize("path, has, lacks", [("document/leaflet", "fr", "en"),
                                              ("document/calendar", "en", "fr")])
def test_labels_fall_back_to_the_other_language(site, union, path, has, lacks):
    """The leaflet has a French title only, its calendar an English one: pages show them, marked
    with the language they are in."""
    iri = URIRef(BASE + "id/" + path)
    assert not labels(union, iri, DCTERMS.title, lacks)
    (title,) = labels(union, iri, DCTERMS.title, has)
    page = Page(get(f"{site}/doc/{path}.html?lang={lacks}").text)
    assert page.lang == lacks and page.h1 == title
    assert f'<h1><span lang="{has}">{title}</span></h1>' in page.text


@pytest.mark.parametrize("path", THINGS)
def test_every_page_embeds_schema_org_json_ld(site, path):
    page = Page(get(f"{site}/doc/{path.removeprefix('id/')}.html").text)
    assert len(page.jsonld) == 1
    data = json.loads(page.jsonld[0])
    assert data["@context"] == "https://schema.org" and data["@type"]
    assert data["@id"] == BASE + path and data["name"]


def test_event_page_json_ld_and_facts(site, union):
    event = URIRef(BASE + "id/event/17")
    page = Page(get(f"{site}/doc/event/17.html").text)
    data = json.loads(page.jsonld[0])
    assert data["@type"] == "Event"
    assert data["startDate"] == str(union.value(event, SCHEMA.startDate))
    assert {o["@id"] for o in data["organizer"]} == {
        str(o) for o in union.objects(event, SCHEMA.organizer)}
    assert {e["@id"] for e in data["subEvent"]} == {
        str(o) for o in union.objects(event, SCHEMA.subEvent)}
    printed = union.value(event, URIRef(BASE + "def/responsibleAsPrinted"))
    assert _escaped(str(printed)) in page.text
    for sub in union.objects(event, SCHEMA.subEvent):
        assert "/doc/" + str(sub).removeprefix(BASE + "id/") + ".html" in page.links


def test_body_page_lists_its_events_and_parent(site, union):
    iom = URIRef(BASE + "id/org/iom")
    page = Page(get(f"{site}/doc/org/iom.html").text)
    for e in union.subjects(SCHEMA.organizer, iom):
        assert "/doc/" + str(e).removeprefix(BASE + "id/") + ".html" in page.links
    undesa = Page(get(f"{site}/doc/org/undesa.html").text)
    for parent in union.objects(URIRef(BASE + "id/org/undesa"),
                                URIRef("http://www.w3.org/ns/org#subOrganizationOf")):
        assert "/doc/" + str(parent).removeprefix(BASE + "id/") + ".html" in undesa.links


def test_paragraph_page_lists_initiatives_and_their_bodies(site, union):
    hld = Iris(BASE).hld
    para = URIRef(BASE + "id/resolution/a-res-60-227/para/18")
    initiatives = set(union.subjects(hld.envisagedBy, para))
    bodies = {b for i in initiatives for b in union.objects(i, hld.involves)}
    assert initiatives and bodies
    page = Page(get(f"{site}/doc/resolution/a-res-60-227/para/18.html").text)
    for thing in initiatives | bodies:
        assert "/doc/" + str(thing).removeprefix(BASE + "id/") + ".html" in page.links


def test_landing_page(site, union, dist):
    page = Page(get(f"{site}/").text)
    events = set(union.subjects(RDF.type, SCHEMA.Event))
    assert f"<strong>{len(events)}</strong>" in page.text
    triples = json.loads((dist / "manifest.json").read_text())["triples"]
    assert f"<strong>{triples:,}</strong>" in page.text
    for link in ("/sparql", "/calendar", "/bodies", "/doc/themes.html", "/doc/def.html",
                 "/doc/resolution/a-res-60-227.html", "/download/hld2006.ttl"):
        assert link in page.links, link
    data = json.loads(page.jsonld[0])  # the catalogue's schema.org Dataset
    assert data["@type"] == "Dataset"
    for link in page.links:  # every link of the landing page leads somewhere
        if link.startswith("/"):
            assert get(urljoin(site, link), "*/*").status_code in {200, 303}, link


def test_the_french_landing_page_writes_numbers_the_french_way(site, dist):
    """3\u202f695 triplets, not 3,695 (a decimal comma in French), with ': ' spaced as the
    other French lines of the page are ("Calendrier\u202f:", not "Calendrier:")."""
    text = get(f"{site}/?lang=fr").text
    triples = json.loads((dist / "manifest.json").read_text())["triples"]
    assert triples >= 1000
    assert f"<strong>{triples:,}</strong>".replace(",", "\u202f") in text
    assert f"{triples:,}" not in text
    assert "Calendrier\u202f:" in text and "Calendrier:" not in text


def test_a_pages_values_are_in_one_order_whatever_order_the_store_gave(settings, dist):
    """Two values with the same text (Madrid@en, Madrid@fr) were listed in the order the
    store's CONSTRUCT gave them, which differs between processes: two front ends (or one
    restarted) served different bytes under one ETag."""
    from hldgraph.store import open_store
    from hldgraph.web import create_app
    from hldgraph.web.thing import Thing

    s = settings.with_(dist_dir=dist)
    iri = URIRef(BASE + "id/place/madrid")
    names = [Literal("Madrid", lang="en"), Literal("Madrid", lang="fr")]
    with open_store(s, dist / "hld2006.nq") as store:
        app = create_app(s, store)
        with app.test_request_context("/doc/place/madrid.html"):
            shown = []
            for given in (names, names[::-1]):
                g = Graph()
                for name in given:
                    g.add((iri, SCHEMA.name, name))
                shown.append([(v.text, v.lang) for v in Thing(str(iri), g, "en").out(SCHEMA.name)])
    assert shown[0] == shown[1] == [("Madrid", "en"), ("Madrid", "fr")]


def test_lists_of_bodies_and_places(site, union):
    bodies = set(union.subjects(RDF.type, URIRef("http://www.w3.org/ns/org#Organization")))
    links = Page(get(f"{site}/bodies").text).links
    assert {"/doc/" + str(b).removeprefix(BASE + "id/") + ".html" for b in bodies} <= set(links)
    places = set(union.subjects(RDF.type, SCHEMA.Place))
    links = Page(get(f"{site}/places").text).links
    assert {"/doc/" + str(p).removeprefix(BASE + "id/") + ".html" for p in places} <= set(links)


# --- the calendar ---------------------------------------------------------------------------

def _events_where(union: Graph, test) -> list[URIRef]:
    return [e for e in union.subjects(RDF.type, SCHEMA.Event) if test(e)]


def _page_of(thing: URIRef) -> str:
    return "/doc/" + str(thing).removeprefix(BASE + "id/") + ".html"


def _start(union: Graph, page_link: str):
    return union.value(URIRef(BASE + "id/" + page_link[len("/doc/"):-len(".html")]),
                       SCHEMA.startDate).toPython()


def test_calendar_lists_every_event_by_date(site, union):
    page = Page(get(f"{site}/calendar").text)
    events = _events_where(union, lambda e: True)
    assert sorted(page.row_events) == sorted(_page_of(e) for e in events)
    dates = [_start(union, link) for link in page.row_events]
    assert dates == sorted(dates)


@pytest.mark.parametrize("query, test", [
    ("city=geneva", lambda u, e: (e, SCHEMA.location, URIRef(BASE + "id/place/geneva")) in u),
    ("body=iom", lambda u, e: URIRef(BASE + "id/org/iom") in set(u.objects(e, SCHEMA.organizer))
     | set(u.objects(e, SCHEMA.sponsor))),
    ("month=5", lambda u, e: u.value(e, SCHEMA.startDate).toPython().month <= 5
     <= u.value(e, SCHEMA.endDate).toPython().month),
])
def test_calendar_filters(site, union, query, test):
    page = Page(get(f"{site}/calendar?{query}").text)
    expected = _events_where(union, lambda e: test(union, e))
    assert expected and len(expected) < len(_events_where(union, lambda e: True))
    assert sorted(page.row_events) == sorted(_page_of(e) for e in expected)
    timeline = get(f"{site}/calendar/timeline.svg?{query}").text
    assert timeline.count('class="bar"') == len(expected)


def test_calendar_filter_by_theme_includes_sub_points(site, union):
    area = URIRef(BASE + "id/theme/migration-and-development")
    points = set(union.objects(area, SKOS.narrower))
    expected = _events_where(union, lambda e: bool(set(union.objects(e, SCHEMA.about))
                                                   & ({area} | points)))
    page = Page(get(f"{site}/calendar?theme=migration-and-development").text)
    assert points and expected
    assert sorted(page.row_events) == sorted(_page_of(e) for e in expected)


@pytest.mark.parametrize("query, name", [("month=13", "month"), ("city=atlantis", "city"),
                                         ("body=nobody", "body"), ("colour=pink", "colour")])
def test_calendar_bad_filter_is_400_naming_it(site, query, name):
    r = get(f"{site}/calendar?{query}", "application/json")
    assert r.status_code == 400 and r.json()["error"].startswith(name + "=")
    assert get(f"{site}/calendar?{query}").status_code == 400


@pytest.mark.parametrize("path", ["/?lang=xx", "/calendar?lang=de", "/doc/event/7.html?lang=xx",
                                  "/search?q=iom&lang=xx", "/bodies?lang=xx",
                                  "/reconcile/suggest/entity?prefix=gen&lang=xx"])
def test_an_unknown_lang_is_a_400_naming_it(site, path):
    """?lang= other than en or fr was ignored (the page in Accept-Language's language, a 200):
    a typo'd link never said so. A browser gets the error page, a machine the error JSON."""
    r = get(site + path, "application/json")
    assert r.status_code == 400 and r.json()["error"].startswith("lang="), r.text
    page = get(site + path)
    assert page.status_code == 400 and "lang=" in page.text
    assert get(site + path.replace("xx", "fr").replace("de", "fr")).status_code == 200


def test_calendar_form_works_without_javascript(site):
    html = get(f"{site}/calendar").text
    assert '<form class="filters" method="get"' in html
    for name in ("month", "city", "body", "theme"):
        assert f'<select name="{name}"' in html
    page = Page(get(f"{site}/calendar?city=geneva&lang=fr").text)
    assert page.lang == "fr" and 'value="geneva" selected' in page.text


def test_chart_downloads(site):
    import xml.etree.ElementTree as ET

    for name in ("timeline", "map"):
        svg = get(f"{site}/calendar/{name}.svg")
        assert svg.headers["Content-Type"].startswith("image/svg+xml")
        ET.fromstring(svg.content)
        png = get(f"{site}/calendar/{name}.png")
        assert png.headers["Content-Type"] == "image/png"
        assert png.content.startswith(b"\x89PNG\r\n\x1a\n")
    assert get(f"{site}/calendar/pie.svg").status_code == 404


IOM_IRI = BASE + "id/org/iom"


@pytest.mark.parametrize(("path", "name"), [
    ("/calendar?month=5&month=6", "month"), ("/calendar.json?city=geneva&city=paris", "city"),
    ("/sparql?query=ASK%7B%7D&query=ASK%7B%7D", "query"),
    ("/search.json?q=iom&q=geneva", "q"), ("/search?q=iom&limit=1&limit=2", "limit"),
    ("/search.json?q=iom&typing=1&typing=0", "typing"), ("/bodies?lang=fr&lang=en", "lang"),
    ("/doc/event/7.html?lang=fr&lang=fr", "lang"), ("/search?q=iom&lang=en&lang=fr", "lang"),
    ("/reconcile?queries=%7B%7D&queries=%7B%7D", "queries"),
    ("/reconcile/properties?limit=1&limit=2", "limit"),
    ("/reconcile/properties?type=place&type=event", "type"),
    ("/reconcile/suggest/entity?prefix=gen&prefix=iom", "prefix"),
    ("/reconcile/suggest/entity?prefix=gen&cursor=0&cursor=1", "cursor"),
    (f"/reconcile/preview?id={IOM_IRI}&id={IOM_IRI}", "id"),
])
def test_a_single_valued_parameter_given_twice_is_a_400_naming_it(site, path, name):
    """A second value is refused, never silently dropped: search, the pages' ?lang= and the
    reconciliation service used the first, where the calendar and /sparql said so."""
    r = get(site + path, "application/json")
    assert r.status_code == 400, r.text
    assert r.json()["error"].startswith(f"{name} is given 2 times"), r.json()
    assert get(site + path).status_code == 400  # a browser gets the error page


def test_a_reconciliation_batch_in_the_url_and_the_form_is_given_twice(site):
    r = requests.post(site + "/reconcile?queries=%7B%7D", data={"queries": "{}"}, timeout=30)
    assert r.status_code == 400 and r.json()["error"].startswith("queries is given 2 times")


@pytest.mark.parametrize("path", [
    "/search.json?q=gen&type=event&type=place", f"/search/labels?iri={IOM_IRI}&iri={BASE}",
    "/reconcile/suggest/entity?prefix=gen&type=place&type=event",
    "/sparql?query=ASK%7B%7D&default-graph-uri=https://w3id.org/hld2006/graph/source"
    "&default-graph-uri=https://w3id.org/hld2006/graph/editorial",
])
def test_parameters_that_repeat_by_design_still_do(site, path):
    assert get(site + path, "application/json").status_code == 200


@pytest.mark.parametrize("name", ["calendar.csv", "calendar.ics"])
@pytest.mark.parametrize("query", ["month=5", "city=geneva", "body=iom&month=05",
                                   "theme=migration-and-development"])
def test_a_calendar_filter_on_a_whole_calendar_file_is_a_400_saying_where(site, name, query):
    """The files are the build's (every event, checksums in the catalogue): a filter they
    would ignore is refused, naming it and the URL of the filtered data."""
    r = get(f"{site}/{name}?{query}&lang=fr", "application/json")
    assert r.status_code == 400, r.text
    message = r.json()["error"]
    filters = parse_qs(query)
    assert message.startswith(next(iter(filters)) + "="), message
    for key, values in filters.items():
        assert f"{key}={values[0]}" in message
    twin = re.search(r"/calendar\.json\?[^ ;,)]+", message)
    assert twin, message
    assert parse_qs(urlparse(twin.group(0)).query) == filters
    assert requests.get(site + twin.group(0), timeout=30).status_code == 200
    assert get(site + twin.group(0).replace(".json", "")).status_code == 200


@pytest.mark.parametrize("name", ["calendar.csv", "calendar.ics"])
def test_a_whole_calendar_file_takes_lang_an_empty_filter_and_other_parameters(site, name):
    whole = get(f"{site}/{name}", "*/*")
    assert whole.status_code == 200
    for query in ("lang=fr", "month=", "month=&city=", "colour=theme", "utm_source=feed"):
        r = get(f"{site}/{name}?{query}", "*/*")
        assert r.status_code == 200 and r.content == whole.content, query


@pytest.mark.parametrize("path", ["/calendar/foo.svg", "/calendar/pie.png", "/calendar/map.gif"])
def test_an_unknown_chart_is_a_404_naming_the_charts(site, path):
    r = get(site + path, "application/json")
    assert r.status_code == 404
    message = r.json()["error"]
    assert "IRI" not in message and path.rsplit("/", 1)[-1] in message, message
    for chart in ("timeline.svg", "timeline.png", "map.svg", "map.png"):
        assert f"/calendar/{chart}" in message, message


def test_303_keeps_the_language_asked(site):
    r = get(f"{site}/id/event/7?lang=fr")
    assert parse_qs(urlparse(r.headers["Location"]).query) == {"lang": ["fr"]}


@pytest.mark.parametrize("path", ["/", "/calendar", "/bodies", "/places", "/doc/event/7.html",
                                  "/doc/graph/source.html", "/calendar/timeline.svg",
                                  "/calendar/map.png", "/id/event/nothing"])
def test_what_depends_on_accept_language_says_so(site, path):
    """Content-Language names the language chosen and Vary the header that chose it, so that
    each language is its own representation (RFC 9110 §8.8.3, §12.5.5)."""
    for lang in ("fr", "en"):
        r = get(site + path, headers={"Accept-Language": f"{lang}, *;q=0.1"})
        assert r.headers["Content-Language"] == lang, path
        assert "Accept-Language" in r.headers["Vary"], path


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_a_filtered_calendar_says_its_files_are_the_whole_calendar(site, lang):
    """/calendar.ics and /calendar.csv are the build's files of every event: they take no
    filter (a filter is refused, above), so a filtered calendar page labels its
    links to them as the whole calendar, where an unfiltered page just offers them."""
    from hldgraph.web.i18n import LANGS, MESSAGES

    whole = MESSAGES["whole_calendar_as"][LANGS.index(lang)]
    filtered = get(f"{site}/calendar?city=geneva&lang={lang}").text
    shown = re.search(r'<p class="shown" id="shown">(.*?)</p>', filtered, re.S)
    assert shown and whole in shown.group(1), shown
    assert 'href="/calendar.ics"' in shown.group(1) and 'href="/calendar.csv"' in shown.group(1)
    every = get(f"{site}/calendar?lang={lang}").text
    assert whole not in every
