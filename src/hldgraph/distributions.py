"""The files a build publishes and the IRIs the catalogue record names them with.

One table for both sides: the pipeline writes the files and describes them (DCAT-AP, VoID), the
web layer serves them and lists them (``/download/``, the landing page, schema.org markup).
"""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import Namespace, URIRef
from rdflib.namespace import DCAT

from hldgraph.messages import LANGS
from hldgraph.urls import ADMS, SPDX, VCARD, Iris

#: The dataset's name: the stem of every dump.
NAME = "hld2006"
ICS = f"{NAME}-calendar.ics"
CSV = f"{NAME}-calendar.csv"
#: The tables of bodies and of venues (CSV, like the calendar's).
BODIES_CSV, VENUES_CSV = f"{NAME}-bodies.csv", f"{NAME}-venues.csv"
#: Every CSV file, each with its CSVW metadata (W3C Tabular Metadata) at :func:`csvw_metadata`.
TABLES = (CSV, BODIES_CSV, VENUES_CSV)
#: The calendar as framed JSON-LD (each event whole) and every triple in one JSON-LD graph.
EVENTS_JSONLD, UNION_JSONLD = f"{NAME}-events.jsonld", f"{NAME}-union.jsonld"
#: The JSON-LD context written beside the dumps (not a distribution of the dataset).
CONTEXT = "context.jsonld"
#: A release's change set from the release before it: RDF Patch (https://afs.github.io/rdf-patch/).
CHANGES = "changes.rdfp"
#: The ontology's HTML page in English, written into every build folder and served at
#: doc/def.html; :func:`ontology_page` names it in each language of the site.
ONTOLOGY_PAGE = "def.html"
#: Labels, types and identifying properties of every thing: what search and reconciliation
#: read (:mod:`hldgraph.lookup`; not a distribution of the dataset).
LOOKUP = "lookup.json"



def ontology_page(lang: str) -> str:
    """The file of the ontology's page in ``lang`` (one of :data:`hldgraph.messages.LANGS`):
    ``def.html`` in English, as every build has written it, else ``def.{lang}.html``
    (``def.fr.html``). All are served at doc/def.html, chosen by ``?lang=`` or
    Accept-Language."""
    return ONTOLOGY_PAGE if lang == "en" else f"def.{lang}.html"


#: The ontology's page in every language of the site, English first.
ONTOLOGY_PAGES = tuple(ontology_page(lang) for lang in LANGS)


def csvw_metadata(table: str) -> str:
    """The name of a CSV file's CSVW metadata: where CSVW processors look first (W3C Model for
    Tabular Data §5.3, ``{+url}-metadata.json``)."""
    return f"{table}-metadata.json"


DCATAP = Namespace("http://data.europa.eu/r5r/")
DCAT3 = Namespace(str(DCAT))  # rdflib's DCAT lacks DCAT 3 terms (dcat:version)
GSP = Namespace("http://www.opengis.net/ont/geosparql#")
#: Prefixes of the record's vocabularies, bound in the dumps beside urls.PREFIXES.
RECORD_PREFIXES = {"dcatap": DCATAP, "adms": ADMS, "vcard": VCARD, "spdx": SPDX, "gsp": GSP}


@dataclass(frozen=True)
class Download:
    """A published file: what it holds and how catalogues name its format."""

    file: str
    media_type: str  # IANA media type
    file_type: str  # code in the EU file-type authority table
    standard: str  # IRI of the specification it conforms to (a key of catalog.STANDARDS)
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
    Download(ICS, "text/calendar", "ICS",
             "https://www.rfc-editor.org/rfc/rfc5545", "Calendar (iCalendar)",
             "The calendar of events, one VEVENT per event, for calendar programs."),
    Download(CSV, "text/csv", "CSV",
             "https://www.rfc-editor.org/rfc/rfc4180", "Calendar (CSV)",
             "The calendar of events, one row per event, with labels of bodies, places and "
             "themes."),
    Download(EVENTS_JSONLD, "application/ld+json", "JSON_LD",
             "https://www.w3.org/TR/json-ld11-framing/", "Calendar (framed JSON-LD)",
             "The list of events, each whole, with its place, organisers and themes nested "
             "with their labels: JSON-LD framed by the published event frame."),
    Download(UNION_JSONLD, "application/ld+json", "JSON_LD",
             "https://www.w3.org/TR/json-ld11/", "JSON-LD (one graph)",
             "Every named graph merged into one graph, in compacted JSON-LD with the context "
             "inline."),
    Download(BODIES_CSV, "text/csv", "CSV", "https://www.rfc-editor.org/rfc/rfc4180",
             "Bodies (CSV)", "Every body: names, acronyms, type, parent body, Wikidata item."),
    Download(VENUES_CSV, "text/csv", "CSV", "https://www.rfc-editor.org/rfc/rfc4180",
             "Venues (CSV)", "Every venue: names, country, coordinates, Wikidata and GeoNames."),
    *(Download(csvw_metadata(t), "application/csvm+json", "JSON",
               "https://www.w3.org/TR/tabular-metadata/", f"CSVW metadata of {t}",
               f"Types every column of {t} and maps each row to the graph's IRIs and terms "
               "(CSV on the Web).") for t in TABLES),
)
DOWNLOADS_BY_FILE = {d.file: d for d in DOWNLOADS}
#: The calendar files -> their media types (linked on their own, apart from the graph's dumps).
CALENDAR_FILES = {name: DOWNLOADS_BY_FILE[name].media_type for name in (ICS, CSV)}
#: The graph's own dumps: the RDF files (not the calendar, the tables or their metadata).
GRAPH_DUMPS = tuple(d.file for d in DOWNLOADS if d.file not in CALENDAR_FILES
                    and d.media_type not in {"text/csv", "application/csvm+json"}
                    and d.file != EVENTS_JSONLD)
#: File name -> the media type it is served with: every distribution, and the JSON-LD context.
MEDIA_TYPES: dict[str, str] = {**{d.file: d.media_type for d in DOWNLOADS},
                               CONTEXT: "application/ld+json", LOOKUP: "application/json",
                               CHANGES: "text/rdf-patch"}


class Record:
    """The IRIs of the catalogue record's parts, for one base."""

    def __init__(self, iris: Iris) -> None:
        self.iris = iris
        self.catalog = iris("id/catalog")
        self.dataset = iris(f"id/dataset/{NAME}")
        self.service = iris("id/service/sparql")
        self.endpoint = iris("sparql")
        self.landing = iris("")
        self.downloads = iris("download/")
        self.leaflet = iris("id/document/leaflet")

    def part(self, path: str) -> URIRef:
        return URIRef(f"{self.dataset}/{path}")

    def distribution(self, d: Download) -> URIRef:
        return self.part(f"distribution/{d.slug}")

    def download_url(self, file: str) -> URIRef:
        return self.iris(f"download/{file}")

    # Releases (DCAT 3 §11, versioning): the dataset has a version per release, each a
    # dataset with its own distributions, downloaded under release/{version}/download/.

    def release(self, version: str) -> URIRef:
        """The dataset as release ``version`` published it: ``{dataset}/{version}``."""
        return self.part(version)

    def release_distribution(self, version: str, d: Download) -> URIRef:
        return self.part(f"{version}/distribution/{d.slug}")

    def release_download_url(self, version: str, file: str) -> URIRef:
        return self.iris.release(version, f"download/{file}")
