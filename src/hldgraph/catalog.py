"""The dataset's description for catalogues (DCAT-AP 3) and crawlers (VoID), in graph/catalog.

:func:`describe` writes, at build time:

- a DCAT-AP 3 record: the catalogue ``id/catalog``, the dataset ``id/dataset/hld2006``, one
  distribution per published file (:data:`DOWNLOADS`), the SPARQL endpoint as a data service, and
  every thing they point to (licence, publisher, contact point, themes, formats, languages…) typed
  as DCAT-AP asks, so that the record validates on its own against the DCAT-AP shapes;
- VoID for the same dataset: counts, class and property partitions and linksets, all computed from
  the content graphs (source, editorial, ontology). The catalog graph is not counted: it holds the
  counts, and counting it would change them.

Descriptive texts and fixed dates come from ``data/catalog.toml``; everything else is read from the
graph. What a file cannot say of itself (its checksum and size) is added only to the record the web
layer serves: :func:`with_checksums`. :func:`dataset_jsonld` turns the record into the schema.org
``Dataset`` that the landing page embeds as ``<script type="application/ld+json">``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import tomllib
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pycountry
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, PROV, RDF, RDFS, SKOS, VOID, XSD

from hldgraph.errors import DataError
from hldgraph.urls import ADMS, LANG, PREFIXES, SCHEMA, SPDX, VCARD, Iris

if TYPE_CHECKING:
    from hldgraph.build import Built
    from hldgraph.settings import Settings

METADATA = "catalog.toml"
NAME = "hld2006"
CONTENT_GRAPHS = ("source", "editorial", "ontology")

EU = "http://publications.europa.eu/resource/authority/"
IANA = "http://www.iana.org/assignments/media-types/"
DCATAP = Namespace("http://data.europa.eu/r5r/")
DCAT3 = Namespace(str(DCAT))  # rdflib's DCAT lacks DCAT 3 terms (dcat:version)
GSP = Namespace("http://www.opengis.net/ont/geosparql#")
DATA_THEMES = URIRef(EU + "data-theme")
STABLE = URIRef(EU + "planned-availability/STABLE")
PUBLISHER_TYPES = URIRef("http://purl.org/adms/publishertype/1.0")

#: Prefixes of the record's vocabularies, bound in the dumps beside urls.PREFIXES.
RECORD_PREFIXES = {"dcatap": DCATAP, "adms": ADMS, "vcard": VCARD, "spdx": SPDX, "gsp": GSP}

#: Datasets that hldgraph links to, by the IRI space of their things (void:Linkset targets).
LINK_TARGETS: dict[str, tuple[str, str]] = {
    "wikidata": ("http://www.wikidata.org/entity/", "https://www.wikidata.org/"),
    "geonames": ("https://sws.geonames.org/", "https://www.geonames.org/"),
}

#: Specifications the files and the endpoint conform to: IRI -> title.
STANDARDS: dict[str, str] = {
    "https://www.w3.org/TR/turtle/": "RDF 1.1 Turtle",
    "https://www.w3.org/TR/trig/": "RDF 1.1 TriG",
    "https://www.w3.org/TR/n-triples/": "RDF 1.1 N-Triples",
    "https://www.w3.org/TR/n-quads/": "RDF 1.1 N-Quads",
    "https://www.w3.org/TR/json-ld11/": "JSON-LD 1.1",
    "https://www.rfc-editor.org/rfc/rfc5545": "RFC 5545: Internet Calendaring and Scheduling "
                                              "Core Object Specification (iCalendar)",
    "https://www.rfc-editor.org/rfc/rfc4180": "RFC 4180: Common Format and MIME Type for "
                                              "Comma-Separated Values (CSV) Files",
    "https://www.w3.org/TR/sparql11-protocol/": "SPARQL 1.1 Protocol",
    "https://www.w3.org/TR/sparql11-query/": "SPARQL 1.1 Query Language",
}


@dataclass(frozen=True)
class Download:
    """A published file: what it holds and how catalogues name its format."""

    file: str
    media_type: str  # IANA media type
    file_type: str  # code in the EU file-type authority table
    standard: str  # key of STANDARDS
    title: str
    description: str

    @property
    def slug(self) -> str:
        """Names the distribution in IRIs (no dot: a dot would read as a format extension)."""
        return self.file.replace(".", "-")


#: Every file of a build that is a distribution of the dataset, in the order they are listed.
DOWNLOADS: tuple[Download, ...] = (
    Download(f"{NAME}.ttl", "text/turtle", "RDF_TURTLE", "https://www.w3.org/TR/turtle/",
             "Turtle", "Every named graph merged into one graph, in Turtle."),
    Download(f"{NAME}.trig", "application/trig", "RDF_TRIG", "https://www.w3.org/TR/trig/",
             "TriG", "The named graphs (source, editorial, ontology, catalog), in TriG."),
    Download(f"{NAME}.nt", "application/n-triples", "RDF_N_TRIPLES",
             "https://www.w3.org/TR/n-triples/", "N-Triples",
             "Every named graph merged into one graph, in N-Triples, one sorted line a triple."),
    Download(f"{NAME}.nq", "application/n-quads", "RDF_N_QUADS",
             "https://www.w3.org/TR/n-quads/", "N-Quads",
             "The named graphs, in N-Quads, one sorted line a quad."),
    Download(f"{NAME}.jsonld", "application/ld+json", "JSON_LD",
             "https://www.w3.org/TR/json-ld11/", "JSON-LD",
             "The named graphs, in compacted JSON-LD with the context inline."),
    Download(f"{NAME}-calendar.ics", "text/calendar", "ICS",
             "https://www.rfc-editor.org/rfc/rfc5545", "Calendar (iCalendar)",
             "The calendar of events, one VEVENT per event, for calendar programs."),
    Download(f"{NAME}-calendar.csv", "text/csv", "CSV",
             "https://www.rfc-editor.org/rfc/rfc4180", "Calendar (CSV)",
             "The calendar of events, one row per event, with labels of bodies, places and "
             "themes."),
)
DOWNLOADS_BY_FILE = {d.file: d for d in DOWNLOADS}


#: The keys data/catalog.toml must have, by section, with the type of their values.
REQUIRED: dict[str, dict[str, type]] = {
    "dataset": {"title_en": str, "title_fr": str, "description_en": str, "description_fr": str,
                "keywords_en": list, "keywords_fr": list, "themes": list, "languages": list,
                "version": str, "issued": dt.date, "modified": dt.date},
    "publisher": {"path": str, "name_en": str, "name_fr": str, "type": str, "type_label": str},
    "contact": {"slug": str, "name_en": str, "url": str, "email": str},
    "licence": {"code": str, "label": str, "url": str, "type": str, "type_label": str},
}


def metadata(settings: Settings) -> dict[str, Any]:
    """``data/catalog.toml``: the dataset's descriptive metadata, checked."""
    path = Path(settings.data_dir) / METADATA
    try:
        meta = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DataError(METADATA, None, f"{path} is missing") from None
    except tomllib.TOMLDecodeError as e:
        raise DataError(METADATA, None, str(e)) from None
    for section, keys in REQUIRED.items():
        for key, kind in keys.items():
            value = meta.get(section, {}).get(key)
            if not isinstance(value, kind) or isinstance(value, dt.datetime):
                expected = "a date (YYYY-MM-DD, no quotes)" if kind is dt.date else kind.__name__
                raise DataError(METADATA, None, f"[{section}] {key} must be {expected}, "
                                                f"not {value!r}")
    return meta


class Record:
    """The IRIs of the record's parts, for one base."""

    def __init__(self, iris: Iris) -> None:
        self.iris = iris
        self.catalog = iris("id/catalog")
        self.dataset = iris(f"id/dataset/{NAME}")
        self.service = iris("id/service/sparql")
        self.endpoint = iris("sparql")
        self.landing = iris("")
        self.downloads = iris("download/")

    def part(self, path: str) -> URIRef:
        return URIRef(f"{self.dataset}/{path}")

    def distribution(self, d: Download) -> URIRef:
        return self.part(f"distribution/{d.slug}")

    def download_url(self, file: str) -> URIRef:
        return self.iris(f"download/{file}")


class _Writer:
    """Adds the record to one graph; ``add`` skips empty values, ``typed`` types a node."""

    def __init__(self, g: Graph) -> None:
        self.g = g

    def add(self, s: URIRef, p: URIRef, *objects: Any) -> None:
        for o in objects:
            if o is not None and o != "":
                self.g.add((s, p, o if isinstance(o, URIRef | Literal) else Literal(o)))

    def typed(self, s: URIRef, *classes: URIRef) -> URIRef:
        for c in classes:
            self.g.add((s, RDF.type, c))
        return s

    def texts(self, s: URIRef, p: URIRef, meta: dict[str, Any], key: str) -> None:
        """``key_en`` and ``key_fr`` of ``meta`` as language-tagged literals."""
        for lang in ("en", "fr"):
            self.add(s, p, Literal(meta[f"{key}_{lang}"], lang=lang))

    def concept(self, s: URIRef, scheme: URIRef, **labels: str) -> URIRef:
        self.typed(s, SKOS.Concept)
        self.add(s, SKOS.inScheme, scheme)
        for lang, label in labels.items():
            self.add(s, SKOS.prefLabel, Literal(label, lang=lang))
        return s


def describe(built: Built, settings: Settings) -> None:
    """Adds the DCAT-AP record and the VoID description of the dataset to graph/catalog."""
    meta = metadata(settings)
    for prefix, ns in RECORD_PREFIXES.items():
        built.dataset.bind(prefix, ns, override=True)
    w, rec = _Writer(built.graph("catalog")), Record(built.iris)
    content = content_graph(built)
    _catalog(w, rec, meta)
    _dataset(w, rec, meta, content)
    for d in DOWNLOADS:
        _distribution(w, rec, meta, d)
    _service(w, rec, meta)
    _void(w, rec, content)


def content_graph(built: Built) -> Graph:
    """The triples that VoID counts: the source, editorial and ontology graphs merged."""
    g = Graph()
    for name in CONTENT_GRAPHS:
        for triple in built.graph(name):
            g.add(triple)
    return g


def _date(value: Any) -> Literal:
    return Literal(value.isoformat(), datatype=XSD.date)


def _catalog(w: _Writer, rec: Record, meta: dict[str, Any]) -> None:
    ds = meta["dataset"]
    c = w.typed(rec.catalog, DCAT.Catalog)
    w.add(c, DCTERMS.title, Literal("hldgraph catalogue", lang="en"),
          Literal("Catalogue hldgraph", lang="fr"))
    w.add(c, DCTERMS.description,
          Literal("The dataset hldgraph publishes and the SPARQL service that serves it.",
                  lang="en"),
          Literal("Le jeu de données que publie hldgraph et le service SPARQL qui le sert.",
                  lang="fr"))
    w.add(c, DCAT.dataset, rec.dataset)
    w.add(c, DCAT.service, rec.service)
    w.add(c, FOAF.homepage, w.typed(rec.landing, FOAF.Document))
    w.add(c, DCTERMS.issued, _date(ds["issued"]))
    w.add(c, DCTERMS.modified, _date(ds["modified"]))
    w.add(c, DCAT.themeTaxonomy, _theme_scheme(w))
    _shared(w, rec, meta, c)


def _shared(w: _Writer, rec: Record, meta: dict[str, Any], s: URIRef) -> None:
    """What the catalogue, the dataset and the service all state: publisher, licence, languages."""
    w.add(s, DCTERMS.publisher, _publisher(w, rec, meta["publisher"]))
    w.add(s, DCTERMS.license, _licence(w, meta["licence"]))
    for code in meta["dataset"]["languages"]:
        w.add(s, DCTERMS.language, w.typed(LANG[code], DCTERMS.LinguisticSystem))
    if s != rec.service:
        w.add(s, DCTERMS.spatial, rec.part("coverage"))


def _theme_scheme(w: _Writer) -> URIRef:
    w.typed(DATA_THEMES, SKOS.ConceptScheme)
    for p in (DCTERMS.title, SKOS.prefLabel):
        w.add(DATA_THEMES, p, Literal("Data theme", lang="en"),
              Literal("Thème des données", lang="fr"))
    return DATA_THEMES


def _themes(w: _Writer, meta: dict[str, Any]) -> list[URIRef]:
    scheme = _theme_scheme(w)
    return [w.concept(URIRef(f"{scheme}/{t['code']}"), scheme, en=t["en"], fr=t["fr"])
            for t in meta["dataset"]["themes"]]


def _publisher(w: _Writer, rec: Record, pub: dict[str, Any]) -> URIRef:
    agent = w.typed(rec.iris(pub["path"]), FOAF.Agent, FOAF.Organization)
    w.texts(agent, FOAF.name, pub, "name")
    kind = w.concept(URIRef(f"http://purl.org/adms/publishertype/{pub['type']}"),
                     PUBLISHER_TYPES, en=pub["type_label"])
    w.add(agent, DCTERMS.type, kind)
    w.add(agent, FOAF.homepage, rec.landing)
    return agent


def _contact(w: _Writer, rec: Record, contact: dict[str, Any]) -> URIRef:
    kind = w.typed(rec.iris(f"id/contact/{contact['slug']}"), VCARD.Kind, VCARD.Organization)
    w.add(kind, VCARD.fn, contact["name_en"])
    w.add(kind, VCARD.hasURL, URIRef(contact["url"] or rec.landing))
    if contact.get("email"):
        w.add(kind, VCARD.hasEmail, URIRef(f"mailto:{contact['email']}"))
    return kind


def _licence(w: _Writer, lic: dict[str, Any]) -> URIRef:
    doc = w.typed(URIRef(f"{EU}licence/{lic['code']}"), DCTERMS.LicenseDocument)
    w.add(doc, RDFS.label, Literal(lic["label"], lang="en"))
    w.add(doc, RDFS.seeAlso, URIRef(lic["url"]))
    kind = w.concept(URIRef(f"http://purl.org/adms/licencetype/{lic['type']}"),
                     URIRef("http://purl.org/adms/licencetype/1.0"), en=lic["type_label"])
    w.add(doc, DCTERMS.type, kind)
    return doc


def _standard(w: _Writer, iri: str) -> URIRef:
    s = w.typed(URIRef(iri), DCTERMS.Standard)
    w.add(s, DCTERMS.title, Literal(STANDARDS[iri], lang="en"))
    return s


def _dataset(w: _Writer, rec: Record, meta: dict[str, Any], content: Graph) -> None:
    ds, d = meta["dataset"], w.typed(rec.dataset, DCAT.Dataset, VOID.Dataset)
    w.texts(d, DCTERMS.title, ds, "title")
    w.texts(d, DCTERMS.description, ds, "description")
    for lang in ("en", "fr"):
        w.add(d, DCAT.keyword, *(Literal(k, lang=lang) for k in ds[f"keywords_{lang}"]))
    w.add(d, DCAT.theme, *_themes(w, meta))
    w.add(d, DCTERMS.identifier, Literal(str(d)))
    ident = w.typed(rec.part("identifier"), ADMS.Identifier)
    w.add(ident, SKOS.notation, NAME)
    w.add(d, ADMS.identifier, ident)
    w.add(d, DCAT3.version, ds["version"])
    w.add(d, DCTERMS.issued, _date(ds["issued"]))
    w.add(d, DCTERMS.modified, _date(ds["modified"]))
    w.add(d, DCTERMS.creator, _publisher(w, rec, meta["publisher"]))
    w.add(d, DCAT.contactPoint, _contact(w, rec, meta["contact"]))
    w.add(d, DCAT.landingPage, rec.landing)
    w.add(d, DCTERMS.conformsTo, _ontology(w, rec, content))
    _shared(w, rec, meta, d)
    _temporal(w, rec, content)
    _spatial(w, rec, content)
    _provenance(w, rec, content)
    for dl in DOWNLOADS:
        w.add(d, DCAT.distribution, rec.distribution(dl))


def _ontology(w: _Writer, rec: Record, content: Graph) -> URIRef:
    """The hldgraph ontology, which the dataset's terms conform to."""
    onto = rec.iris("def/")
    w.typed(onto, DCTERMS.Standard)
    for title in content.objects(onto, DCTERMS.title):
        w.add(onto, DCTERMS.title, title)
    return onto


def _temporal(w: _Writer, rec: Record, content: Graph) -> None:
    """The period from the first event's start to the last event's end."""
    starts = [o.toPython() for o in content.objects(None, SCHEMA.startDate)]
    ends = [o.toPython() for o in content.objects(None, SCHEMA.endDate)] or starts
    if not starts:
        return
    period = w.typed(rec.part("period"), DCTERMS.PeriodOfTime)
    w.add(period, DCAT.startDate, _date(min(starts)))
    w.add(period, DCAT.endDate, _date(max(ends)))
    w.add(rec.dataset, DCTERMS.temporal, period)


def _spatial(w: _Writer, rec: Record, content: Graph) -> None:
    """The venues' bounding box; the venues and their countries are linked from it."""
    venues = sorted(set(content.objects(None, SCHEMA.location)))
    points = [(float(lon), float(lat)) for v in venues
              if (lat := content.value(v, SCHEMA.latitude)) is not None
              and (lon := content.value(v, SCHEMA.longitude)) is not None]
    where = w.typed(rec.part("coverage"), DCTERMS.Location)
    w.add(where, SKOS.prefLabel, Literal("Venues of the events", lang="en"),
          Literal("Lieux des manifestations", lang="fr"))
    w.add(where, SCHEMA.containsPlace, *venues)
    if points:
        (x0, y0), (x1, y1) = _bbox(points)
        w.add(where, DCAT.bbox, Literal(
            f"POLYGON(({x0} {y0},{x1} {y0},{x1} {y1},{x0} {y1},{x0} {y0}))",
            datatype=GSP.wktLiteral))
        w.add(where, DCAT.centroid, Literal(
            f"POINT({round((x0 + x1) / 2, 4)} {round((y0 + y1) / 2, 4)})",
            datatype=GSP.wktLiteral))
    for code in sorted({str(c) for v in venues for c in content.objects(v, SCHEMA.addressCountry)}):
        country = pycountry.countries.get(alpha_2=code)
        if country is not None:
            w.add(rec.dataset, DCTERMS.coverage, URIRef(f"{EU}country/{country.alpha_3}"))


def _bbox(points: list[tuple[float, float]]) -> tuple[tuple[float, float], tuple[float, float]]:
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    return (min(xs), min(ys)), (max(xs), max(ys))


def _provenance(w: _Writer, rec: Record, content: Graph) -> None:
    """Derived from the leaflet; said with prov:, as DCAT-AP keeps dct:source for datasets."""
    leaflet = rec.iris("id/document/leaflet")
    w.add(rec.dataset, PROV.wasDerivedFrom, leaflet)
    w.add(rec.dataset, DCTERMS.relation, leaflet)
    statement = w.typed(rec.part("provenance"), DCTERMS.ProvenanceStatement)
    titles = ", ".join(f"“{t}”" for t in sorted(content.objects(leaflet, DCTERMS.title)))
    w.add(statement, RDFS.label, Literal(
        f"Transcribed from the IOM leaflet {titles} (2006) and its draft calendar of events; the "
        "leaflet's facts are in the named graph graph/source, the editors' additions in "
        "graph/editorial.", lang="en"))
    w.add(rec.dataset, DCTERMS.provenance, statement)


def _distribution(w: _Writer, rec: Record, meta: dict[str, Any], d: Download) -> None:
    dist = w.typed(rec.distribution(d), DCAT.Distribution)
    w.add(dist, DCTERMS.title, Literal(d.title, lang="en"))
    w.add(dist, DCTERMS.description, Literal(d.description, lang="en"))
    w.add(dist, DCAT.accessURL, rec.downloads)
    w.add(dist, DCAT.downloadURL, rec.download_url(d.file))
    w.add(dist, DCTERMS.format, w.typed(URIRef(f"{EU}file-type/{d.file_type}"),
                                        DCTERMS.MediaTypeOrExtent))
    w.add(dist, DCAT.mediaType, w.typed(URIRef(IANA + d.media_type), DCTERMS.MediaType))
    w.add(dist, DCTERMS.conformsTo, _standard(w, d.standard))
    w.add(dist, DCTERMS.license, _licence(w, meta["licence"]))
    w.add(dist, DCATAP.availability, w.concept(
        STABLE, URIRef(EU + "planned-availability"), en="stable", fr="stable"))
    w.add(dist, DCTERMS.modified, _date(meta["dataset"]["modified"]))


def _service(w: _Writer, rec: Record, meta: dict[str, Any]) -> None:
    s = w.typed(rec.service, DCAT.DataService)
    w.add(s, DCTERMS.title, Literal("hldgraph SPARQL endpoint", lang="en"),
          Literal("Point d'accès SPARQL de hldgraph", lang="fr"))
    w.add(s, DCTERMS.description, Literal(
        "Read-only SPARQL 1.1 endpoint over the dataset: the default graph is the union of the "
        "named graphs.", lang="en"))
    w.add(s, DCAT.endpointURL, rec.endpoint)
    w.add(s, DCAT.endpointDescription, rec.endpoint)  # answers with its service description
    w.add(s, DCAT.servesDataset, rec.dataset)
    w.add(s, DCAT.landingPage, w.typed(rec.iris("query"), FOAF.Document))
    w.add(s, DCAT.contactPoint, _contact(w, rec, meta["contact"]))
    w.add(s, DCAT.theme, *_themes(w, meta))
    w.add(s, DCAT.keyword, Literal("SPARQL", lang="en"),
          *(Literal(k, lang="en") for k in meta["dataset"]["keywords_en"]))
    w.add(s, DCTERMS.conformsTo, _standard(w, "https://www.w3.org/TR/sparql11-protocol/"),
          _standard(w, "https://www.w3.org/TR/sparql11-query/"))
    _shared(w, rec, meta, s)


# --- VoID ------------------------------------------------------------------------------------


def _void(w: _Writer, rec: Record, content: Graph) -> None:
    d, base = rec.dataset, rec.iris.base
    w.add(d, VOID.sparqlEndpoint, rec.endpoint)
    for dl in DOWNLOADS[:5]:  # the RDF dumps
        w.add(d, VOID.dataDump, rec.download_url(dl.file))
    w.add(d, VOID.uriSpace, Literal(base))
    stats = void_stats(content, base)
    for key in ("triples", "entities", "distinctSubjects", "distinctObjects", "classes",
                "properties"):
        w.add(d, VOID[key], Literal(stats[key]))
    w.add(d, VOID.vocabulary, *(URIRef(v) for v in stats["vocabularies"]))
    w.add(d, VOID.exampleResource, *examples(content, rec.iris))
    for cls, n in sorted(stats["class_entities"].items()):
        part = rec.part(f"class/{_slug(cls, rec.iris)}")
        w.add(d, VOID.classPartition, part)
        w.add(part, VOID["class"], URIRef(cls))
        w.add(part, VOID.entities, Literal(n))
    for prop, n in sorted(stats["property_triples"].items()):
        part = rec.part(f"property/{_slug(prop, rec.iris)}")
        w.add(d, VOID.propertyPartition, part)
        w.add(part, VOID.property, URIRef(prop))
        w.add(part, VOID.triples, Literal(n))
    for (target, prop), n in sorted(stats["links"].items()):
        _linkset(w, rec, target, prop, n)


def void_stats(g: Graph, base: str) -> dict[str, Any]:
    """VoID's counts for a graph: what a SPARQL COUNT over the same triples gives."""
    subjects, objects = set(), set()
    class_entities: dict[str, set] = defaultdict(set)
    property_triples: Counter[str] = Counter()
    links: Counter[tuple[str, str]] = Counter()
    for s, p, o in g:
        subjects.add(s)
        objects.add(o)
        property_triples[str(p)] += 1
        if p == RDF.type:
            class_entities[str(o)].add(s)
        if isinstance(o, URIRef) and str(s).startswith(base):
            target = next((t for t, (space, _) in LINK_TARGETS.items()
                           if str(o).startswith(space)), None)
            if target:
                links[(target, str(p))] += 1
    terms = set(property_triples) | set(class_entities)
    return {
        "triples": len(g),
        "entities": sum(1 for s in subjects if isinstance(s, URIRef) and str(s).startswith(base)),
        "distinctSubjects": len(subjects),
        "distinctObjects": len(objects),
        "classes": len(class_entities),
        "properties": len(property_triples),
        "class_entities": {c: len(s) for c, s in class_entities.items()},
        "property_triples": dict(property_triples),
        "links": dict(links),
        "vocabularies": sorted({_namespace(t) for t in terms}),
    }


def examples(g: Graph, iris: Iris) -> list[URIRef]:
    """A few typical things: the Dialogue, the resolution, a body, a place, a thematic area."""
    picks = []
    for cls in (iris.hld.HighLevelDialogue, URIRef("http://data.europa.eu/eli/ontology#"
                                                  "LegalResource"),
                iris.hld.ThematicArea, SCHEMA.Place, URIRef(str(PREFIXES["org"]) + "Organization")):
        found = sorted(s for s in g.subjects(RDF.type, cls) if str(s).startswith(iris.base))
        if found:
            picks.append(found[0])
    return picks


def _namespace(iri: str) -> str:
    cut = max(iri.rfind("#"), iri.rfind("/"))
    return iri[:cut + 1]


def _slug(iri: str, iris: Iris) -> str:
    """A readable, stable name for a term: ``schema-Event``, ``hld-Initiative``."""
    spaces = {str(ns): p for p, ns in PREFIXES.items()} | {str(iris.hld): "hld"}
    ns = _namespace(iri)
    if ns in spaces and iri[len(ns):].replace("_", "").replace("-", "").isalnum():
        return f"{spaces[ns]}-{iri[len(ns):]}"
    return hashlib.sha256(iri.encode()).hexdigest()[:12]


def _linkset(w: _Writer, rec: Record, target: str, prop: str, n: int) -> None:
    space, home = LINK_TARGETS[target]
    other = w.typed(URIRef(home), VOID.Dataset)
    w.add(other, VOID.uriSpace, Literal(space))
    w.add(other, FOAF.homepage, URIRef(home))
    ls = w.typed(rec.part(f"linkset/{target}/{_slug(prop, rec.iris)}"), VOID.Linkset)
    w.add(rec.dataset, VOID.subset, ls)
    w.add(ls, VOID.subjectsTarget, rec.dataset)
    w.add(ls, VOID.objectsTarget, other)
    w.add(ls, VOID.target, rec.dataset, other)
    w.add(ls, VOID.linkPredicate, URIRef(prop))
    w.add(ls, VOID.triples, Literal(n))


# --- what the web layer serves ---------------------------------------------------------------


def with_checksums(record: Graph, manifest: dict[str, Any], iris: Iris) -> Graph:
    """The record plus, for each distribution, its size and SHA-256 from a build's manifest.

    A file cannot hold its own checksum, so these are only in the served record.
    """
    rec, g = Record(iris), Graph()
    for prefix, ns in record.namespaces():
        g.bind(prefix, ns)
    for triple in record:
        g.add(triple)
    g.bind("spdx", SPDX)
    g.add((SPDX.checksumAlgorithm_sha256, RDF.type, SPDX.ChecksumAlgorithm))
    for name, info in sorted(manifest.get("files", {}).items()):
        d = DOWNLOADS_BY_FILE.get(name)
        if d is None:
            continue
        dist = rec.distribution(d)
        checksum = rec.part(f"distribution/{d.slug}/checksum")
        g.add((dist, DCAT.byteSize, Literal(info["bytes"], datatype=XSD.nonNegativeInteger)))
        g.add((dist, SPDX.checksum, checksum))
        g.add((checksum, RDF.type, SPDX.Checksum))
        g.add((checksum, SPDX.algorithm, SPDX.checksumAlgorithm_sha256))
        g.add((checksum, SPDX.checksumValue, Literal(info["sha256"], datatype=XSD.hexBinary)))
    return g


def read_record(folder: Path, iris: Iris) -> Graph:
    """graph/catalog of the build in ``folder``, with each file's size and checksum added.

    The leaflet's title comes along, so that the record names its source.
    """
    import json

    quads = (Path(folder) / f"{NAME}.nq").read_text(encoding="utf-8")
    tail = f"<{iris.graph('catalog')}> ."
    leaflet_title = f"<{iris('id/document/leaflet')}> <{DCTERMS.title}> "
    lines = [line[: -len(tail)] + "." if line.endswith(tail) else line.rsplit(" <", 1)[0] + " ."
             for line in quads.splitlines()
             if line.endswith(tail) or line.startswith(leaflet_title)]
    g = Graph()
    g.parse(data="\n".join(lines), format="nt")
    for prefix, ns in {**PREFIXES, **RECORD_PREFIXES}.items():
        g.bind(prefix, ns, override=True)
    manifest = json.loads((Path(folder) / "manifest.json").read_text(encoding="utf-8"))
    return with_checksums(g, manifest, iris)


def dataset_jsonld(settings: Settings, record: Graph | None = None) -> dict[str, Any]:
    """The schema.org ``Dataset`` (a dict for ``json.dumps``) that the landing page embeds.

    ``record`` defaults to the record of the last good build in ``settings.dist_dir``.
    """
    from hldgraph.dump import last_good

    iris = Iris(settings.base_iri)
    if record is None:
        folder = last_good(Path(settings.dist_dir))
        record = read_record(folder, iris) if folder else Graph()
    return schema_dataset(record, iris)


def schema_dataset(record: Graph, iris: Iris) -> dict[str, Any]:
    """The DCAT-AP record said in schema.org terms."""
    rec = Record(iris)
    d = rec.dataset

    def en(s: URIRef, p: URIRef) -> str:
        values = sorted(record.objects(s, p), key=lambda v: (getattr(v, "language", "") != "en",
                                                             str(v)))
        return str(values[0]) if values else ""

    licence = record.value(record.value(d, DCTERMS.license), RDFS.seeAlso)
    publisher = record.value(d, DCTERMS.publisher)
    period = record.value(d, DCTERMS.temporal)
    leaflet = iris("id/document/leaflet")
    rv: dict[str, Any] = {
        "@context": "https://schema.org/",
        "@type": "Dataset",
        "@id": str(d),
        "name": en(d, DCTERMS.title),
        "description": en(d, DCTERMS.description),
        "url": str(rec.landing),
        "identifier": str(d),
        "license": str(licence or record.value(d, DCTERMS.license)),
        "isAccessibleForFree": True,
        "inLanguage": ["en", "fr"],
        "keywords": sorted(str(k) for k in record.objects(d, DCAT.keyword)),
        "version": str(record.value(d, DCAT3.version) or ""),
        "dateModified": str(record.value(d, DCTERMS.modified) or ""),
        "datePublished": str(record.value(d, DCTERMS.issued) or ""),
        "creator": {"@type": "Organization", "@id": str(publisher),
                    "name": en(publisher, FOAF.name), "url": str(rec.landing)},
        "isBasedOn": {"@type": "CreativeWork", "@id": str(leaflet),
                      "name": en(leaflet, DCTERMS.title) or "IOM leaflet (2006)",
                      "publisher": {"@type": "Organization",
                                    "name": "International Organization for Migration"}},
        "distribution": [_data_download(record, rec, dl) for dl in DOWNLOADS],
    }
    if period is not None:
        rv["temporalCoverage"] = (f"{record.value(period, DCAT.startDate)}/"
                                  f"{record.value(period, DCAT.endDate)}")
    rv["spatialCoverage"] = _schema_place(record, rec)
    return rv


def _data_download(record: Graph, rec: Record, dl: Download) -> dict[str, Any]:
    dist = rec.distribution(dl)
    rv = {"@type": "DataDownload", "name": str(record.value(dist, DCTERMS.title) or dl.title),
          "encodingFormat": dl.media_type, "contentUrl": str(rec.download_url(dl.file))}
    size = record.value(dist, DCAT.byteSize)
    if size is not None:
        rv["contentSize"] = f"{size} B"
    return rv


def _schema_place(record: Graph, rec: Record) -> dict[str, Any]:
    where = rec.part("coverage")
    rv: dict[str, Any] = {"@type": "Place", "name": "Venues of the events"}
    bbox = record.value(where, DCAT.bbox)
    if bbox is not None:
        numbers = [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", str(bbox))]
        xs, ys = numbers[0::2], numbers[1::2]
        rv["geo"] = {"@type": "GeoShape", "box": f"{min(ys)} {min(xs)} {max(ys)} {max(xs)}"}
    return rv


__all__ = ["DOWNLOADS", "Record", "dataset_jsonld", "describe", "read_record", "schema_dataset",
           "with_checksums"]
