"""Dereferenceable IRIs, their data documents, and the HTML pages of the graph.

URL scheme (one builder: :meth:`hldgraph.urls.Iris.document`); paths are those after the base IRI,
whatever host or proxy serves them:

- ``/id/{path}`` names a thing; it answers 303 See Other to ``/doc/{path}.html`` for browsers and
  to ``/doc/{path}.ttl`` (``.jsonld``, ``.nt``, ``.rdf``) for RDF clients, chosen by ``Accept``.
- ``/def/`` and ``/def/{Term}`` name the ontology and its terms; they answer 303 to the one
  ontology document, ``/doc/def.html#Term`` or ``/doc/def.ttl`` (…).
- ``/doc/…`` are the documents; they answer directly, in the format their extension names.
- ``/`` is the landing page; ``/calendar`` the calendar (with its charts at
  ``/calendar/timeline.svg|png`` and ``/calendar/map.svg|png``); ``/bodies`` and ``/places`` list
  the bodies and venues.

Pages ask the store only (``Store.query`` and ``Store.describe``); what every page needs (labels,
the calendar's events, places, themes) is read once per loaded build and kept.
"""

from __future__ import annotations

import hashlib
import re
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from flask import Blueprint, Response, current_app, render_template, request
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, OWL, PROV, RDF, RDFS, SKOS

from hldgraph import charts, dist
from hldgraph.calendar import Event, events_query, read_events
from hldgraph.distributions import GRAPH_DUMPS, ONTOLOGY_PAGE
from hldgraph.errors import HldgraphError
from hldgraph.formats import MediaType, negotiate, offered, serialize_graph
from hldgraph.labels import LABELS, pick, read_labels
from hldgraph.urls import ELI, ORG, PREFIXES, SCHEMA, Iris
from hldgraph.web.http import error_response, get_settings, get_store, wants_html
from hldgraph.web.i18n import LANGS, choose_lang, date_span, month_name, translate
from hldgraph.web.schema_dataset import dataset_jsonld

bp = Blueprint("resources", __name__)

#: Data documents by extension: ttl, jsonld, nt, rdf.
DATA_FORMATS: dict[str, MediaType] = {m.extension: m for m in offered("construct")}
HTML = next(m for m in offered("construct", html=True) if m.name == "html")
#: What a path after /id/ may hold; anything else names nothing here.
_SAFE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._~/-]*")
FIRST_MONTH, LAST_MONTH, YEAR = 2, 9, 2006
#: The graph's own dumps (the calendar files are linked on their own).
DUMPS = GRAPH_DUMPS
OSM = "https://www.openstreetmap.org/?mlat={lat}&mlon={lon}#map=11/{lat}/{lon}"


# --- queries, prepared once per application -------------------------------------------------

def _prologue(base: str) -> str:
    names = {**{p: str(ns) for p, ns in PREFIXES.items()}, "hld": base + "def/"}
    return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in sorted(names.items()))


_PLACES = """SELECT ?place ?lat ?lon ?country WHERE { ?place a schema:Place
  OPTIONAL { ?place schema:latitude ?lat ; schema:longitude ?lon }
  OPTIONAL { ?place schema:addressCountry ?country } }"""
_BODIES = """SELECT ?body ?type ?parent WHERE { ?body a org:Organization
  OPTIONAL { ?body org:classification ?type } OPTIONAL { ?body org:subOrganizationOf ?parent } }"""
_THEMES = """SELECT ?c ?notation ?broader WHERE { ?c skos:inScheme <{themes}>
  OPTIONAL { ?c skos:notation ?notation } OPTIONAL { ?c skos:broader ?broader } }"""
_PARAGRAPHS = """SELECT ?p ?n WHERE { ?p a eli:LegalResourceSubdivision ; eli:number ?n }"""
# DISTINCT: a triple in two named graphs is one triple of the union
_COUNT = "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }"
_EXISTS = "ASK { <{iri}> ?p ?o }"
_TERM_EXISTS = "ASK { GRAPH <{graph}> { <{iri}> ?p ?o } }"
_ONTOLOGY = "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH <{graph}> { ?s ?p ?o } }"
#: graph/catalog and the leaflet's title: what the schema.org Dataset markup is made from.
_RECORD = """CONSTRUCT { ?s ?p ?o . <{leaflet}> dct:title ?title } WHERE {
  { GRAPH <{graph}> { ?s ?p ?o } } UNION { <{leaflet}> dct:title ?title } }"""
_PARAGRAPH_BODIES = """SELECT DISTINCT ?body WHERE {
  ?i hld:envisagedBy <{iri}> ; hld:involves ?body }"""


@dataclass
class Site:
    """What is fixed for the life of the application: the IRIs and the query texts."""

    iris: Iris
    prologue: str
    lock: threading.Lock = field(default_factory=threading.Lock)
    indexes: dict[str, Index] = field(default_factory=dict)

    def q(self, text: str, **iris: str) -> str:
        for name, iri in iris.items():
            text = text.replace("{" + name + "}", iri)
        return self.prologue + text


@bp.record_once
def _setup(state: Any) -> None:
    base = state.app.extensions["hldgraph"]["settings"].base_iri
    state.app.extensions["hldgraph.resources"] = Site(Iris(base), _prologue(base))


def site() -> Site:
    return current_app.extensions["hldgraph.resources"]


def iris() -> Iris:
    return site().iris


# --- what every page needs, read once per build ---------------------------------------------

@dataclass
class Place:
    iri: str
    slug: str
    latitude: float | None
    longitude: float | None
    country: str = ""


@dataclass
class Theme:
    iri: str
    slug: str
    notation: str
    broader: str = ""


@dataclass
class Index:
    """Labels, events, places, bodies and themes of the loaded build."""

    labels: dict[str, dict[str, str]]
    events: list[Event]
    places: dict[str, Place]
    bodies: dict[str, tuple[str, str]]  # iri -> (type iri, parent iri)
    themes: list[Theme]
    triples: int

    def label(self, iri: str, lang: str) -> str:
        """The thing's label in ``lang`` by the one rule (:func:`hldgraph.labels.pick`)."""
        return pick(self.labels, iri, lang)

    def area_of(self, theme: str) -> str:
        """The thematic area of a theme (itself, or the area of a sub-point)."""
        return next((t.broader or t.iri for t in self.themes if t.iri == theme), theme)

    def areas(self) -> list[Theme]:
        return [t for t in self.themes if not t.broader]

    def events_where(self, test: Callable[[Event], bool]) -> list[Event]:
        return [e for e in self.events if test(e)]


def _read_index(s: Site) -> Index:
    store = get_store()
    labels = read_labels(store.query(LABELS).rows)
    for row in store.query(s.q(_PARAGRAPHS)).rows:
        labels[str(row["p"])] = {lang: f"A/RES/60/227, {translate('para_short', lang)} {row['n']}"
                                 for lang in LANGS}
    return Index(labels, _read_events(s), _read_places(s), _read_bodies(s), _read_themes(s),
                 int(store.query(s.q(_COUNT)).rows[0]["n"]))


def _read_events(s: Site) -> list[Event]:
    return read_events(get_store().query(events_query(s.iris)).rows)


def _read_places(s: Site) -> dict[str, Place]:
    places = {}
    for row in get_store().query(s.q(_PLACES)).rows:
        iri = str(row["place"])
        lat, lon = row.get("lat"), row.get("lon")
        places[iri] = Place(iri, iri.rsplit("/", 1)[-1], float(lat) if lat is not None else None,
                            float(lon) if lon is not None else None, str(row.get("country", "")))
    return places


def _read_bodies(s: Site) -> dict[str, tuple[str, str]]:
    return {str(r["body"]): (str(r.get("type", "")), str(r.get("parent", "")))
            for r in get_store().query(s.q(_BODIES)).rows}


def _read_themes(s: Site) -> list[Theme]:
    themes = []
    prefix = s.iris.theme("")
    for row in get_store().query(s.q(_THEMES, themes=s.iris("id/themes"))).rows:
        iri = str(row["c"])
        themes.append(Theme(iri, iri.removeprefix(prefix), str(row.get("notation", "")),
                            str(row.get("broader", ""))))
    return sorted(themes, key=lambda t: [int(n) for n in re.findall(r"\d+", t.notation)])


def index() -> Index:
    """The index of the loaded build, read on first use and kept while the build is served."""
    s, digest = site(), get_store().digest
    with s.lock:
        if digest not in s.indexes:
            s.indexes.clear()
            s.indexes[digest] = _read_index(s)
        return s.indexes[digest]


# --- links ----------------------------------------------------------------------------------

def _lang_query() -> str:
    asked = request.args.get("lang", "")
    return f"?lang={asked}" if asked in LANGS else ""


def local(path: str, keep_lang: bool = True) -> str:
    """The URL of a path of this site, behind whatever prefix the proxy mounts it at."""
    return f"{request.script_root}/{path.lstrip('/')}" + (_lang_query() if keep_lang else "")


def href(iri: str) -> str:
    """Where a browser follows an IRI: a thing's page here, anything else as it is."""
    i = iris()
    if i.is_local(iri) and i.path_of(iri).startswith("def/"):  # a term: its section
        return local(i.document(iri, "html")) + "#" + i.path_of(iri)[len("def/"):]
    try:
        return local(i.document(iri, "html"))
    except ValueError:
        return local(i.path_of(iri)) if i.is_local(iri) else str(iri)


def canonical(path: str) -> str:
    """The public URL of a path, under the base IRI."""
    return iris().base + path.lstrip("/")


def alternates(iri: str) -> list[dict[str, str]]:
    """Every document of a thing: its page and its data in each format."""
    i = iris()
    return [{"href": local(i.document(iri, m.extension), keep_lang=False), "type": m.mime,
             "name": m.extension} for m in (*DATA_FORMATS.values(), HTML)]


def _link_header(iri: str, current: str) -> str:
    links = [f'<{a["href"]}>; rel="alternate"; type="{a["type"]}"'
             for a in alternates(iri) if a["name"] != current]
    return ", ".join([*links, f'<{iri}>; rel="describes"'])


# --- dereferencing ----------------------------------------------------------------------------

def exists(iri: str) -> bool:
    return bool(get_store().query(site().q(_EXISTS, iri=iri)).boolean)


def _checked_thing(path: str) -> URIRef:
    """The IRI of a thing under /id/, or a 404."""
    iri = iris().iri_of(path)
    if not _SAFE.fullmatch(path) or not exists(iri):
        raise NotFound(iri)
    return iri


class NotFound(HldgraphError):
    """An IRI or document of this site that names nothing in the graph."""

    status = 404

    def __init__(self, iri: str) -> None:
        super().__init__(f"nothing in this graph has the IRI <{iri}>")
        self.iri = iri


@bp.errorhandler(NotFound)
def _not_found(e: NotFound) -> Response:
    if not wants_html():
        return error_response(e.message, 404)
    lang = choose_lang()
    return Response(_render("notfound.html", lang, iri=e.iri,
                                    title=translate("not_found", lang), hint=_hint(e.iri)),
                    404, content_type=HTML.content_type)


def _hint(iri: str) -> dict[str, str] | None:
    """Where to look for what an unknown IRI seems to be after."""
    i = iris()
    kind = i.path_of(iri).split("/")[1] if i.is_local(iri) and "/" in i.path_of(iri) else ""
    where = {"event": "calendar", "org": "bodies", "place": "places", "theme": "themes"}
    return {"key": where[kind], "href": _entry(where[kind])} if kind in where else None


def _see_other(iri: str, fragment: str = "") -> Response:
    media = negotiate(request.headers.get("Accept"), "construct", html=True)
    target = local(iris().document(iri, media.extension), keep_lang=media is HTML)
    rv = Response(status=303)
    rv.headers["Location"] = target + (f"#{fragment}" if fragment and media is HTML else "")
    rv.headers["Vary"] = "Accept"
    rv.headers["Link"] = _link_header(iri, "")
    return rv


@bp.get("/id/<path:rest>")
def thing(rest: str) -> Response:
    return _see_other(_checked_thing("id/" + rest))


@bp.get("/def", defaults={"term": ""})
@bp.get("/def/", defaults={"term": ""})
@bp.get("/def/<term>")
def ontology_term(term: str) -> Response:
    i = iris()
    iri = i("def/" + term)
    if term and (not _SAFE.fullmatch(term) or not get_store().query(
            site().q(_TERM_EXISTS, graph=i.graph("ontology"), iri=iri)).boolean):
        raise NotFound(iri)
    return _see_other(i("def/"), fragment=term)


@bp.get("/doc/<path:rest>")
def document(rest: str) -> Response:
    i = iris()
    found = i.topic_of("doc/" + rest)
    if found is None:  # no extension: the thing itself, negotiated
        if rest in {"def", "def/"}:
            return ontology_term("")
        return _see_other(_checked_thing("id/" + rest.rstrip("/")))
    iri, extension = found
    if extension != "html" and extension not in DATA_FORMATS:
        raise NotFound(iri)
    if iri == i("def/"):
        return _ontology_document(extension)
    iri = _checked_thing(i.path_of(iri))
    if extension == "html":
        return page(iri)
    return _data_document(iri, DATA_FORMATS[extension], get_store().describe(iri))


def _data_document(iri: str, media: MediaType, graph: Graph) -> Response:
    doc = iris().document_iri(iri, media.extension)
    graph.bind("hld", iris().hld)
    graph.add((doc, FOAF.primaryTopic, URIRef(iri)))
    rv = Response(serialize_graph(graph, media), content_type=media.content_type)
    rv.headers["Link"] = _link_header(iri, media.extension)
    return rv


def _ontology_document(extension: str) -> Response:
    i = iris()
    graph = get_store().query(site().q(_ONTOLOGY, graph=i.graph("ontology"))).graph
    if extension != "html":
        return _data_document(i("def/"), DATA_FORMATS[extension], graph)
    folder = dist.last_good(Path(get_settings().dist_dir))
    if folder is None or not (folder / ONTOLOGY_PAGE).exists():
        raise NotFound("the ontology page is written by `hldgraph build`: no build to serve")
    rv = Response((folder / ONTOLOGY_PAGE).read_text(encoding="utf-8"),
                  content_type=HTML.content_type)
    rv.headers["Link"] = _link_header(i("def/"), "html")
    return rv


# --- pages ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Value:
    """A value shown on a page: a link (IRI) or a text (literal)."""

    text: str
    href: str = ""
    lang: str = ""
    iri: str = ""


class Thing:
    """What the graph says of one IRI (from ``Store.describe``), in the page's language."""

    def __init__(self, iri: str, graph: Graph, lang: str) -> None:
        self.iri, self.graph, self.lang = URIRef(iri), graph, lang
        self.index = index()
        self.label = self.index.label(iri, lang)

    def value(self, term: Any) -> Value:
        if isinstance(term, URIRef):
            return Value(self.index.label(term, self.lang), href(term), iri=str(term))
        return Value(str(term), lang=getattr(term, "language", None) or "")

    def out(self, p: URIRef) -> list[Value]:
        return self._sorted(self.graph.objects(self.iri, p))

    def inc(self, p: URIRef) -> list[Value]:
        return self._sorted(self.graph.subjects(p, self.iri))

    def _sorted(self, terms: Iterable[Any]) -> list[Value]:
        return sorted((self.value(t) for t in terms), key=lambda v: _natural(v.text))

    def text(self, p: URIRef) -> str:
        """The value of ``p`` in the page's language, else another."""
        values = list(self.graph.objects(self.iri, p))
        for lang in (self.lang, *LANGS, None):
            for v in values:
                if isinstance(v, Literal) and v.language == lang:
                    return str(v)
        return str(values[0]) if values else ""

    def texts(self, p: URIRef, lang: str) -> str:
        return next((str(v) for v in self.graph.objects(self.iri, p)
                     if isinstance(v, Literal) and v.language == lang), "")

    def has_type(self, t: URIRef) -> bool:
        return (self.iri, RDF.type, t) in self.graph

    def statements(self) -> list[tuple[Value, list[Value]]]:
        """Every property of the thing with its values, for the table at the foot of a page."""
        props = sorted(set(self.graph.predicates(self.iri)), key=iris().curie)
        return [(self.property(p), self.out(p)) for p in props]

    def backlinks(self) -> list[tuple[Value, list[Value]]]:
        props = sorted(set(self.graph.predicates(None, self.iri)), key=iris().curie)
        return [(self.property(p), self.inc(p)) for p in props]

    @staticmethod
    def property(p: URIRef) -> Value:
        return Value(iris().curie(p), href(p), iri=str(p))


def _natural(text: str) -> list[Any]:
    """Sorts 'para 9' before 'para 10' and '17a' after '17'."""
    return [int(part) if part.isdigit() else part.casefold()
            for part in re.split(r"(\d+)", text)]


def kind_of(iri: str) -> str:
    """The kind of a thing from its IRI: event, org, place, paragraph, theme, …"""
    path = iris().path_of(iri).split("/")
    if path[1] == "resolution" and "para" in path:
        return "paragraph"
    return path[1]


def page(iri: str) -> Response:
    lang, kind = choose_lang(), kind_of(iri)
    t = Thing(iri, get_store().describe(iri), lang)
    extra = PAGES.get(kind, lambda t: {})(t)
    context = {"thing": t, "kind": kind, "title": t.label,
               "alternates": alternates(iri), "jsonld": schema_org(t, kind), **extra}
    html = _render(TEMPLATES.get(kind, "resource.html"), lang, **context)
    return _page_response(html, lang, _link_header(iri, "html"))


def _page_response(html: str, lang: str, link: str = "") -> Response:
    rv = Response(html, content_type=HTML.content_type)
    rv.headers["Content-Language"] = lang
    rv.headers["Vary"] = "Accept, Accept-Language"
    if link:
        rv.headers["Link"] = link
    # the app's ETag covers the URL and the media type; a page also varies with its language
    variant = "\n".join((get_store().digest, request.full_path, lang))
    rv.set_etag(hashlib.sha256(variant.encode()).hexdigest()[:32])
    return rv.make_conditional(request)


def _render(template: str, lang: str, **context: Any) -> str:
    return render_template(template, **{**_common(lang), **context})


def _common(lang: str) -> dict[str, Any]:
    """What the layout of every page needs."""
    other = LANGS[1 - LANGS.index(lang)]
    args = {**request.args.to_dict(), "lang": other}
    return {"lang": lang, "t": lambda key, **v: translate(key, lang, **v),
            "href": href, "local": local, "entry": _entry, "index": index(),
            "label": lambda iri: index().label(iri, lang),
            "span": lambda e: date_span(e.start, e.end, lang),
            "switch_url": f"{request.script_root}{request.path}?{urlencode(args)}",
            "alternates": [], "jsonld": None, "iris": iris(), **_NAMESPACES,
            "HLD": iris().hld}


#: Vocabularies that templates name properties with (``thing.out(S.organizer)``).
_NAMESPACES = {"S": SCHEMA, "SKOS": SKOS, "ORG": ORG, "ELI": ELI, "DCT": DCTERMS, "OWL": OWL,
               "RDFS": RDFS, "PROV": PROV}


def _entry(name: str) -> str:
    """The URL of an entry point of the site."""
    i = iris()
    paths = {"home": "", "calendar": "calendar", "bodies": "bodies", "places": "places",
             "themes": i.document(i("id/themes"), "html"),
             "resolution": i.document(i.resolution, "html"),
             "leaflet": i.document(i("id/document/leaflet"), "html"),
             "hld": i.document(i.event("50"), "html"),
             "ontology": i.document(i("def/"), "html"),
             "dataset": i.document(i("id/dataset/hld2006"), "html"),
             "sparql": "sparql"}
    return local(paths[name], keep_lang=name != "sparql")


# --- what each kind of page adds -------------------------------------------------------------

def _org(t: Thing) -> dict[str, Any]:
    iri = str(t.iri)
    return {"organised": index().events_where(lambda e: iri in e.organizers),
            "sponsored": index().events_where(lambda e: iri in e.sponsors)}


def _place(t: Thing) -> dict[str, Any]:
    p = index().places.get(str(t.iri))
    osm = OSM.format(lat=p.latitude, lon=p.longitude) if p and p.latitude is not None else ""
    return {"events": index().events_where(lambda e: e.venue == str(t.iri)), "place": p,
            "osm": osm}


def _theme(t: Thing) -> dict[str, Any]:
    iri, ix = str(t.iri), index()
    return {"events": ix.events_where(lambda e: any(iri in (th, ix.area_of(th))
                                                    for th in e.themes))}


def _paragraph(t: Thing) -> dict[str, Any]:
    rows = get_store().query(site().q(_PARAGRAPH_BODIES, iri=str(t.iri))).rows
    return {"bodies": sorted((t.value(r["body"]) for r in rows), key=lambda v: v.text)}


def _event(t: Thing) -> dict[str, Any]:
    e = next((e for e in index().events if e.iri == str(t.iri)), None)
    return {"event": e}


def _scheme(t: Thing) -> dict[str, Any]:
    top = {v.iri: v for v in (*t.out(SKOS.hasTopConcept), *t.inc(SKOS.topConceptOf))}
    members = {v.iri: v for v in t.inc(SKOS.inScheme)}
    narrower = {th.iri: [members[n.iri] for n in index().themes if n.broader == th.iri
                         and n.iri in members] for th in index().themes}
    order = {th.iri: i for i, th in enumerate(index().themes)}
    tops = sorted(top.values() or members.values(), key=lambda v: (order.get(v.iri, 0),
                                                                     _natural(v.text)))
    return {"tops": [(v, narrower.get(v.iri, [])) for v in tops]}


#: The template of each kind of page (others: resource.html, the plain list of statements).
TEMPLATES = {**{k: f"{k}.html" for k in ("event", "org", "place", "resolution", "paragraph",
                                         "initiative", "theme")},
             **{k: "scheme.html" for k in ("themes", "body-types", "event-categories")}}

PAGES: dict[str, Callable[[Thing], dict[str, Any]]] = {
    "event": _event, "org": _org, "place": _place, "theme": _theme, "paragraph": _paragraph,
    "themes": _scheme, "body-types": _scheme, "event-categories": _scheme,
}


# --- schema.org markup ---------------------------------------------------------------------

def _ref(t: Thing, v: Value, type_: str) -> dict[str, str]:
    return {"@type": type_, "@id": v.iri, "name": v.text}


def schema_org(t: Thing, kind: str) -> dict[str, Any]:
    """The thing as schema.org JSON-LD, for search engines."""
    i = iris()
    rv: dict[str, Any] = {"@context": "https://schema.org", "@id": str(t.iri), "name": t.label,
                          "url": canonical(i.document(t.iri, "html")),
                          "inLanguage": t.lang}
    rv.update(_SCHEMA.get(kind, lambda t: {"@type": "Thing"})(t))
    return {k: v for k, v in rv.items() if v not in (None, "", [])}


def _schema_event(t: Thing) -> dict[str, Any]:
    place = next(iter(t.out(SCHEMA.location)), None)
    return {"@type": "Event", "startDate": t.text(SCHEMA.startDate),
            "endDate": t.text(SCHEMA.endDate),
            "location": _ref(t, place, "Place") if place else None,
            "organizer": [_ref(t, v, "Organization") for v in t.out(SCHEMA.organizer)],
            "sponsor": [_ref(t, v, "Organization") for v in t.out(SCHEMA.sponsor)],
            "superEvent": [_ref(t, v, "Event") for v in t.out(SCHEMA.superEvent)],
            "subEvent": [_ref(t, v, "Event") for v in t.out(SCHEMA.subEvent)],
            "about": [_ref(t, v, "DefinedTerm") for v in t.out(SCHEMA.about)],
            "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode"}


def _schema_org(t: Thing) -> dict[str, Any]:
    return {"@type": "Organization",
            "alternateName": [v.text for v in t.out(SKOS.altLabel)],
            "sameAs": [v.iri for v in t.out(OWL.sameAs)],
            "parentOrganization": [_ref(t, v, "Organization")
                                   for v in t.out(ORG.subOrganizationOf)],
            "subOrganization": [_ref(t, v, "Organization")
                                for v in t.out(ORG.hasSubOrganization)]}


def _schema_place(t: Thing) -> dict[str, Any]:
    lat, lon = t.text(SCHEMA.latitude), t.text(SCHEMA.longitude)
    return {"@type": "Place", "sameAs": [v.iri for v in t.out(SCHEMA.sameAs)],
            "geo": {"@type": "GeoCoordinates", "latitude": float(lat), "longitude": float(lon)}
            if lat and lon else None,
            "address": {"@type": "PostalAddress", "addressCountry": t.text(SCHEMA.addressCountry)}
            if t.text(SCHEMA.addressCountry) else None}


def _schema_legislation(t: Thing) -> dict[str, Any]:
    return {"@type": "Legislation", "legislationIdentifier": t.text(ELI.id_local),
            "legislationDate": t.text(ELI.date_document),
            "text": t.text(DCTERMS.description),
            "isPartOf": [_ref(t, v, "Legislation") for v in t.out(ELI.is_part_of)],
            "hasPart": [_ref(t, v, "Legislation") for v in t.out(ELI.has_part)]}


def _schema_term(t: Thing) -> dict[str, Any]:
    return {"@type": "DefinedTerm", "termCode": t.text(SKOS.notation),
            "description": t.text(SKOS.definition),
            "inDefinedTermSet": [_ref(t, v, "DefinedTermSet") for v in t.out(SKOS.inScheme)]}


def _schema_scheme(t: Thing) -> dict[str, Any]:
    return {"@type": "DefinedTermSet",
            "hasDefinedTerm": [_ref(t, v, "DefinedTerm") for v in t.inc(SKOS.inScheme)]}


def _schema_work(t: Thing) -> dict[str, Any]:
    return {"@type": "CreativeWork", "description": t.text(DCTERMS.description),
            "datePublished": t.text(DCTERMS.issued),
            "publisher": [_ref(t, v, "Organization") for v in t.out(DCTERMS.publisher)],
            "isPartOf": [_ref(t, v, "CreativeWork") for v in t.out(DCTERMS.isPartOf)]}


_SCHEMA: dict[str, Callable[[Thing], dict[str, Any]]] = {
    "event": _schema_event, "org": _schema_org, "place": _schema_place,
    "resolution": _schema_legislation, "paragraph": _schema_legislation,
    "theme": _schema_term, "body-type": _schema_term, "event-category": _schema_term,
    "themes": _schema_scheme, "body-types": _schema_scheme, "event-categories": _schema_scheme,
    "initiative": _schema_work, "document": _schema_work, "work": _schema_work,
    "contact": lambda t: {"@type": "ContactPoint", "telephone": t.text(SCHEMA.telephone)},
    "dataset": lambda t: {"@type": "Dataset", "description": t.text(DCTERMS.description)},
}


# --- landing page and lists -----------------------------------------------------------------

@bp.get("/")
def landing() -> Response:
    lang, ix = choose_lang(), index()
    counts = {"n_events": len(ix.events), "n_bodies": len(ix.bodies),
              "n_places": len(ix.places), "n_themes": len(ix.areas()), "n_triples": ix.triples}
    html = _render("landing.html", lang, title=translate("site", lang),
                           counts=counts, dumps=[(n, local(f"download/{n}", keep_lang=False))
                                                 for n in DUMPS],
                           jsonld=dataset_markup())
    return _page_response(html, lang)


def dataset_markup() -> dict[str, Any]:
    """The schema.org Dataset markup of the landing page, made by the catalogue module."""
    i = iris()
    record = get_store().query(site().q(_RECORD, graph=i.graph("catalog"),
                                        leaflet=i("id/document/leaflet"))).graph
    return dataset_jsonld(get_settings(), record=record)


@bp.get("/bodies")
def bodies() -> Response:
    lang, ix = choose_lang(), index()
    by_type: dict[str, list[str]] = {}
    for iri, (type_, _) in ix.bodies.items():
        by_type.setdefault(type_, []).append(iri)
    groups = sorted(((type_, sorted(members, key=lambda b: ix.label(b, lang).casefold()))
                     for type_, members in by_type.items()), key=lambda g: ix.label(g[0], lang))
    counts = {b: sum(b in e.organizers or b in e.sponsors for e in ix.events) for b in ix.bodies}
    html = _render("bodies.html", lang, title=translate("bodies", lang),
                           groups=groups, counts=counts)
    return _page_response(html, lang)


@bp.get("/places")
def places() -> Response:
    lang, ix = choose_lang(), index()
    rows = sorted(ix.places.values(), key=lambda p: ix.label(p.iri, lang).casefold())
    counts = {p.iri: sum(e.venue == p.iri for e in ix.events) for p in rows}
    html = _render("places.html", lang, title=translate("places", lang),
                           rows=rows, counts=counts, map=_map(ix.events, lang))
    return _page_response(html, lang)


# --- the calendar ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Filters:
    month: int | None = None
    city: str = ""  # place IRI
    body: str = ""  # body IRI
    theme: str = ""  # theme IRI
    colour: str = "category"

    def keep(self, e: Event, ix: Index) -> bool:
        return ((self.month is None or e.start.month <= self.month <= e.end.month)
                and (not self.city or e.venue == self.city)
                and (not self.body or self.body in e.organizers + e.sponsors)
                and (not self.theme or any(self.theme in (th, ix.area_of(th))
                                           for th in e.themes)))


def _filters(ix: Index) -> Filters:
    """The calendar's filters from the query string; a bad value is a 400 naming it."""
    args, i = request.args, iris()
    month = args.get("month", "").strip()
    if month and not (month.isdigit() and FIRST_MONTH <= int(month) <= LAST_MONTH):
        raise HldgraphError(f"month={month!r}: give a month number from {FIRST_MONTH} to "
                            f"{LAST_MONTH} (the calendar runs from February to September 2006)",
                            400)

    def pick(name: str, known: Iterable[str], make: Callable[[str], str]) -> str:
        value = args.get(name, "").strip()
        if value and str(make(value)) not in set(known):
            raise HldgraphError(f"{name}={value!r} is not known here; the calendar's form lists "
                                f"the values it takes", 400)
        return str(make(value)) if value else ""

    colour = args.get("colour", "category")
    if colour not in {"category", "theme"}:
        raise HldgraphError(f"colour={colour!r}: use category or theme", 400)
    return Filters(int(month) if month else None,
                   pick("city", ix.places, i.place), pick("body", ix.bodies, i.org),
                   pick("theme", (t.iri for t in ix.themes), i.theme), colour)


def _chart_query() -> str:
    args = {k: v for k, v in request.args.items() if v and k != "lang"}
    return "?" + urlencode(args) if args else ""


@bp.get("/calendar")
def calendar() -> Response:
    lang, ix = choose_lang(), index()
    f = _filters(ix)
    events = ix.events_where(lambda e: f.keep(e, ix))
    options = {
        "month": [(str(m), month_name(m, lang)) for m in range(FIRST_MONTH, LAST_MONTH + 1)],
        "city": _options({e.venue for e in ix.events}, lang),
        "body": _options({b for e in ix.events for b in e.organizers + e.sponsors}, lang),
        "theme": _options({t.iri for t in ix.areas()}, lang),
    }
    slug = {"city": f.city, "body": f.body, "theme": f.theme}
    chosen = {k: v.rstrip("/").rsplit("/", 1)[-1] if k != "theme" else
              v.removeprefix(iris().theme("")) for k, v in slug.items() if v}
    chosen["month"] = str(f.month) if f.month else ""
    charts_query = _chart_query()
    html = _render(
        "calendar.html", lang, title=translate("calendar", lang), events=events,
        total=len(ix.events), options=options, chosen=chosen, colour=f.colour,
        timeline=_timeline(events, f.colour, lang), map=_map(events, lang),
        chart_links={name: local(f"calendar/{name}{charts_query}", keep_lang=False)
                     for name in ("timeline.svg", "timeline.png", "map.svg", "map.png")})
    return _page_response(html, lang)


def _options(iris_: Iterable[str], lang: str) -> list[tuple[str, str]]:
    """(slug, label) pairs for a select, sorted by label."""
    i = iris()
    pairs = [(iri.removeprefix(i.theme("")) if iri.startswith(i.theme("")) else
              iri.rstrip("/").rsplit("/", 1)[-1], index().label(iri, lang)) for iri in iris_ if iri]
    return sorted(pairs, key=lambda p: p[1].casefold())


def _timeline(events: list[Event], colour: str, lang: str) -> str:
    ix = index()
    if colour == "theme":
        groups = charts.theme_groups([(t.iri, ix.label(t.iri, lang)) for t in ix.areas()])
        group_of = {e.iri: next((ix.area_of(t) for t in e.themes), "") for e in events}
    else:
        categories = {key: ix.label(iris()(f"id/event-category/{key}"), lang)
                      for key in charts.CATEGORY_COLOURS}
        groups = charts.category_groups(categories)
        group_of = {e.iri: e.category for e in events}
    bars = [charts.Bar(e.id, ix.label(e.iri, lang), e.start, e.end, href(e.iri),
                       group_of[e.iri], f"{date_span(e.start, e.end, lang)}, "
                                        f"{ix.label(e.venue, lang)}") for e in events]
    return charts.timeline_svg(bars, groups, title=translate("timeline_title", lang), lang=lang)


def _map(events: list[Event], lang: str) -> str:
    ix = index()
    counts: dict[str, int] = {}
    for e in events:
        counts[e.venue] = counts.get(e.venue, 0) + 1
    venues = [charts.Venue(p.slug, ix.label(p.iri, lang), p.latitude, p.longitude,
                           counts[p.iri], href(p.iri))
              for p in ix.places.values() if p.iri in counts and p.latitude is not None]
    return charts.map_svg(venues, title=translate("map_title", lang),
                          land_label=translate("land", lang))


@bp.get("/calendar/<name>.<extension>")
def calendar_chart(name: str, extension: str) -> Response:
    if name not in {"timeline", "map"} or extension not in {"svg", "png"}:
        raise NotFound(canonical(request.path))
    lang, ix = choose_lang(), index()
    f = _filters(ix)
    events = ix.events_where(lambda e: f.keep(e, ix))
    svg = _timeline(events, f.colour, lang) if name == "timeline" else _map(events, lang)
    if extension == "svg":
        rv = Response(svg, content_type="image/svg+xml; charset=utf-8")
    else:
        rv = Response(charts.to_png(svg), content_type="image/png")
    rv.headers["Content-Disposition"] = f'inline; filename="hld2006-{name}.{extension}"'
    rv.headers["Content-Language"] = lang  # part of the ETag: each language its own
    rv.headers["Vary"] = "Accept-Language"
    return rv
