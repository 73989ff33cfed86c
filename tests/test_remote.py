"""The `sparql` backend against a real store holding the pushed build: every test that needs
one runs on each, an Oxigraph server and a Virtuoso server."""

from __future__ import annotations

import json
import time

import pytest
import requests
from oxigraph_server import remote_settings
from server import free_port, recording_server, serve

from hldgraph.errors import QueryError
from hldgraph.formats import BY_NAME
from hldgraph.store import open_store
from hldgraph.store.remote import RemoteStore
from hldgraph.web import create_app

#: Fixtures remote_server (each kind of server, fresh per module), pushed (holding the build).
pytest_plugins = ["remote_fixtures"]

BASE = "https://w3id.org/hld2006/"
SOURCE = BASE + "graph/source"
# DISTINCT: a triple stated in two graphs (rdf:type of a body) counts once in their merge
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }"
#: Three unrelated patterns over the whole graph: billions of solutions, never finished in time.
ENDLESS = ("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?a { ?s1 ?p1 ?o1 } GRAPH ?b { ?s2 ?p2 ?o2 } "
           "GRAPH ?c { ?s3 ?p3 ?o3 } }")


@pytest.fixture(scope="module")
def remote(pushed, settings, dist):
    with open_store(remote_settings(settings, pushed, dist)) as store:
        yield store


def manifest(dist) -> dict:
    return json.loads((dist / "manifest.json").read_text())


def count(store, text: str = COUNT, **dataset) -> int:
    return int(store.query(text, **dataset).rows[0]["n"])


def test_the_default_graph_is_the_union_of_the_pushed_graphs(remote, dist):
    assert isinstance(remote, RemoteStore)
    assert remote.graphs() == sorted(manifest(dist)["graphs"])
    assert count(remote) == manifest(dist)["triples"]


def test_from_and_the_protocol_dataset_choose_graphs(remote, dist):
    size = manifest(dist)["graphs"][SOURCE]
    text = f"SELECT (COUNT(*) AS ?n) FROM <{SOURCE}> WHERE {{ ?s ?p ?o }}"
    assert count(remote, text) == size
    assert count(remote, default_graphs=[SOURCE]) == size
    # named graphs alone: the default graph is empty, GRAPH sees only the one named
    assert count(remote, named_graphs=[SOURCE]) == 0
    rows = remote.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }",
                        named_graphs=[SOURCE]).rows
    assert [str(r["g"]) for r in rows] == [SOURCE]
    assert count(remote, default_graphs=[BASE + "graph/none"]) == 0


def test_answers_in_every_format(remote):
    event = f"<{BASE}id/event/7>"
    graph = remote.query(f"DESCRIBE {event}").graph
    assert len(graph) > 5
    for name in ("turtle", "nt", "jsonld", "rdfxml"):
        answer = remote.answer(f"CONSTRUCT {{ {event} ?p ?o }} WHERE {{ {event} ?p ?o }}",
                               BY_NAME[name])
        from rdflib import Graph

        parsed = Graph().parse(data=answer.body, format={"jsonld": "json-ld",
                                                          "rdfxml": "xml"}.get(name, name))
        assert len(parsed) == len(remote.query(f"CONSTRUCT WHERE {{ {event} ?p ?o }}"))
    csv = remote.answer(COUNT, BY_NAME["csv"]).body.decode()
    assert csv.split()[1] == str(count(remote))
    assert json.loads(remote.answer("ASK { ?s ?p ?o }", BY_NAME["json"]).body)["boolean"]


def test_results_are_cut_at_the_row_limit(pushed, settings, dist):
    with open_store(remote_settings(settings, pushed, dist, max_result_rows=5)) as store:
        result = store.query("SELECT ?s WHERE { ?s ?p ?o }")
        assert len(result.rows) == 5 and result.truncated
        answer = store.answer("SELECT ?s WHERE { ?s ?p ?o }", BY_NAME["json"])
        assert answer.truncated and len(json.loads(answer.body)["results"]["bindings"]) == 5
        graph = store.answer("CONSTRUCT WHERE { ?s ?p ?o }", BY_NAME["nt"])
        assert graph.truncated and len(graph.body.splitlines()) == 5


def test_connections_are_kept_alive(remote):
    for _ in range(20):
        remote.query("ASK { ?s ?p ?o }")
    pool = remote.client.pool().connection_from_url(remote.client.url)
    assert pool.num_connections == 1 and pool.num_requests >= 20


@pytest.mark.parametrize("text, status, words", [
    ("INSERT DATA { <http://e/s> <http://e/p> 1 }", 403, "read-only"),
    ("SELECT * WHERE { SERVICE <http://127.0.0.1:1/> { ?s ?p ?o } }", 403, "SERVICE"),
    ("SELECT * WHERE { ?s ?p ?o }" + " " * 30000, 413, "limit"),
    ("DEFINE input:grab-all 'yes' SELECT * WHERE { ?s ?p ?o }", 400, "not a SPARQL query"),
])
def test_the_safety_rules_hold_before_the_store_is_asked(settings, text, status, words):
    with recording_server() as (url, seen):
        store = open_store(settings.with_(store="sparql", sparql_url=url + "/query"))
        with pytest.raises(QueryError) as e:
            store.answer(text, BY_NAME["json"])
        assert e.value.status == status and words in e.value.message
        assert seen == []


def test_a_syntax_error_is_a_400_explained_as_the_local_backends_do(remote):
    with pytest.raises(QueryError) as e:
        remote.query("SELECT * WHERE { ?s ?p }")
    assert e.value.status == 400 and "syntax error at line 1, column" in e.value.message


def test_the_time_limit_is_a_503(pushed, settings, dist):
    with open_store(remote_settings(settings, pushed, dist, query_time_limit_s=0.5)) as store:
        started = time.monotonic()
        with pytest.raises(QueryError) as e:
            store.query(ENDLESS)
        assert e.value.status == 503 and "time limit" in e.value.message
        assert time.monotonic() - started < 3


def test_virtuosos_own_time_limit_is_a_503_too(virtuoso_pushed, settings, dist):
    # Virtuoso gives up first (MaxQueryExecutionTime, 5 s), before hldgraph's 30 s, with a 500
    # "Virtuoso S1T00 Error SR171: Transaction timed out"
    served = remote_settings(settings, virtuoso_pushed, dist, query_time_limit_s=30)
    with open_store(served) as store:
        started = time.monotonic()
        with pytest.raises(QueryError) as e:
            store.query(ENDLESS)
        assert e.value.status == 503 and "too slow" in e.value.message, e.value.message
        assert time.monotonic() - started < 20


def test_an_unreachable_store_is_a_503_naming_it(settings):
    url = f"http://127.0.0.1:{free_port()}/query"
    store = open_store(settings.with_(store="sparql", sparql_url=url))
    with pytest.raises(QueryError) as e:
        store.query("ASK {}")
    assert e.value.status == 503 and url in e.value.message and "cannot be reached" in \
        e.value.message
    assert store.digest == "remote-unavailable"


def test_a_wrong_url_is_a_502(pushed, settings):
    store = open_store(settings.with_(store="sparql", sparql_url=pushed.base + "/nothing"))
    with pytest.raises(QueryError) as e:
        store.query("ASK {}")
    assert e.value.status == 502 and "404" in e.value.message


def test_the_endpoint_serves_the_remote_store_over_http(remote, settings):
    with serve(create_app(remote.settings, remote)) as base:
        r = requests.get(base + "/sparql", params={"query": COUNT},
                         headers={"Accept": "application/sparql-results+json"}, timeout=10)
        assert r.status_code == 200
        assert int(r.json()["results"]["bindings"][0]["n"]["value"]) == count(remote)
        health = requests.get(base + "/-/health", timeout=10).json()
        assert health["graphs"] == 4 and health["digest"].startswith("remote:")
    down = open_store(settings.with_(store="sparql",
                                     sparql_url=f"http://127.0.0.1:{free_port()}/query"))
    with serve(create_app(down.settings, down)) as base:
        r = requests.get(base + "/sparql", params={"query": COUNT},
                         headers={"Accept": "application/sparql-results+json"}, timeout=10)
        assert r.status_code == 503
        assert r.json()["ok"] is False and "cannot be reached" in r.json()["error"]


def test_the_digest_follows_a_push(pushed, settings, dist):
    from hldgraph.push import push
    from hldgraph.store import remote as remote_module

    with open_store(remote_settings(settings, pushed, dist)) as store:
        before = store.digest
        assert before.startswith("remote:") and store.digest == before
        requests.post(pushed.store_url, params={"graph": SOURCE},
                      data=b'<http://e/s> <http://e/p> "extra" .',
                      headers={"Content-Type": "application/n-triples"}, timeout=10)
        store._due = 0.0  # as if DIGEST_TTL_S had passed
        assert store.digest != before
        assert remote_module.DIGEST_TTL_S > 0
    push(remote_settings(settings, pushed, dist), dist)
