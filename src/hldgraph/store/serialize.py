"""Query answers (:class:`~hldgraph.store.base.Result`) written in a SPARQL results format.

Graphs (CONSTRUCT, DESCRIBE) are written by :func:`hldgraph.formats.serialize_graph`, which data
documents use too. No writer here emits a document that its format cannot carry: an XML answer
holding a character XML 1.0 forbids is refused (406) by :func:`hldgraph.formats.ensure_carried`.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence

from rdflib import BNode, Literal, URIRef, Variable
from rdflib.query import Result as RdflibResult

from hldgraph.formats import MediaType, ensure_carried, serialize_graph, term_texts
from hldgraph.store.base import Result

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
# Tabs and line breaks would end a cell or a row: TSV escapes them as Turtle does.
_TSV_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r",
                              "\t": "\\t"})


def serialize_result(result: Result, media: MediaType) -> bytes:
    """A query answer in ``media``: SPARQL results for SELECT and ASK, RDF for a graph.

    Raises NotAcceptable (406) when ``media`` cannot carry a character of the answer.
    """
    if result.kind == "construct":
        return serialize_graph(result.graph, media)
    if result.kind == "select":
        ensure_carried(media, "select", term_texts(row.values() for row in result.rows))
    if media.name == "tsv":
        return _tsv(result.vars, result.rows)
    rv = RdflibResult(result.kind.upper())
    if result.kind == "ask":
        rv.askAnswer = result.boolean
    else:
        rv.vars = [Variable(v) for v in result.vars]
        rv.bindings = [{Variable(k): v for k, v in row.items()} for row in result.rows]
    out = io.BytesIO()
    rv.serialize(out, format=media.rdflib, encoding="utf-8")
    return out.getvalue()


def _tsv(variables: Sequence[str], rows: Iterable[dict]) -> bytes:
    """SPARQL 1.1 TSV: a header of ?names, then terms in Turtle/N-Triples syntax."""
    lines = ["\t".join("?" + v for v in variables)]
    for row in rows:
        lines.append("\t".join(_tsv_term(row.get(v)) for v in variables))
    return ("\n".join(lines) + "\n").encode("utf-8")


def _tsv_term(term: object) -> str:
    if term is None:
        return ""
    if isinstance(term, URIRef):
        return f"<{term}>"
    if isinstance(term, BNode):
        return f"_:{term}"
    if isinstance(term, Literal):
        text = str(term).translate(_TSV_ESCAPES)
        if term.language:
            return f'"{text}"@{term.language}'
        if term.datatype and str(term.datatype) != _XSD_STRING:
            return f'"{text}"^^<{term.datatype}>'
        return f'"{text}"'
    return str(term)
