"""The built dataset and the small tools every build stage writes and reads it with.

The first stage of the pipeline's shared part: it imports no other stage.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import RDF, SKOS

from hldgraph.urls import PREFIXES, Iris

#: The graphs of facts and their description; graph/catalog describes them and is not counted.
CONTENT_GRAPHS = ("source", "editorial", "ontology")


@dataclass
class Built:
    """A built dataset and, for each record's IRI, the file and row it came from."""

    dataset: Dataset
    iris: Iris
    origins: dict[URIRef, tuple[str, int]] = field(default_factory=dict)

    def graph(self, name: str) -> Graph:
        return self.dataset.graph(self.iris.graph(name))


def new_dataset(iris: Iris | None = None) -> Dataset:
    """An empty dataset whose default graph is the union, with the project's prefixes."""
    ds = Dataset(default_union=True)
    prefixes = {**PREFIXES, **({"hld": iris.hld} if iris else {})}
    for prefix, ns in prefixes.items():
        ds.bind(prefix, ns, override=True, replace=True)
    return ds


def union_graph(ds: Dataset) -> Graph:
    """All named graphs merged into one, with the dataset's prefixes."""
    g = Graph()
    for prefix, ns in ds.namespaces():
        g.bind(prefix, ns, override=True, replace=True)
    for s, p, o, _ in ds.quads((None, None, None, None)):
        g.add((s, p, o))
    return g


def content_graph(built: Built) -> Graph:
    """The source, editorial and ontology graphs merged: what VoID counts and exports read."""
    g = Graph()
    for name in CONTENT_GRAPHS:
        for triple in built.graph(name):
            g.add(triple)
    return g


class Writer:
    """Adds triples to one graph; ``add`` skips empty values, ``typed`` types a node."""

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
