"""The dataset's description for catalogues (DCAT-AP 3), in graph/catalog.

:func:`describe` writes, at build time, a DCAT-AP 3 record: the catalogue ``id/catalog``, the
dataset ``id/dataset/hld2006``, one distribution per published file
(:data:`hldgraph.distributions.DOWNLOADS`), the SPARQL endpoint as a data service, and every thing
they point to (licence, publisher, contact point, themes, formats, languages…) typed as DCAT-AP
asks, so that the record validates on its own against the DCAT-AP shapes. The VoID description of
the same dataset is :mod:`hldgraph.void`'s.

Descriptive texts and fixed dates come from ``data/catalog.toml``; everything else is read from the
graph. What a file cannot say of itself (its checksum and size) is added only to the record the web
layer serves: :func:`hldgraph.dist.with_checksums`.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from pathlib import Path
from typing import Any

import pycountry
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, PROV, RDFS, SKOS, VOID, XSD

from hldgraph import catalog_versions as versions
from hldgraph import void
from hldgraph.build import build_content
from hldgraph.dataset import Built, Writer, content_graph
from hldgraph.distributions import (
    DCAT3,
    DCATAP,
    DOWNLOADS,
    GSP,
    NAME,
    RECORD_PREFIXES,
    Download,
    Record,
)
from hldgraph.errors import DataError
from hldgraph.releases import Release, ReleaseLog
from hldgraph.settings import Settings
from hldgraph.urls import ADMS, LANG, SCHEMA, VCARD

METADATA = "catalog.toml"

EU = "http://publications.europa.eu/resource/authority/"
IANA = "http://www.iana.org/assignments/media-types/"
DATA_THEMES = URIRef(EU + "data-theme")
STABLE = URIRef(EU + "planned-availability/STABLE")
PUBLISHER_TYPES = URIRef("http://purl.org/adms/publishertype/1.0")

#: Specifications the files and the endpoint conform to: IRI -> title.
STANDARDS: dict[str, str] = {
    "https://www.w3.org/TR/turtle/": "RDF 1.1 Turtle",
    "https://www.w3.org/TR/trig/": "RDF 1.1 TriG",
    "https://www.w3.org/TR/n-triples/": "RDF 1.1 N-Triples",
    "https://www.w3.org/TR/n-quads/": "RDF 1.1 N-Quads",
    "https://www.w3.org/TR/json-ld11/": "JSON-LD 1.1",
    "https://www.w3.org/TR/json-ld11-framing/": "JSON-LD 1.1 Framing",
    "https://www.w3.org/TR/tabular-metadata/": "Metadata Vocabulary for Tabular Data (CSV on "
                                               "the Web)",
    "https://www.rfc-editor.org/rfc/rfc5545": "RFC 5545: Internet Calendaring and Scheduling "
                                              "Core Object Specification (iCalendar)",
    "https://www.rfc-editor.org/rfc/rfc4180": "RFC 4180: Common Format and MIME Type for "
                                              "Comma-Separated Values (CSV) Files",
    "https://www.w3.org/TR/sparql11-protocol/": "SPARQL 1.1 Protocol",
    "https://www.w3.org/TR/sparql11-query/": "SPARQL 1.1 Query Language",
}


#: The keys data/catalog.toml must have, by section, with the type of their values.
REQUIRED: dict[str, dict[str, type]] = {
    "dataset": {"title_en": str, "title_fr": str, "description_en": str, "description_fr": str,
                "keywords_en": list, "keywords_fr": list, "themes": list, "languages": list,
                "version": str, "issued": dt.date, "modified": dt.date},
    "publisher": {"path": str, "name_en": str, "name_fr": str, "type": str, "type_label": str},
    "contact": {"slug": str, "name_en": str, "url": str, "email": str},
    "licence": {"code": str, "label": str, "url": str, "type": str, "type_label": str},
}


def metadata(settings: Settings, release: Release | None = None) -> dict[str, Any]:
    """``data/catalog.toml``: the dataset's descriptive metadata, checked.

    The dataset's version and last change are those of ``release`` (version, date) when given
    (``hldgraph release`` builds it), else of the last release in the release log, else
    catalog.toml's: a build of the data of release 1.1 is release 1.1, byte for byte.
    """
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
    release = release or ReleaseLog(settings).latest()
    if release:
        meta["dataset"]["version"] = release.version
        meta["dataset"]["modified"] = release.issued.date()
    return meta


def describe(built: Built, settings: Settings, release: Release | None = None) -> None:
    """Adds the DCAT-AP record and the VoID description of the dataset to graph/catalog
    (of ``release``, (version, date), when one is being made)."""
    meta = metadata(settings, release)
    for prefix, ns in RECORD_PREFIXES.items():
        built.dataset.bind(prefix, ns, override=True)
    w, rec = Writer(built.graph("catalog")), Record(built.iris)
    content = content_graph(built)
    _catalog(w, rec, meta)
    _dataset(w, rec, meta, content)
    for d in DOWNLOADS:
        _distribution(w, rec, meta, d)
    _service(w, rec, meta)
    void.describe(w, rec, content)
    versions.describe(w, rec, ReleaseLog(settings), release, content)


def build_dataset(settings: Settings, release: Release | None = None) -> Built:
    """data/ and ontology/ -> the whole dataset: the content graphs and graph/catalog (as
    ``release`` publishes it, when one is being made: its version, date and notes)."""
    built = build_content(settings, release.version if release else None)
    describe(built, settings, release)
    return built


def _date(value: Any) -> Literal:
    return Literal(value.isoformat(), datatype=XSD.date)


def _catalog(w: Writer, rec: Record, meta: dict[str, Any]) -> None:
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


def _shared(w: Writer, rec: Record, meta: dict[str, Any], s: URIRef) -> None:
    """What the catalogue, the dataset and the service all state: publisher, licence, languages."""
    w.add(s, DCTERMS.publisher, _publisher(w, rec, meta["publisher"]))
    w.add(s, DCTERMS.license, _licence(w, meta["licence"]))
    for code in meta["dataset"]["languages"]:
        w.add(s, DCTERMS.language, w.typed(LANG[code], DCTERMS.LinguisticSystem))
    if s != rec.service:
        w.add(s, DCTERMS.spatial, rec.part("coverage"))


def _theme_scheme(w: Writer) -> URIRef:
    w.typed(DATA_THEMES, SKOS.ConceptScheme)
    for p in (DCTERMS.title, SKOS.prefLabel):
        w.add(DATA_THEMES, p, Literal("Data theme", lang="en"),
              Literal("Thème des données", lang="fr"))
    return DATA_THEMES


def _themes(w: Writer, meta: dict[str, Any]) -> list[URIRef]:
    scheme = _theme_scheme(w)
    return [w.concept(URIRef(f"{scheme}/{t['code']}"), scheme, en=t["en"], fr=t["fr"])
            for t in meta["dataset"]["themes"]]


def _publisher(w: Writer, rec: Record, pub: dict[str, Any]) -> URIRef:
    agent = w.typed(rec.iris(pub["path"]), FOAF.Agent, FOAF.Organization)
    w.texts(agent, FOAF.name, pub, "name")
    kind = w.concept(URIRef(f"http://purl.org/adms/publishertype/{pub['type']}"),
                     PUBLISHER_TYPES, en=pub["type_label"])
    w.add(agent, DCTERMS.type, kind)
    w.add(agent, FOAF.homepage, rec.landing)
    return agent


def _contact(w: Writer, rec: Record, contact: dict[str, Any]) -> URIRef:
    kind = w.typed(rec.iris(f"id/contact/{contact['slug']}"), VCARD.Kind, VCARD.Organization)
    w.add(kind, VCARD.fn, contact["name_en"])
    w.add(kind, VCARD.hasURL, URIRef(contact["url"] or rec.landing))
    if contact.get("email"):
        w.add(kind, VCARD.hasEmail, URIRef(f"mailto:{contact['email']}"))
    return kind


def _licence(w: Writer, lic: dict[str, Any]) -> URIRef:
    doc = w.typed(URIRef(f"{EU}licence/{lic['code']}"), DCTERMS.LicenseDocument)
    w.add(doc, RDFS.label, Literal(lic["label"], lang="en"))
    w.add(doc, RDFS.seeAlso, URIRef(lic["url"]))
    kind = w.concept(URIRef(f"http://purl.org/adms/licencetype/{lic['type']}"),
                     URIRef("http://purl.org/adms/licencetype/1.0"), en=lic["type_label"])
    w.add(doc, DCTERMS.type, kind)
    return doc


def _standard(w: Writer, iri: str) -> URIRef:
    s = w.typed(URIRef(iri), DCTERMS.Standard)
    w.add(s, DCTERMS.title, Literal(STANDARDS[iri], lang="en"))
    return s


def _dataset(w: Writer, rec: Record, meta: dict[str, Any], content: Graph) -> None:
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


def _ontology(w: Writer, rec: Record, content: Graph) -> URIRef:
    """The hldgraph ontology, which the dataset's terms conform to."""
    onto = rec.iris("def/")
    w.typed(onto, DCTERMS.Standard)
    for title in content.objects(onto, DCTERMS.title):
        w.add(onto, DCTERMS.title, title)
    return onto


def _temporal(w: Writer, rec: Record, content: Graph) -> None:
    """The period from the first event's start to the last event's end."""
    starts = [o.toPython() for o in content.objects(None, SCHEMA.startDate)
              if isinstance(o, Literal)]
    ends = [o.toPython() for o in content.objects(None, SCHEMA.endDate)
            if isinstance(o, Literal)] or starts
    if not starts:
        return
    period = w.typed(rec.part("period"), DCTERMS.PeriodOfTime)
    w.add(period, DCAT.startDate, _date(min(starts)))
    w.add(period, DCAT.endDate, _date(max(ends)))
    w.add(rec.dataset, DCTERMS.temporal, period)


def _spatial(w: Writer, rec: Record, content: Graph) -> None:
    """The venues' bounding box; the venues and their countries are linked from it."""
    venues = sorted({v for v in content.objects(None, SCHEMA.location) if isinstance(v, URIRef)})
    points = [(float(str(lon)), float(str(lat))) for v in venues
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


def _provenance(w: Writer, rec: Record, content: Graph) -> None:
    """Derived from the leaflet; said with prov:, as DCAT-AP keeps dct:source for datasets."""
    leaflet = rec.leaflet
    w.add(rec.dataset, PROV.wasDerivedFrom, leaflet)
    w.add(rec.dataset, DCTERMS.relation, leaflet)
    statement = w.typed(rec.part("provenance"), DCTERMS.ProvenanceStatement)
    titles = ", ".join(f"“{t}”" for t in sorted(map(str, content.objects(leaflet, DCTERMS.title))))
    w.add(statement, RDFS.label, Literal(
        f"Transcribed from the IOM leaflet {titles} (2006) and its draft calendar of events; the "
        "leaflet's facts are in the named graph graph/source, the editors' additions in "
        "graph/editorial.", lang="en"))
    w.add(rec.dataset, DCTERMS.provenance, statement)


def _distribution(w: Writer, rec: Record, meta: dict[str, Any], d: Download) -> None:
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


def _service(w: Writer, rec: Record, meta: dict[str, Any]) -> None:
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

