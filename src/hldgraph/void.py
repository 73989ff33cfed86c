"""VoID for the dataset, in graph/catalog beside the DCAT-AP record (:mod:`hldgraph.catalog`).

Counts, class and property partitions and linksets, all computed from the content graphs (source,
editorial, ontology). The catalog graph is not counted: it holds the counts, and counting it would
change them. VoID: https://www.w3.org/TR/void/.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import FOAF, RDF, VOID

from hldgraph.dataset import Writer
from hldgraph.distributions import GRAPH_DUMPS, Record
from hldgraph.urls import PREFIXES, SCHEMA, Iris

#: Datasets that hldgraph links to, by the IRI space of their things (void:Linkset targets).
LINK_TARGETS: dict[str, tuple[str, str]] = {
    "wikidata": ("http://www.wikidata.org/entity/", "https://www.wikidata.org/"),
    "geonames": ("https://sws.geonames.org/", "https://www.geonames.org/"),
}


def describe(w: Writer, rec: Record, content: Graph) -> None:
    """Adds the VoID description of ``rec.dataset``, counted on ``content``, with ``w``."""
    d, base = rec.dataset, rec.iris.base
    w.add(d, VOID.sparqlEndpoint, rec.endpoint)
    for file in GRAPH_DUMPS:
        w.add(d, VOID.dataDump, rec.download_url(file))
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
        found = sorted(s for s in g.subjects(RDF.type, cls)
                       if isinstance(s, URIRef) and str(s).startswith(iris.base))
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


def _linkset(w: Writer, rec: Record, target: str, prop: str, n: int) -> None:
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
