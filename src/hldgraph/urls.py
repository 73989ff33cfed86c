"""The one mapping between things, IRIs and URL paths (see docs/model.md)."""

from __future__ import annotations

from collections.abc import Iterable

from rdflib import Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, OWL, PROV, RDF, RDFS, SDO, SKOS, VOID, XSD

ORG = Namespace("http://www.w3.org/ns/org#")
ELI = Namespace("http://data.europa.eu/eli/ontology#")
SCHEMA = Namespace("http://schema.org/")
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
VANN = Namespace("http://purl.org/vocab/vann/")
ADMS = Namespace("http://www.w3.org/ns/adms#")
SPDX = Namespace("http://spdx.org/rdf/terms#")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
LANG = Namespace("http://publications.europa.eu/resource/authority/language/")
WD = Namespace("http://www.wikidata.org/entity/")

#: Prefixes written in every dump and offered to every query.
PREFIXES: dict[str, Namespace] = {
    "schema": SCHEMA, "org": ORG, "skos": Namespace(str(SKOS)), "eli": ELI,
    "dct": Namespace(str(DCTERMS)), "prov": Namespace(str(PROV)), "dcat": Namespace(str(DCAT)),
    "void": Namespace(str(VOID)), "owl": Namespace(str(OWL)), "rdfs": Namespace(str(RDFS)),
    "rdf": Namespace(str(RDF)), "xsd": Namespace(str(XSD)), "foaf": Namespace(str(FOAF)),
    "vann": VANN, "wd": WD,
}

GRAPHS = ("source", "editorial", "ontology", "catalog")
#: The graph in which ``hldgraph push`` records, beside the graphs it loads, the build they come
#: from (its manifest: see :mod:`hldgraph.dist`). Not data: never part of the served dataset.
BUILD_GRAPH = "build"

#: The base IRI that ontology/, shapes/ and the example queries are written with.
WRITTEN_BASE = "https://w3id.org/hld2006/"

__all__ = ["SDO", "Iris"]


def rebase(text: str, base: str) -> str:
    """``text`` (written with :data:`WRITTEN_BASE`) with its IRIs moved to ``base``."""
    return text.replace(WRITTEN_BASE, base) if base != WRITTEN_BASE else text


class Iris:
    """Builds the IRIs of one base and maps them to URL paths and back."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.ns = Namespace(base)
        self.hld = Namespace(base + "def/")

    def __call__(self, path: str) -> URIRef:
        return URIRef(self.base + path)

    def event(self, id_: str) -> URIRef:
        return self(f"id/event/{id_}")

    def org(self, slug: str) -> URIRef:
        return self(f"id/org/{slug}")

    def place(self, slug: str) -> URIRef:
        return self(f"id/place/{slug}")

    @property
    def resolution(self) -> URIRef:
        return self("id/resolution/a-res-60-227")

    def paragraph(self, number: int | str) -> URIRef:
        return self(f"id/resolution/a-res-60-227/para/{number}")

    def initiative(self, number: int | str) -> URIRef:
        return self(f"id/initiative/{number}")

    def event_category(self, key: str) -> URIRef:
        return self(f"id/event-category/{key}")

    def theme(self, id_: str) -> URIRef:
        return self(f"id/theme/{id_}")

    def graph(self, name: str) -> URIRef:
        return self(f"graph/{name}")

    # Releases. Release V is published under release/V/: its landing page release/V/, its
    # pages and documents release/V/doc/..., its downloads release/V/download/..., and its
    # named graphs, in the store beside the current ones, release/V/graph/{source,...}.

    def release(self, version: str, path: str = "") -> URIRef:
        """``{base}release/{version}/{path}``: release ``version`` itself (path ""), or a
        document or graph of it (``graph/source``, ``doc/event/7.ttl``)."""
        return self(f"release/{version}/{path.lstrip('/')}")

    def release_graph(self, version: str, name: str) -> URIRef:
        """The IRI under which the store holds graph ``name`` of release ``version``:
        ``{base}release/1.0/graph/source``."""
        return self.release(version, f"graph/{name}")

    def is_release(self, iri: str) -> bool:
        """Whether ``iri`` is under ``{base}release/`` (a release, or one of its graphs): the
        one test of which graphs of a store are a release's, not the served build's."""
        return iri.startswith(self.base + "release/")

    def served_graphs(self, names: Iterable[str]) -> list[str]:
        """Those of the graph ``names`` that hold the served build: all but the releases'."""
        return [name for name in names if not self.is_release(name)]

    def is_local(self, iri: str) -> bool:
        return iri.startswith(self.base)

    def path_of(self, iri: str) -> str:
        """The URL path (without leading '/') that serves ``iri``."""
        if not self.is_local(iri):
            raise ValueError(f"{iri} is not under {self.base}")
        return iri[len(self.base):]

    def iri_of(self, path: str) -> URIRef:
        return self(path.lstrip("/"))

    def curie(self, iri: str) -> str:
        """``schema:name``, ``hld:Initiative``: an IRI with its longest known prefix, or itself."""
        names = {**{p: str(ns) for p, ns in PREFIXES.items()}, "hld": str(self.hld)}
        for p, ns in sorted(names.items(), key=lambda kv: -len(kv[1])):
            if iri.startswith(ns) and len(iri) > len(ns):
                return f"{p}:{iri[len(ns):]}"
        return str(iri)

    # Documents. A thing's IRI (id/event/7) is not a document: it answers 303 See Other to a
    # document about it, doc/event/7.{html,ttl,jsonld,nt,rdf}. Every ontology term (def/...)
    # is described by the one ontology document, doc/def.{ext}; a named graph (graph/source)
    # by doc/graph/source.{ext}.

    def document(self, iri: str, extension: str) -> str:
        """The URL path (no leading "/") of the document describing ``iri`` in ``extension``.

        A graph of a release (``release/1.0/graph/source``) is described in the release, as
        the release describes its own graph: ``release/1.0/doc/graph/source.html``.
        """
        path = self.path_of(iri)
        if self.is_release(iri):
            version, _, rest = path[len("release/"):].partition("/")
            if rest.startswith("graph/") and rest.count("/") == 1:
                return f"release/{version}/" + self.document(self(rest), extension)
            raise ValueError(f"{iri} names no thing with documents")
        if path == "def" or path.startswith("def/"):
            path = "def"
        elif path.startswith("id/"):
            path = path[len("id/"):]
        elif path.startswith("graph/") and path.count("/") == 1:  # a named graph: doc/graph/x
            pass
        else:
            raise ValueError(f"{iri} names no thing with documents")
        return f"doc/{path}.{extension}"

    def document_iri(self, iri: str, extension: str) -> URIRef:
        return self(self.document(iri, extension))

    def topic_of(self, document_path: str) -> tuple[URIRef, str] | None:
        """The thing a document path describes and the document's extension, or None."""
        path = document_path.lstrip("/")
        if not path.startswith("doc/") or "." not in path.rsplit("/", 1)[-1]:
            return None
        stem, extension = path[len("doc/"):].rsplit(".", 1)
        if stem == "def":
            thing = self("def/")
        elif stem.startswith("graph/") and stem.count("/") == 1:
            thing = self(stem)
        else:
            thing = self(f"id/{stem}")
        return thing, extension
