"""pyoxigraph's terms and formats, shared by the in-process Oxigraph backend and the remote one
(which parses and writes RDF with pyoxigraph too)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef

from hldgraph.errors import QueryError
from hldgraph.formats import MediaType, prefixes

#: hldgraph's media type names (formats.MEDIA_TYPES) -> pyoxigraph's writers.
RESULT_FORMATS = {"json": ox.QueryResultsFormat.JSON, "xml": ox.QueryResultsFormat.XML,
                  "csv": ox.QueryResultsFormat.CSV, "tsv": ox.QueryResultsFormat.TSV}
RDF_FORMATS = {"turtle": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES,
               "rdfxml": ox.RdfFormat.RDF_XML, "jsonld": ox.RdfFormat.JSON_LD}
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def to_rdflib(term: Any) -> Any:
    """A pyoxigraph term as the rdflib term the web layer works with."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        return Literal(term.value, datatype=None if datatype == XSD_STRING else URIRef(datatype))
    raise QueryError("RDF-star triple terms are not supported in answers")


def write_graph(triples: Iterable[ox.Triple], media: MediaType) -> bytes:
    """Triples in ``media`` (a graph syntax of :data:`RDF_FORMATS`), with hldgraph's prefixes."""
    return bytes(ox.serialize(triples, format=RDF_FORMATS[media.name], prefixes=prefixes())
                 or b"")
