"""What the graph says of one thing, as a page shows it: values, labels and statements."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF

from hldgraph.labels import Label, choose, texts
from hldgraph.web.links import href, iris
from hldgraph.web.readmodel import index


@dataclass(frozen=True)
class Value:
    """A value shown on a page: a link (IRI) or a text (literal); ``lang`` is the language of
    its text ("" when it has none)."""

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
            label = self.index.label(term, self.lang)
            return Value(label, href(term), label.lang, str(term))
        return Value(str(term), lang=getattr(term, "language", None) or "")

    def out(self, p: URIRef) -> list[Value]:
        return self._sorted(self.graph.objects(self.iri, p))

    def inc(self, p: URIRef) -> list[Value]:
        return self._sorted(self.graph.subjects(p, self.iri))

    def _sorted(self, terms: Iterable[Any]) -> list[Value]:
        """By text (naturally), then language and IRI: values of one text (Madrid@en,
        Madrid@fr) keep one order, not the store's, which differs between processes."""
        return sorted((self.value(t) for t in terms),
                      key=lambda v: (natural(v.text), v.lang, v.iri, v.text))

    def text(self, p: URIRef) -> Label:
        """The value of ``p`` in the page's language, else another, by the one rule
        (:func:`hldgraph.labels.choose`); a Label, so that a page marks its language."""
        chosen = choose(texts(self.graph, self.iri, (p,)), self.lang)
        if chosen is not None:
            return chosen
        return Label(next((str(v) for v in self.graph.objects(self.iri, p)), ""))

    def texts(self, p: URIRef, lang: str) -> str:
        return next((str(v) for v in self.graph.objects(self.iri, p)
                     if isinstance(v, Literal) and v.language == lang), "")

    def has_type(self, t: URIRef) -> bool:
        return (self.iri, RDF.type, t) in self.graph

    def statements(self) -> list[tuple[Value, list[Value]]]:
        """Every property of the thing with its values, for the table at the foot of a page."""
        props = sorted({URIRef(str(p)) for p in self.graph.predicates(self.iri)}, key=iris().curie)
        return [(self.property(p), self.out(p)) for p in props]

    def backlinks(self) -> list[tuple[Value, list[Value]]]:
        props = sorted({URIRef(str(p)) for p in self.graph.predicates(None, self.iri)},
                       key=iris().curie)
        return [(self.property(p), self.inc(p)) for p in props]

    @staticmethod
    def property(p: URIRef) -> Value:
        return Value(iris().curie(p), href(p), iri=str(p))


def natural(text: str) -> list[Any]:
    """Sorts 'para 9' before 'para 10' and '17a' after '17'."""
    return [int(part) if part.isdigit() else part.casefold()
            for part in re.split(r"(\d+)", text)]


def kind_of(iri: str) -> str:
    """The kind of a thing from its IRI: event, org, place, paragraph, theme, …"""
    path = iris().path_of(iri).split("/")
    if path[1] == "resolution" and "para" in path:
        return "paragraph"
    return path[1]

