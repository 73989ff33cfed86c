"""JSON-LD for people who read JSON: the published context, a frame per kind of thing, and the
four forms of JSON-LD 1.1 (expanded, compacted, flattened, framed), all made by pyld.

Shared by the pipeline (the framed calendar and the union JSON-LD downloads) and the web layer
(every data document and the JSON twin of every page): one context, one set of frames, one way
of turning a graph into each form.

A framed document puts the thing asked for at the root and nests the things it links to, each
with its labels (JSON-LD 1.1 Framing §4.1, ``@embed: @always``). What gets nested is what the
input graph holds: :func:`view_query` reads a thing's own statements and, of each thing it links
to, only the statements in :data:`LINKED` (type, labels, acronyms, country, coordinates).
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS, XSD
from rdflib.term import Node

from hldgraph.distributions import CONTEXT as CONTEXT  # the context file (ontology, build)
from hldgraph.errors import HldgraphError
from hldgraph.formats import JSONLD, JSONLD_PROFILES
from hldgraph.urls import ORG, SCHEMA, rebase

EXPANDED, COMPACTED, FLATTENED, FRAMED = JSONLD_PROFILES
assert FRAMED == JSONLD + "framed"

#: The statements of a linked thing that a framed document nests: enough to name and place it.
LINKED = (RDF.type, SCHEMA.name, SKOS.prefLabel, SKOS.altLabel, SKOS.notation, RDFS.label,
          SCHEMA.addressCountry, SCHEMA.latitude, SCHEMA.longitude)

#: Framing flags of every frame: a linked thing is embedded wherever it is linked (not only the
#: first time), and a key is left out where a thing has no value (no nulls).
FLAGS = {"@embed": "@always", "@omitDefault": True}


def _label(*keys: str) -> dict[str, Any]:
    """The subframe of a link to a thing of the same kind: only its labels, since in a list
    that thing is also framed whole on its own. Compact IRIs, not terms: a term's language
    container would read ``{}`` as an empty language map (match none). ``@default`` lets a
    thing without this link match the frame (JSON-LD 1.1 Framing §4.2)."""
    return {**FLAGS, "@explicit": True, "@default": "@null", **{k: {} for k in keys}}


_EVENT = _label("schema:name")
_BODY = _label("skos:prefLabel", "skos:altLabel")
_CONCEPT = _label("skos:prefLabel", "skos:notation")
#: The frame of each kind of thing (JSON-LD 1.1 Framing §4.1), in the terms of the context.
FRAMES: dict[str, dict[str, Any]] = {
    "event": {"@type": "Event", "superEvent": _EVENT, "subEvent": _EVENT,
              "preparatoryEventOf": _EVENT, "dct:relation": _EVENT},
    "body": {"@type": "Organization", "subOrganizationOf": _BODY, "hasSubOrganization": _BODY},
    "place": {"@type": "Place"},
    "concept": {"@type": "Concept", "broader": _CONCEPT, "narrower": _CONCEPT},
    "thing": {},
}
#: The kind of a thing by its types, the first that applies (others are "thing").
KIND_OF_TYPE = ((SCHEMA.Event, "event"), (ORG.Organization, "body"), (SCHEMA.Place, "place"),
                (SKOS.Concept, "concept"))


def read_context(ontology_dir: str | Path, base: str) -> dict[str, Any]:
    """The context document (``{"@context": {...}}``) of the ontology folder, moved to ``base``."""
    path = Path(ontology_dir) / CONTEXT
    return json.loads(rebase(path.read_text(encoding="utf-8"), base))


def published_frame(kind: str, context_iri: str) -> dict[str, Any]:
    """The frame of ``kind`` as published: the context by reference, then the frame and flags.

    Raises KeyError for an unknown kind.
    """
    return copy.deepcopy({"@context": context_iri, **FRAMES[kind], **FLAGS})


def kind_of(graph: Graph, iri: str) -> str:
    """The kind of frame that suits ``iri``, by its types in ``graph``."""
    types = set(graph.objects(URIRef(iri), RDF.type))
    return next((kind for t, kind in KIND_OF_TYPE if t in types), "thing")


def view_query(values: str) -> str:
    """A CONSTRUCT of what framed documents show of the things bound to ``?s`` by ``values``
    (a SPARQL ``VALUES`` clause): their statements, and :data:`LINKED` of what they link to."""
    linked = ", ".join(f"<{p}>" for p in LINKED)
    return (f"CONSTRUCT {{ ?s ?p ?o . ?o ?lp ?lo }} WHERE {{ {values} ?s ?p ?o "
            f"OPTIONAL {{ ?o ?lp ?lo FILTER(?lp IN ({linked})) }} }}")


def view_triples(graph: Graph, iris: Iterable[str]) -> set[tuple[Node, Node, Node]]:
    """What :func:`view_query` reads, read from an rdflib graph (the pipeline's): the
    statements of ``iris`` and :data:`LINKED` of what they link to."""
    rv: set[tuple[Node, Node, Node]] = set()
    for iri in iris:
        for s, p, o in graph.triples((URIRef(iri), None, None)):
            rv.add((s, p, o))
            for lp in LINKED:
                rv.update(graph.triples((o, lp, None)))
    return rv


def values_of(iris: Iterable[str]) -> str:
    """A ``VALUES ?s { … }`` clause binding ``iris``."""
    return "VALUES ?s { " + " ".join(f"<{i}>" for i in iris) + " }"


def pyld_term(term: Node) -> dict[str, str]:
    """A term in pyld's RDF dataset form."""
    if isinstance(term, URIRef):
        return {"type": "IRI", "value": str(term)}
    if isinstance(term, BNode):
        return {"type": "blank node", "value": f"_:{term}"}
    assert isinstance(term, Literal)
    if term.language:
        return {"type": "literal", "value": str(term), "datatype": str(RDF.langString),
                "language": term.language}
    return {"type": "literal", "value": str(term), "datatype": str(term.datatype or XSD.string)}


def expanded(triples: Iterable[tuple[Node, Node, Node]]) -> list[dict[str, Any]]:
    """Expanded JSON-LD of a set of triples (no named graphs), in a stable order."""
    from pyld import jsonld  # imported here: most requests and commands never frame

    rows = [{"subject": pyld_term(s), "predicate": pyld_term(p), "object": pyld_term(o)}
            for s, p, o in sorted(triples, key=lambda t: tuple(x.n3() for x in t))]
    return jsonld.from_rdf({"@default": rows}, {"useNativeTypes": True})


def frame(data: list[dict[str, Any]], kind: str, context: dict[str, Any],
          roots: str | Sequence[str] | None = None) -> dict[str, Any]:
    """``data`` (expanded JSON-LD) framed by the frame of ``kind``, compacted with ``context``.

    ``roots``: one IRI gives that thing as the document's root object; a list gives ``graph``
    (the context's alias of ``@graph``) with those things, in that order; None gives ``graph``
    with every thing the frame matches.
    """
    from pyld import jsonld

    if roots is not None and not isinstance(roots, str) and not roots:
        return {"@context": context["@context"], "graph": []}
    # a copy: pyld changes the frame it is given
    shape: dict[str, Any] = copy.deepcopy({"@context": context["@context"], **FRAMES[kind],
                                           **FLAGS})
    one = isinstance(roots, str)
    if one:  # a plain string: pyld does not match an rdflib URIRef
        shape["@id"] = str(roots)
    # A list of roots is chosen here, not by the frame's @id: pyld looks a node up in a frame's
    # @id list by scanning it, which made the whole calendar quadratic in its events.
    rv = jsonld.frame(data, shape, {"omitGraph": one, "processingMode": "json-ld-1.1"})
    graph = next((k for k in ("graph", "@graph") if k in rv), "")  # the context names it graph
    if one and graph:  # the root was not found: nothing to frame
        raise HldgraphError(f"nothing in the graph has the IRI <{roots}>", 404)
    if roots is not None and not one:
        rank = {str(iri): n for n, iri in enumerate(roots)}
        rv[graph or "graph"] = sorted((node for node in rv.get(graph, []) if node["id"] in rank),
                                      key=lambda node: rank[node["id"]])
    return _context_first(rv, context)


def form(data: list[dict[str, Any]], profile: str, context: dict[str, Any],
         kind: str = "thing", roots: str | Sequence[str] | None = None) -> Any:
    """``data`` (expanded JSON-LD) in the form a JSON-LD profile names (JSON-LD 1.1 §9.1):
    expanded, compacted or flattened with ``context``, or framed by ``kind``'s frame at
    ``roots`` (see :func:`frame`). Raises ValueError for another profile."""
    from pyld import jsonld

    if profile == EXPANDED:
        return data
    if profile == COMPACTED:
        return _context_first(jsonld.compact(data, context["@context"]), context)
    if profile == FLATTENED:
        return _context_first(jsonld.flatten(data, context["@context"]), context)
    if profile == FRAMED:
        return frame(data, kind, context, roots)
    raise ValueError(f"unknown JSON-LD profile {profile!r}")


def _context_first(doc: dict[str, Any], context: dict[str, Any]) -> dict[str, Any]:
    """``doc`` with the whole context inline, first, so that a document stands on its own."""
    return {"@context": context["@context"], **{k: v for k, v in doc.items() if k != "@context"}}


def dumps(doc: Any) -> bytes:
    """A JSON-LD document as written: UTF-8, keys sorted (``@context`` first)."""
    return (json.dumps(doc, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode("utf-8")
