"""The files a build publishes and the IRIs the catalogue record names them with.

One table for both sides: the pipeline writes the files and describes them (DCAT-AP, VoID), the
web layer serves them and lists them (``/download/``, the landing page, schema.org markup).
"""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import Namespace, URIRef
from rdflib.namespace import DCAT

from hldgraph.urls import ADMS, SPDX, VCARD, Iris

#: The dataset's name: the stem of every dump.
NAME = "hld2006"
ICS = f"{NAME}-calendar.ics"
CSV = f"{NAME}-calendar.csv"
#: The JSON-LD context written beside the dumps (not a distribution of the dataset).
CONTEXT = "context.jsonld"
#: A release's change set from the release before it: RDF Patch (https://afs.github.io/rdf-patch/).
CHANGES = "changes.rdfp"
#: The ontology's HTML page, written into every build folder and served at doc/def.html.
ONTOLOGY_PAGE = "def.html"

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
)
DOWNLOADS_BY_FILE = {d.file: d for d in DOWNLOADS}
#: The calendar files -> their media types (linked on their own, apart from the graph's dumps).
CALENDAR_FILES = {name: DOWNLOADS_BY_FILE[name].media_type for name in (ICS, CSV)}
#: The graph's own dumps: every distribution but the calendar files.
GRAPH_DUMPS = tuple(d.file for d in DOWNLOADS if d.file not in CALENDAR_FILES)
#: File name -> the media type it is served with: every distribution, and the JSON-LD context.
MEDIA_TYPES: dict[str, str] = {**{d.file: d.media_type for d in DOWNLOADS},
                               CONTEXT: "application/ld+json", CHANGES: "text/rdf-patch"}


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
