"""Content negotiation and serialisers (hldgraph.formats), for the endpoint and the pages."""

from __future__ import annotations

import csv
import io
import json

import pytest
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.plugins.sparql.results.tsvresults import TSVResultParser
from server import sample_dataset

from hldgraph.formats import (
    BY_NAME,
    MEDIA_TYPES,
    NotAcceptable,
    negotiate,
    offered,
    serialize_graph,
)
from hldgraph.store import Result
from hldgraph.store.serialize import serialize_result

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


@pytest.mark.parametrize("accept,kind,html,expected", [
    (None, "select", False, "json"),
    ("", "construct", False, "turtle"),
    ("*/*", "ask", False, "json"),
    ("*/*", "dataset", False, "trig"),
    ("application/json", "select", False, "json"),
    ("application/xml", "select", False, "xml"),
    ("text/csv;q=0.9, text/tab-separated-values", "select", False, "tsv"),
    ("text/*;q=0.5, application/sparql-results+xml;q=0.4", "select", False, "csv"),
    ("application/n-quads", "dataset", False, "nq"),
    ("application/ld+json;q=0.9, text/turtle;q=0.1", "dataset", False, "jsonld"),
    ("text/plain", "construct", False, "nt"),
    (BROWSER, "select", True, "html"),
    (BROWSER, "construct", False, "rdfxml"),  # application/xml is read as RDF/XML
    (BROWSER, "select", False, "xml"),
])
def test_negotiate_by_accept(accept, kind, html, expected):
    assert negotiate(accept, kind, html=html).name == expected


@pytest.mark.parametrize("fmt,kind,expected", [
    ("ttl", "construct", "turtle"), ("TURTLE", "construct", "turtle"),
    ("json", "construct", "jsonld"), ("xml", "construct", "rdfxml"),
    ("rdf+xml", "construct", "rdfxml"), ("nt", "construct", "nt"),
    ("tsv", "select", "tsv"), ("text/csv", "select", "csv"), ("json", "ask", "json"),
    (("bogus", "csv"), "select", "csv"),  # the first usable of several
])
def test_negotiate_by_format_parameter(fmt, kind, expected):
    assert negotiate("text/turtle", kind, format=fmt).name == expected


@pytest.mark.parametrize("accept,fmt,kind,names", [
    ("text/csv", None, "ask", ["application/sparql-results+json"]),
    ("image/png", None, "construct", ["text/turtle", "application/rdf+xml"]),
    (None, "csv", "construct", ["turtle", "jsonld"]),
    (None, "html", "select", ["json"]),  # HTML only where the caller renders pages
    (None, "nq", "construct", ["nt"]),
])
def test_406_says_what_is_available(accept, fmt, kind, names):
    with pytest.raises(NotAcceptable) as e:
        negotiate(accept, kind, format=fmt)
    assert e.value.status == 406
    for name in names:
        assert name in e.value.message


def test_every_kind_is_offered_and_every_type_has_a_w3c_iri():
    for kind in ("select", "ask", "construct", "dataset"):
        assert offered(kind)
    assert all(m.w3c.startswith("http://www.w3.org/ns/formats/") for m in MEDIA_TYPES
               if m.name != "html")
    assert BY_NAME["json"].content_type == "application/sparql-results+json; charset=utf-8"


def _select() -> Result:
    return Result("select", ["s", "label"], [
        {"s": URIRef("http://x/1"), "label": Literal("a,b \"c\"\n", lang="fr")},
        {"s": URIRef("http://x/2")},
    ])


def test_select_serialisers_round_trip():
    result = _select()
    data = json.loads(serialize_result(result, BY_NAME["json"]))
    assert data["results"]["bindings"][0]["label"] == {
        "type": "literal", "value": "a,b \"c\"\n", "xml:lang": "fr"}
    assert "label" not in data["results"]["bindings"][1]
    rows = list(csv.reader(io.StringIO(serialize_result(result, BY_NAME["csv"]).decode())))
    assert rows == [["s", "label"], ["http://x/1", "a,b \"c\"\n"], ["http://x/2", ""]]
    tsv = TSVResultParser().parse(io.StringIO(serialize_result(result, BY_NAME["tsv"]).decode()))
    assert [r["label"] for r in tsv] == [Literal("a,b \"c\"\n", lang="fr"), None]
    assert b"<boolean>true</boolean>" in serialize_result(Result("ask", boolean=True),
                                                          BY_NAME["xml"])


@pytest.mark.parametrize("name,parser", [("turtle", "turtle"), ("nt", "nt"),
                                         ("jsonld", "json-ld"), ("rdfxml", "xml")])
def test_graph_serialisers_round_trip(name, parser):
    ds = sample_dataset()
    graph = Graph()
    for triple in ds.triples((None, None, None)):
        graph.add(triple)
    back = Graph().parse(data=serialize_graph(graph, BY_NAME[name]), format=parser)
    assert len(back) == len(graph) and set(back) == set(graph)


@pytest.mark.parametrize("name,parser", [("trig", "trig"), ("nq", "nquads"),
                                         ("jsonld", "json-ld")])
def test_dataset_serialisers_keep_the_named_graphs(name, parser):
    ds = sample_dataset()
    back = Dataset()
    back.parse(data=serialize_graph(ds, BY_NAME[name]), format=parser)
    names = {str(g.identifier) for g in back.graphs() if len(g)}
    assert names == {"https://w3id.org/hld2006/graph/source",
                     "https://w3id.org/hld2006/graph/editorial"}
    assert len(back) == len(ds)


def test_a_data_document_that_xml_cannot_carry_is_refused_not_written_broken():
    graph = Graph()
    graph.add((URIRef("urn:s"), URIRef("urn:p"), Literal("a\x01b")))
    with pytest.raises(NotAcceptable) as refused:
        serialize_graph(graph, BY_NAME["rdfxml"])
    assert refused.value.status == 406 and "U+0001" in refused.value.message
    assert "text/turtle" in refused.value.message
    back = Graph().parse(data=serialize_graph(graph, BY_NAME["turtle"]), format="turtle")
    assert [str(o) for o in back.objects()] == ["a\x01b"]
    with pytest.raises(NotAcceptable):
        serialize_result(Result("select", ["x"], [{"x": Literal("a\x01b")}]), BY_NAME["xml"])
