"""The named graphs dereference: /graph/{name} answers 303 to its description or content."""

from __future__ import annotations

import pytest
import requests
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import RDF, VOID

from hldgraph.urls import GRAPHS, SD
from tests.conftest import select

BASE = "https://w3id.org/hld2006/"
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


def get(url: str, accept: str) -> requests.Response:
    return requests.get(url, headers={"Accept": accept}, allow_redirects=False, timeout=60)


def count(live: str, name: str) -> int:
    rows = select(live, f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{BASE}graph/{name}> "
                        "{ ?s ?p ?o } }")
    return int(rows[0]["n"])


@pytest.mark.parametrize("name", GRAPHS)
def test_browser_gets_the_description_page(live, name):
    r = get(f"{live}/graph/{name}", BROWSER)
    assert r.status_code == 303 and r.headers["Location"] == f"/doc/graph/{name}.html"
    assert "Accept" in r.headers["Vary"]
    page = get(live + r.headers["Location"], BROWSER)
    assert page.status_code == 200 and page.headers["Content-Type"].startswith("text/html")
    assert f'id="triples">{count(live, name)}<' in page.text
    for ext in ("trig", "nq", "ttl"):
        assert f'href="/doc/graph/{name}.{ext}"' in page.text


@pytest.mark.parametrize("name", GRAPHS)
@pytest.mark.parametrize("accept,ext,syntax", [("application/trig", "trig", "trig"),
                                                ("application/n-quads", "nq", "nquads")])
def test_dataset_clients_get_content_and_description(live, name, accept, ext, syntax):
    r = get(f"{live}/graph/{name}", accept)
    assert r.status_code == 303 and r.headers["Location"] == f"/doc/graph/{name}.{ext}"
    doc = get(live + r.headers["Location"], accept)
    assert doc.status_code == 200 and doc.headers["Content-Type"].startswith(accept)
    data = Dataset()
    data.parse(data=doc.content, format=syntax)
    graph, n = URIRef(f"{BASE}graph/{name}"), count(live, name)
    assert n > 0 and len(data.graph(graph)) == n
    described = data.default_graph if hasattr(data, "default_graph") else data.default_context
    assert (graph, VOID.triples, Literal(n)) in described
    assert (graph, RDF.type, VOID.Dataset) in described
    assert (None, SD.name, graph) in described


@pytest.mark.parametrize("name", GRAPHS)
def test_rdf_clients_get_the_content_as_turtle(live, name):
    r = get(f"{live}/graph/{name}", "text/turtle")
    assert r.status_code == 303 and r.headers["Location"] == f"/doc/graph/{name}.ttl"
    g = Graph().parse(data=get(live + r.headers["Location"], "text/turtle").content,
                      format="turtle")
    assert len(g) == count(live, name)


def test_quality_decides_between_a_graph_and_a_dataset_syntax(live):
    r = get(f"{live}/graph/editorial", "text/turtle;q=0.5, application/n-quads")
    assert r.headers["Location"] == "/doc/graph/editorial.nq"
    r = get(f"{live}/graph/editorial", "text/turtle, application/n-quads;q=0.5")
    assert r.headers["Location"] == "/doc/graph/editorial.ttl"


def test_graph_and_dataset_compared_by_the_one_negotiation(live):
    # the q-values compared are formats.quality's (RFC 9110 §12.5.1), as negotiate reads them:
    # charset=utf-8 is satisfied, so TriG keeps its 0.9 (werkzeug's own matching gave it 0)
    r = get(f"{live}/graph/editorial", "application/trig;charset=utf-8;q=0.9, text/turtle;q=0.5")
    assert r.headers["Location"] == "/doc/graph/editorial.trig"


def test_unknown_graphs_and_formats_are_404_and_406(live):
    assert get(f"{live}/graph/nothing", "text/turtle").status_code == 404
    assert get(f"{live}/doc/graph/source.csv", "text/turtle").status_code == 404
    assert get(f"{live}/doc/graph/nothing.ttl", "text/turtle").status_code == 404
    assert get(f"{live}/graph/source", "image/png").status_code == 406
