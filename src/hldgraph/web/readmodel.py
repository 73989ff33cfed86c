"""What every page reads from the store, once per loaded build: labels, the calendar's events,
places, bodies and themes, and the query texts the pages ask.

Pages ask the store only (``Store.query`` and ``Store.describe``); what they all need is read
once per build (:func:`index`) and kept while that build is served.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from flask import current_app

from hldgraph.calendar import Event, events_query, read_events
from hldgraph.labels import LABELS, Label, pick, read_labels
from hldgraph.urls import PREFIXES, Iris
from hldgraph.web.http import get_store
from hldgraph.web.i18n import LANGS, translate

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
EXISTS = "ASK { <{iri}> ?p ?o }"
TERM_EXISTS = "ASK { GRAPH <{graph}> { <{iri}> ?p ?o } }"
GRAPH_TRIPLES = "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH <{graph}> { ?s ?p ?o } }"
GRAPH_COUNT = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH <{graph}> { ?s ?p ?o } }"
#: graph/catalog and the leaflet's title: what the schema.org Dataset markup is made from.
RECORD = """CONSTRUCT { ?s ?p ?o . <{leaflet}> dct:title ?title } WHERE {
  { GRAPH <{graph}> { ?s ?p ?o } } UNION { <{leaflet}> dct:title ?title } }"""
PARAGRAPH_BODIES = """SELECT DISTINCT ?body WHERE {
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


def setup(state: Any) -> None:
    """Keeps the application's :class:`Site` (recorded once by the resources blueprint)."""
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

    def label(self, iri: str, lang: str) -> Label:
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

