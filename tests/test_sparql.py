"""The SPARQL endpoint over real HTTP on loopback: formats, protocol errors, safety and limits."""

from __future__ import annotations

import csv
import io
import threading
import time
from urllib.parse import quote

import pytest
import requests
from rdflib import Graph, Literal, URIRef
from rdflib.plugins.sparql.results.tsvresults import TSVResultParser
from server import (
    BASE,
    EDITORIAL,
    SOURCE,
    recording_server,
    sample_store,
    serve,
    serve_production,
    write_dump,
)
from SPARQLWrapper import (
    CSV,
    JSON,
    JSONLD,
    POST,
    POSTDIRECTLY,
    RDFXML,
    TSV,
    TURTLE,
    XML,
    SPARQLWrapper,
)

from hldgraph.settings import load_settings
from hldgraph.web import create_app

SELECT = """PREFIX schema: <http://schema.org/>
SELECT ?event ?name WHERE { ?event a schema:Event ; schema:name ?name } ORDER BY ?event ?name"""
CONSTRUCT = """PREFIX schema: <http://schema.org/>
CONSTRUCT { ?event schema:name ?name } WHERE { ?event a schema:Event ; schema:name ?name }"""
EVENT7 = URIRef(BASE + "id/event/7")
NAME = URIRef("http://schema.org/name")
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
SLOW = "SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


def _app(backend: str, **settings):
    store = sample_store(backend, **settings)
    return create_app(store.settings, store), store


@pytest.fixture(scope="module", params=["memory", "oxigraph"])
def url(request):
    app, store = _app(request.param)
    with store, serve(app) as base:
        yield base + "/sparql"


def wrapper(url: str, query: str, fmt: str, method: str = "GET") -> SPARQLWrapper:
    sw = SPARQLWrapper(url)
    sw.setQuery(query)
    sw.setReturnFormat(fmt)
    if method != "GET":
        sw.setMethod(POST)
        if method == "POSTDIRECTLY":
            sw.setRequestMethod(POSTDIRECTLY)
    return sw


EXPECTED_NAMES = {"Conference on Migration and Development",
                  "Conférence sur la migration et le développement", "High-Level Dialogue"}


# ---- every result format, through a real client and real parsers ---------------------------

@pytest.mark.parametrize("method", ["GET", "POST", "POSTDIRECTLY"])
def test_select_json(url, method):
    data = wrapper(url, SELECT, JSON, method).query().convert()
    assert data["head"]["vars"] == ["event", "name"]
    assert {b["name"]["value"] for b in data["results"]["bindings"]} == EXPECTED_NAMES
    french = [b["name"] for b in data["results"]["bindings"] if b["name"].get("xml:lang") == "fr"]
    assert french == [{"type": "literal", "xml:lang": "fr",
                       "value": "Conférence sur la migration et le développement"}]


def test_select_xml(url):
    doc = wrapper(url, SELECT, XML).query().convert()
    literals = {n.firstChild.data for n in doc.getElementsByTagName("literal")}
    assert literals == EXPECTED_NAMES


def test_select_csv(url):
    body = wrapper(url, SELECT, CSV).query().convert().decode("utf-8")
    rows = list(csv.DictReader(io.StringIO(body)))
    assert {r["name"] for r in rows} == EXPECTED_NAMES
    assert {r["event"] for r in rows} == {str(EVENT7), BASE + "id/event/50"}


def test_select_tsv(url):
    body = wrapper(url, SELECT, TSV).query().convert()
    result = TSVResultParser().parse(io.StringIO(body.decode("utf-8")))
    assert {str(row["name"]) for row in result} == EXPECTED_NAMES
    assert Literal("High-Level Dialogue", lang="en") in {row["name"] for row in result}


def test_tsv_escapes_tabs_and_line_breaks(url):
    q = "SELECT ?note WHERE { ?s <http://www.w3.org/2004/02/skos/core#editorialNote> ?note }"
    r = requests.get(url, params={"query": q}, headers={"Accept": "text/tab-separated-values"})
    assert r.status_code == 200
    assert r.text.count("\n") == 2  # header and one row: the tab and line break are escaped
    result = TSVResultParser().parse(io.StringIO(r.text))
    assert [str(row["note"]) for row in result] == ['Tab\there, a line break\nand a "quote"']


@pytest.mark.parametrize("fmt,parser", [(TURTLE, "turtle"), (JSONLD, None), (RDFXML, None)])
def test_construct_rdf_formats(url, fmt, parser):
    got = wrapper(url, CONSTRUCT, fmt).query().convert()
    graph = Graph().parse(data=got, format=parser) if parser else got
    assert isinstance(graph, Graph) and len(graph) == 3
    assert (EVENT7, NAME, Literal("Conference on Migration and Development", lang="en")) in graph


@pytest.mark.parametrize("accept,fmt,parser", [
    ("application/n-triples", None, "nt"), (None, "nt", "nt"), (None, "jsonld", "json-ld"),
    ("application/rdf+xml;q=0.5, text/turtle;q=0.9", None, "turtle"),
])
def test_construct_by_accept_or_format(url, accept, fmt, parser):
    r = requests.get(url, params={"query": CONSTRUCT, **({"format": fmt} if fmt else {})},
                     headers={"Accept": accept} if accept else {})
    assert r.status_code == 200
    graph = Graph().parse(data=r.content, format=parser)
    assert (EVENT7, NAME, Literal("Conference on Migration and Development", lang="en")) in graph
    assert r.headers["Vary"] == "Accept, Accept-Language"  # HTML here is the query page
    assert r.headers["Content-Type"].endswith("; charset=utf-8")


def test_ask_and_describe(url):
    assert wrapper(url, f"ASK {{ <{EVENT7}> ?p ?o }}", JSON).query().convert()["boolean"] is True
    r = requests.get(url, params={"query": f"DESCRIBE <{EVENT7}>"},
                     headers={"Accept": "text/turtle"})
    assert (EVENT7, NAME, Literal("High-Level Dialogue", lang="en")) not in Graph().parse(
        data=r.text, format="turtle")
    assert len(Graph().parse(data=r.text, format="turtle")) > 3


def test_default_and_named_graph_parameters(url):
    q = f"SELECT ?p WHERE {{ <{BASE}id/org/iom> ?p ?o }}"
    r = requests.get(url + f"?query={quote(q)}&default-graph-uri={quote(SOURCE)}",
                     headers={"Accept": "application/sparql-results+json"})
    assert {b["p"]["value"] for b in r.json()["results"]["bindings"]} == {
        "http://www.w3.org/2004/02/skos/core#altLabel"}
    q = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
    r = requests.post(url + f"?named-graph-uri={quote(EDITORIAL)}", data=q.encode(),
                      headers={"Content-Type": "application/sparql-query"})
    assert [b["g"]["value"] for b in r.json()["results"]["bindings"]] == [EDITORIAL]


# ---- protocol errors -------------------------------------------------------------------------

def _error(r: requests.Response, status: int, *words: str) -> dict:
    assert r.status_code == status, r.text
    body = r.json()
    assert body["ok"] is False and body["status"] == status
    for word in words:
        assert word in body["error"]
    return body


def test_duplicate_query_parameter(url):
    _error(requests.get(url + "?query=ASK%7B%7D&query=ASK%7B%7D"), 400, "query", "2 times")


@pytest.mark.parametrize("headers", [{}, {"Content-Type": "text/plain"}])
def test_post_without_the_right_content_type(url, headers):
    r = requests.post(url, data=b"query=ASK%20%7B%7D", headers=headers)
    _error(r, 415, "application/x-www-form-urlencoded", "application/sparql-query")


def test_non_utf8_bodies(url):
    _error(requests.post(url, data="ASK {}".encode("utf-16"),
                         headers={"Content-Type": "application/sparql-query"}), 400, "UTF-8")
    _error(requests.post(url, data="ASK {}".encode("utf-16"),
                         headers={"Content-Type": "application/sparql-query; charset=UTF-16"}),
           400, "UTF-16")
    _error(requests.post(url, data=b"query=ASK%20%7B%7D%FF%FE",
                         headers={"Content-Type": "application/x-www-form-urlencoded"}),
           400, "UTF-8")


@pytest.mark.parametrize(("name", "value"), [("default-graph-uri", "not an iri"),
                                            ("default-graph-uri", ""),
                                            ("named-graph-uri", "relative/graph"),
                                            ("named-graph-uri", "urn:a\u0000b")])
def test_a_graph_that_is_not_an_iri_is_a_400_naming_its_parameter(url, name, value):
    """Was 'the query could not be evaluated: ValueError: Invalid IRI code point' from the
    engine (oxigraph), or silently an empty graph (memory)."""
    for r in (requests.get(url, params={"query": "ASK {}", name: value}),
              requests.post(url, data={"query": "ASK {}", name: value})):
        _error(r, 400, name, "IRI")


def test_syntax_error_has_the_parser_message(url):
    _error(requests.get(url, params={"query": "SELECT * WHERE { ?s ?p }"}), 400, "syntax")


def test_method_not_allowed(url):
    r = requests.put(url + "?query=ASK%7B%7D")
    _error(r, 405)
    assert "GET" in r.headers["Allow"] and "POST" in r.headers["Allow"]


def test_406_when_nothing_acceptable(url):
    _error(requests.get(url, params={"query": "ASK {}"}, headers={"Accept": "text/csv"}), 406,
           "application/sparql-results+json")
    _error(requests.get(url, params={"query": SELECT, "format": "turtle"}), 406, "json")
    _error(requests.get(url, params={"query": CONSTRUCT},
                        headers={"Accept": "image/png"}), 406, "text/turtle")


def test_accept_q_values_and_wildcards(url):
    def served(accept: str, query: str = SELECT) -> str:
        r = requests.get(url, params={"query": query}, headers={"Accept": accept})
        return r.headers["Content-Type"]

    assert served("*/*").startswith("application/sparql-results+json")
    assert served("text/csv;q=0.4, application/sparql-results+xml;q=0.8").startswith(
        "application/sparql-results+xml")
    assert served("text/*").startswith("text/csv")
    assert served("application/*", CONSTRUCT).startswith("application/ld+json")
    assert served("*/*;q=0.1, application/n-triples", CONSTRUCT).startswith(
        "application/n-triples")


def test_errors_are_a_page_for_browsers(url):
    r = requests.get(url, params={"query": "SELECT * {"},
                     headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert r.status_code == 400 and r.headers["Content-Type"].startswith("text/html")
    assert "syntax" in r.text.lower() and "Traceback" not in r.text


# ---- read-only, no outbound requests ---------------------------------------------------------

def _count(url: str) -> int:
    r = requests.get(url, params={"query": COUNT}, headers={"Accept": "application/json"})
    return int(r.json()["results"]["bindings"][0]["n"]["value"])


@pytest.mark.parametrize("how", ["form", "direct", "get", "query"])
def test_updates_are_refused_and_nothing_changes(url, how):
    before = _count(url)
    update = f"DELETE WHERE {{ <{EVENT7}> ?p ?o }}"
    if how == "form":
        r = requests.post(url, data={"update": update})
    elif how == "direct":
        r = requests.post(url, data=update, headers={"Content-Type": "application/sparql-update"})
    elif how == "get":
        r = requests.get(url, params={"update": update})
    else:
        r = requests.post(url, data={"query": update})
    _error(r, 403, "read-only")
    assert _count(url) == before


def test_no_outbound_requests(url):
    with recording_server() as (remote, seen):
        attempts = {
            "service": (f"SELECT * WHERE {{ SERVICE <{remote}/sparql> {{ ?s ?p ?o }} }}", 403),
            "service silent": (f"SELECT * {{ SERVICE SILENT <{remote}/> {{ ?s ?p ?o }} }}", 403),
            "from": (f"SELECT * FROM <{remote}/data.nt> WHERE {{ ?s ?p ?o }}", 200),
            "from named": (f"SELECT * FROM NAMED <{remote}/g.nt> "
                           "WHERE { GRAPH ?g { ?s ?p ?o } }", 200),
            "load": (f"LOAD <{remote}/data.nt>", 403),
        }
        for name, (query, status) in attempts.items():
            r = requests.post(url, data={"query": query}, headers={"Accept": "application/json"})
            assert r.status_code == status, name
            if status == 200:
                assert r.json()["results"]["bindings"] == [], name
        r = requests.get(url, params={"query": COUNT, "default-graph-uri": f"{remote}/x.nt"},
                         headers={"Accept": "application/json"})
        assert r.json()["results"]["bindings"][0]["n"]["value"] == "0"
        assert seen == []


# ---- limits ----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def tight():
    """A server with tight limits: 1 s, 3 rows, 2 kB bodies, 400-character queries."""
    app, store = _app("oxigraph", extra_triples=300, query_time_limit_s=1.0, max_result_rows=3,
                      max_request_bytes=2048, max_query_chars=400)
    with store, serve(app) as base:
        yield base + "/sparql"


def test_timeout_is_503_and_others_are_answered_meanwhile(tight):
    slow: dict[str, object] = {}

    def run_slow() -> None:
        start = time.monotonic()
        slow["response"] = requests.get(tight, params={"query": SLOW})
        slow["seconds"] = time.monotonic() - start

    thread = threading.Thread(target=run_slow)
    thread.start()
    time.sleep(0.2)
    quick = [requests.get(tight, params={"query": "ASK { ?s ?p ?o }"}) for _ in range(3)]
    assert all(r.status_code == 200 and r.json()["boolean"] is True for r in quick)
    assert thread.is_alive()  # the quick answers came while the slow query ran
    thread.join(10)
    r = slow["response"]
    assert isinstance(r, requests.Response)
    _error(r, 503, "time limit of 1 s")
    assert slow["seconds"] < 2.5
    assert requests.get(tight, params={"query": "ASK {}"}).status_code == 200


def test_truncation_is_said_in_a_header(tight):
    r = requests.get(tight, params={"query": "SELECT * { ?s ?p ?o }"},
                     headers={"Accept": "application/json"})
    assert len(r.json()["results"]["bindings"]) == 3
    assert r.headers["X-Result-Truncated"] == "3"
    r = requests.get(tight, params={"query": "SELECT * { ?s a ?t }"})
    assert "X-Result-Truncated" not in r.headers


def test_413_for_large_bodies_and_long_queries(tight):
    _error(requests.post(tight, data={"query": "ASK {} #" + "x" * 3000}), 413, "2048 bytes")
    _error(requests.get(tight, params={"query": "ASK {} #" + "x" * 500}), 413, "400")


# ---- HTTP caching, CORS, cache ---------------------------------------------------------------

def test_etag_and_304(url):
    r = requests.get(url, params={"query": SELECT})
    etag = r.headers["ETag"]
    again = requests.get(url, params={"query": SELECT}, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    other = requests.get(url, params={"query": SELECT}, headers={"Accept": "text/csv",
                                                                 "If-None-Match": etag})
    assert other.status_code == 200 and other.headers["ETag"] != etag


def test_response_cache(url):
    """A GET's response is kept by what it depends on: the URL, and Accept (its Vary)."""
    q = SELECT + " # cache probe"
    first = requests.get(url, params={"query": q})
    second = requests.get(url, params={"query": q})
    assert (first.headers["X-Cache"], second.headers["X-Cache"]) == ("miss", "hit")
    assert first.content == second.content and first.headers["ETag"] == second.headers["ETag"]
    other_url = requests.get(url, params={"query": "  " + q + "\n"})
    assert other_url.headers["X-Cache"] == "miss" and other_url.content == first.content
    csv_answer = requests.get(url, params={"query": q}, headers={"Accept": "text/csv"})
    assert csv_answer.headers["X-Cache"] == "miss"
    assert requests.get(url, params={"query": q}, headers={"Accept": "text/csv"}
                        ).headers["X-Cache"] == "hit"
    posted = requests.post(url, data={"query": q})
    assert posted.headers["X-Cache"] == "miss" and posted.content == first.content


def test_cors(url):
    r = requests.get(url, params={"query": "ASK {}"}, headers={"Origin": "https://x.example"})
    assert r.headers["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in r.headers
    pre = requests.options(url, headers={"Origin": "https://x.example",
                                         "Access-Control-Request-Method": "POST",
                                         "Access-Control-Request-Headers": "Content-Type"})
    assert pre.status_code == 204
    assert "POST" in pre.headers["Access-Control-Allow-Methods"]
    assert pre.headers["Access-Control-Allow-Origin"] == "*"
    # a page is read by GET only: its preflight does not offer POST; no route, no preflight
    base = url.rsplit("/sparql", 1)[0]
    page = requests.options(base + "/search.json", headers={
        "Origin": "https://x.example", "Access-Control-Request-Method": "GET"})
    assert page.status_code == 204 and "GET" in page.headers["Access-Control-Allow-Methods"]
    assert "POST" not in page.headers["Access-Control-Allow-Methods"]
    nowhere = requests.options(base + "/no/such/route", headers={
        "Origin": "https://x.example", "Access-Control-Request-Method": "GET"})
    assert nowhere.status_code == 404


# ---- service description, pages, health -----------------------------------------------------

SD = "http://www.w3.org/ns/sparql-service-description#"


@pytest.mark.parametrize("accept,parser", [(None, "turtle"), ("application/rdf+xml", "xml"),
                                           ("application/ld+json", "json-ld")])
def test_service_description(url, accept, parser):
    r = requests.get(url, headers={"Accept": accept} if accept else {})
    assert r.status_code == 200
    g = Graph().parse(data=r.content, format=parser)
    assert (URIRef(url), URIRef(SD + "endpoint"), URIRef(url)) in g
    names = {str(o) for o in g.objects(None, URIRef(SD + "name"))}
    assert names == {SOURCE, EDITORIAL}
    assert URIRef("http://www.w3.org/ns/formats/SPARQL_Results_TSV") in set(
        g.objects(URIRef(url), URIRef(SD + "resultFormat")))


@pytest.mark.parametrize(("accept", "page"), [
    ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", True),
    ("text/html;q=0.5, text/turtle", False), ("*/*", False), ("text/html", True)])
def test_the_page_or_the_description_is_negotiated_alike_for_get_and_head(url, accept, page):
    """/sparql without a query is the query page or the service description as the one
    negotiation chooses (a client preferring Turtle got the page: HTML was compared with
    JSON alone), and HEAD answers as GET does, minus the body (RFC 9110 §9.3.2: HEAD got the
    description where GET got the page)."""
    got = requests.get(url, headers={"Accept": accept})
    head = requests.head(url, headers={"Accept": accept})
    assert got.status_code == head.status_code == 200 and head.content == b""
    assert got.headers["Content-Type"].startswith("text/html") is page
    skip = {"Date", "Server"}
    assert ({k: v for k, v in head.headers.items() if k not in skip}
            == {k: v for k, v in got.headers.items() if k not in skip})


def test_the_description_reads_every_format_as_a_query_does(url):
    """format= may be sent several times (the first usable one counts, formats.negotiate): a
    query read them all, the service description only the first, so that ?format=n3&format=xml
    was RDF/XML for a CONSTRUCT and Turtle for the description."""
    for formats, parser in ((["bogus", "xml"], "xml"), (["n3", "xml"], "turtle"),
                            (["bogus", "jsonld"], "json-ld")):
        r = requests.get(url, params={"format": formats}, headers={"Accept": "*/*"})
        assert r.status_code == 200, r.text
        assert (URIRef(url), URIRef(SD + "endpoint"), URIRef(url)) in Graph().parse(
            data=r.content, format=parser)
        construct = requests.get(url, params={"query": CONSTRUCT, "format": formats})
        assert construct.headers["Content-Type"] == r.headers["Content-Type"]


def test_the_query_page_asks_for_as_many_labels_as_the_server_gives(url):
    """query.js labels an answer's IRIs in batches the size /search/labels takes
    (search.MAX_LABELS), told by the page's config: it kept a number of its own."""
    import json
    import re

    from hldgraph.web.search import MAX_LABELS

    page = requests.get(url, headers={"Accept": "text/html"}).text
    config = json.loads(re.search(r'<script id="hldgraph-config"[^>]*>(.*?)</script>', page,
                                  re.S).group(1))
    assert config["labelsMax"] == MAX_LABELS
    script = requests.get(url.rsplit("/", 1)[0] + "/static/query.js").text
    assert "config.labelsMax" in script and f"{MAX_LABELS})" not in script


def test_query_page_without_javascript(url):
    page = requests.get(url, headers={"Accept": "text/html"})
    assert page.status_code == 200 and '<form id="plain-form"' in page.text
    assert "vendor/yasgui/yasgui.min.js" in page.text and 'id="examples"' in page.text
    r = requests.get(url, params={"query": SELECT, "format": "html"})
    assert r.headers["Content-Type"].startswith("text/html")
    assert '<a href="/id/event/7">' in r.text and "High-Level Dialogue" in r.text
    assert requests.get(url.replace("/sparql", "/query")).status_code == 200
    base = url.removesuffix("/sparql")
    js = requests.get(base + "/static/vendor/yasgui/yasgui.min.js")
    assert js.status_code == 200 and len(js.content) > 100_000


def test_health_and_settings(url):
    base = url.removesuffix("/sparql")
    health = requests.get(base + "/-/health").json()
    assert health["ok"] is True and len(health["digest"]) >= 16
    settings = requests.get(base + "/-/settings.json").json()
    assert settings["query_time_limit_s"]["help"]
    assert "store_path" not in settings


# ---- the real graph --------------------------------------------------------------------------

def test_example_queries_answer_on_the_real_graph(built):
    from hldgraph.store import open_store
    from hldgraph.web.sparql import QUERIES_DIR

    settings = load_settings(store="oxigraph")
    store = open_store(settings, built.dataset)
    app = create_app(settings, store)
    with store, serve(app) as base:
        page = requests.get(base + "/sparql", headers={"Accept": "text/html"}).text
        queries = sorted(QUERIES_DIR.glob("*.rq"))
        assert len(queries) >= 7
        for path in queries:
            if "/release/" in path.read_text():  # answers where releases are served
                continue  # (tests/test_releases.py)
            r = requests.post(base + "/sparql", data={"query": path.read_text()},
                              headers={"Accept": "application/sparql-results+json"})
            assert r.status_code == 200, path.name
            assert r.json()["results"]["bindings"], f"{path.name} has no answer"
            assert path.read_text().splitlines()[0].lstrip("# ") in page


def test_production_workers_share_a_preloaded_store(tmp_path):
    from server import sample_dataset

    write_dump(sample_dataset(extra_triples=300), tmp_path)
    env = {"HLDGRAPH_STORE": "oxigraph", "HLDGRAPH_DIST_DIR": str(tmp_path),
           "HLDGRAPH_QUERY_TIME_LIMIT_S": "1"}
    with serve_production(env, workers=2) as base:
        answers = [requests.get(base + "/sparql", params={"query": COUNT},
                                headers={"Accept": "application/json"}) for _ in range(4)]
        counts = {a.json()["results"]["bindings"][0]["n"]["value"] for a in answers}
        assert counts == {str(300 + len(sample_dataset()))}
        start = time.monotonic()
        _error(requests.get(base + "/sparql", params={"query": SLOW}), 503, "time limit")
        assert time.monotonic() - start < 3
        assert requests.get(base + "/sparql", params={"query": "ASK {}"}).json()["boolean"]
        # a body refused with 413 is drained: the kept-alive connection serves the next request
        session = requests.Session()
        for _ in range(5):
            big = session.post(base + "/sparql", data={"query": "ASK {}" + " " * 100_000})
            assert big.status_code == 413
            after = session.get(base + "/sparql", params={"query": "ASK {}"},
                                headers={"Accept": "application/json"})
            assert after.status_code == 200 and after.json()["boolean"] is True


def test_production_server_streams_a_large_answer(tmp_path):
    from server import sample_dataset

    write_dump(sample_dataset(extra_triples=20_000), tmp_path)
    env = {"HLDGRAPH_STORE": "oxigraph", "HLDGRAPH_DIST_DIR": str(tmp_path),
           "HLDGRAPH_MAX_RESULT_ROWS": "100000"}
    query = "SELECT ?s ?o { ?s ?p ?o } ORDER BY ?s"
    with serve_production(env, workers=1) as base:
        for _ in range(2):  # too large to be kept: the second is streamed too
            r = requests.get(base + "/sparql", params={"query": query}, stream=True,
                             headers={"Accept": "application/sparql-results+json"})
            assert r.status_code == 200 and "Content-Length" not in r.headers
            assert r.headers["Transfer-Encoding"] == "chunked"
            assert r.headers["X-Cache"] == "miss" and r.headers["ETag"]
            assert len(r.json()["results"]["bindings"]) == 20_000 + len(sample_dataset())
        r = requests.get(base + "/sparql", params={"query": "ASK {}"})
        assert r.status_code == 200 and r.headers["Content-Length"]


@pytest.mark.parametrize("logged", [False, True])
def test_the_access_log_is_written_only_when_asked_for(tmp_path, logged):
    from server import production_process, sample_dataset

    write_dump(sample_dataset(), tmp_path)
    env = {"HLDGRAPH_STORE": "oxigraph", "HLDGRAPH_DIST_DIR": str(tmp_path),
           "HLDGRAPH_ACCESS_LOG": "1" if logged else "0"}
    with production_process(env, workers=1) as (base, proc):
        assert requests.get(base + "/sparql", params={"query": "ASK {}"}).status_code == 200
        proc.terminate()
        output = proc.communicate(timeout=20)[0].decode()
    assert "Listening at" in output  # the server's own log is there either way
    assert ('"GET /sparql' in output) is logged


def test_production_server_mounted_under_a_path(tmp_path):
    from server import sample_dataset

    write_dump(sample_dataset(), tmp_path)
    env = {"HLDGRAPH_STORE": "oxigraph", "HLDGRAPH_DIST_DIR": str(tmp_path),
           "SCRIPT_NAME": "/hld2006"}
    with serve_production(env, workers=1, ready_path="/hld2006/-/health") as base:
        r = requests.get(base + "/hld2006/id/event/7", allow_redirects=False,
                         headers={"Accept": "text/turtle"})
        assert r.status_code == 303 and r.headers["Location"].startswith("/hld2006/")
        r = requests.get(base + "/hld2006/sparql", params={"query": "ASK { ?s ?p ?o }"},
                         headers={"Accept": "application/json"})
        assert r.json()["boolean"] is True
        assert requests.get(base + "/sparql", params={"query": "ASK {}"}).status_code == 404


@pytest.mark.browser
@pytest.mark.parametrize("url", ["oxigraph"], indirect=True)  # the page is the same on any store
def test_query_page_in_a_browser(url):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait
    from server import chrome

    with chrome() as driver:
        driver.get(url)
        wait = WebDriverWait(driver, 20)
        wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, ".yasqe .CodeMirror"))
        assert driver.find_element(By.ID, "plain-form").get_attribute("hidden") is not None
        example = '#examples a[data-example="03-events-by-body"]'
        driver.find_element(By.CSS_SELECTOR, example).click()
        wait.until(lambda d: len(d.find_elements(By.CSS_SELECTOR, ".yasr tbody tr")) == 2)
        text = driver.find_element(By.CSS_SELECTOR, ".yasr tbody").text
        assert "International" in text and "World Bank" in text
        assert driver.current_url == url  # the example ran in place
        errors = [e for e in driver.get_log("browser") if e["level"] == "SEVERE"]
        assert errors == []


def test_an_unexpected_error_is_a_plain_500_without_a_trace(caplog):
    app, store = _app("oxigraph")

    @app.route("/-/boom")
    def boom() -> str:
        raise RuntimeError("secret internals")

    with store, serve(app) as base:
        r = requests.get(base + "/-/boom")
    assert r.status_code == 500 and r.text == "Internal Server Error\n"
    assert "secret" not in r.text and "Traceback" not in r.text
    assert "secret internals" in caplog.text  # logged for the operator
