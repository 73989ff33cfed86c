"""Stateless front ends: `hldgraph serve` with `store=sparql`, no data/ and no build of its own.

Two real `hldgraph serve` processes, each in a temporary folder of its own (no data/, no dist/,
its own cache), over one real store that `hldgraph push` loaded, answer every route byte for
byte alike: every page type in both languages, the data documents, every download (plain and
gzip), the catalogue, VoID, SPARQL and the linked-data redirects. One reads the published build
from a folder, the other from a URL. On Oxigraph they also answer as a front end serving the
build folder itself does; where neither the store nor the published build has what a route
needs, the answer is a 503 that says what to set, never a 500.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
import requests
from oxigraph_server import oxigraph_server, remote_settings
from pages import LANGS, PAGE_TYPES
from server import free_port, run_server, serve

from hldgraph.errors import HldgraphError
from hldgraph.push import push
from hldgraph.store import open_store
from hldgraph.web import create_app

#: Fixtures oxigraph and virtuoso: a fresh server of each kind for this module.
pytest_plugins = ["remote_fixtures"]

#: The host a load balancer passes on: links written in full (sitemap, SPARQL service
#: description) name it, whichever front end answers.
HOST = "data.example.org"
HTML = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
TURTLE = "text/turtle"
#: What a cache or a client compares besides the body.
COMPARED = ("Content-Type", "Content-Encoding", "Content-Language", "ETag", "Last-Modified",
            "Location", "Link", "Vary")
SELECT = ("PREFIX schema: <http://schema.org/> SELECT ?e ?name WHERE { ?e a schema:Event ; "
          "schema:name ?name } ORDER BY ?e ?name")
CONSTRUCT = "CONSTRUCT WHERE { <https://w3id.org/hld2006/id/event/7> ?p ?o }"
#: The build's own routes: a front end without a build reads them from the store and the
#: published build (the rest only ever came from the store).
BUILD_ROUTES = [
    ("/catalog", TURTLE), ("/catalog?format=jsonld", "*/*"), ("/catalog?format=rdf", "*/*"),
    ("/.well-known/void", TURTLE), ("/download/", HTML), ("/download/", "application/json"),
    ("/download/manifest.json", "*/*"), ("/doc/def.html", HTML), ("/calendar.ics", "*/*"),
    ("/calendar.csv", "*/*"), ("/-/health", "*/*"), ("/search.json?q=IOM", "*/*"),
    ("/reconcile?queries=%7B%22q0%22%3A%7B%22query%22%3A%22OIM%22%7D%7D", "*/*"),
    ("/reconcile/suggest/entity?prefix=Gen", "*/*"),
]
#: Build routes that need the build's files, not only the store's record.
FILE_ROUTES = ("/doc/def.html", "/calendar.ics", "/calendar.csv", "/search.json?q=IOM",
               "/reconcile?queries=%7B%22q0%22%3A%7B%22query%22%3A%22OIM%22%7D%7D",
               "/reconcile/suggest/entity?prefix=Gen")


def requests_to_compare(manifest: dict) -> list[tuple[str, str]]:
    """(path, Accept) of every route kind, every page type in both languages, every file."""
    pages = [(f"{path}{'&' if '?' in path else '?'}lang={lang}", HTML)
             for path in PAGE_TYPES.values() for lang in LANGS]
    files = [(f"/download/{name}{twin}", "*/*") for name in sorted(manifest["files"])
             for twin in ("", ".gz", ".sha256")]
    data = [(f"/doc/event/7.{ext}", "*/*") for ext in ("ttl", "jsonld", "nt", "rdf")]
    linked = [("/id/event/7", TURTLE), ("/id/event/7", HTML), ("/def/", HTML),
              ("/def/Initiative", TURTLE), ("/doc/def.ttl", "*/*"), ("/graph/source", TURTLE),
              ("/doc/graph/catalog.trig", "*/*"), ("/id/event/999", TURTLE)]
    sparql = [(f"/sparql?query={quote(q)}", accept) for q, accept in (
        (SELECT, "application/sparql-results+json"), (SELECT, "text/csv"),
        (CONSTRUCT, TURTLE), ("ASK { ?s ?p ?o }", "application/sparql-results+xml"))]
    other = [("/sitemap.xml", "*/*"), ("/robots.txt", "*/*"), ("/calendar/timeline.svg", "*/*"),
             ("/calendar/map.svg", "*/*"), ("/sparql", TURTLE), ("/download/nothing", "*/*")]
    return pages + files + data + linked + sparql + other + BUILD_ROUTES


def fetch(base: str, path: str, accept: str, gzip: bool = False) -> requests.Response:
    headers = {"Accept": accept, "Host": HOST,
               "Accept-Encoding": "gzip" if gzip or path.endswith(".gz") else "identity"}
    # stream: the body as sent (requests would otherwise unpack a gzip answer)
    r = requests.get(base + path, headers=headers, allow_redirects=False, timeout=60,
                     stream=True)
    r.raw_body = r.raw.read()  # type: ignore[attr-defined]
    return r


def answer(r: requests.Response) -> tuple:
    return (r.status_code, r.raw_body, *(r.headers.get(h) for h in COMPARED))  # type: ignore


def assert_same(a: str, b: str, asks: list[tuple[str, str]], gzip: bool = False) -> int:
    """Every request answered alike by ``a`` and ``b``; none a 500. Returns how many."""
    for path, accept in asks:
        ra, rb = fetch(a, path, accept, gzip), fetch(b, path, accept, gzip)
        assert ra.status_code < 500, (path, ra.raw_body[:300])
        assert answer(ra) == answer(rb), (path, accept, ra.status_code, rb.status_code)
    return len(asks)


# --- the set-up: a store loaded by push, a published build, front ends without data/ --------


@contextlib.contextmanager
def published_over_http(folder: Path) -> Iterator[str]:
    """The published build folder served by a plain static web server on loopback."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    with run_server([sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1",
                     "--directory", str(folder)], url + "/manifest.json"):
        yield url


@contextlib.contextmanager
def front_end(tmp: Path, sparql_url: str, published_url: str = "") -> Iterator[str]:
    """`hldgraph serve` run in ``tmp`` (which holds nothing), with store=sparql."""
    tmp.mkdir(parents=True)
    port = free_port()
    env = {"HLDGRAPH_STORE": "sparql", "HLDGRAPH_SPARQL_URL": sparql_url,
           "HLDGRAPH_PUBLISHED_URL": published_url, "HLDGRAPH_PORT": str(port),
           "HLDGRAPH_WORKERS": "1", "HLDGRAPH_QUERY_WORKERS": "2", "TMPDIR": str(tmp),
           # none of these exist: a front end that read them would fail
           **{f"HLDGRAPH_{name.upper()}_DIR": str(tmp / name)
              for name in ("data", "dist", "ontology", "shapes")}}
    with run_server([sys.executable, "-m", "hldgraph", "serve"],
                    f"http://127.0.0.1:{port}/-/health", env=env, cwd=tmp, seconds=60):
        yield f"http://127.0.0.1:{port}"
    # it wrote nothing but its cache of checked files
    assert sorted(p.name for p in tmp.iterdir()) in ([], [f"hldgraph-published-{os.getuid()}"])


def _pushed(server, settings, dist, published: Path) -> None:
    push(remote_settings(settings, server, dist, published_url=str(published)), dist)


@pytest.fixture(scope="module")
def manifest(dist) -> dict:
    return json.loads((dist / "manifest.json").read_text())


@pytest.fixture(scope="module")
def on_oxigraph(oxigraph, settings, dist, tmp_path_factory):
    """Two front ends over one Oxigraph server: one reads the published folder, one its URL."""
    tmp = tmp_path_factory.mktemp("oxigraph-front-ends")
    _pushed(oxigraph, settings, dist, tmp / "published")
    with published_over_http(tmp / "published") as url, \
            front_end(tmp / "a", oxigraph.query_url, str(tmp / "published")) as a, \
            front_end(tmp / "b", oxigraph.query_url, url) as b:
        yield a, b


# --- the tests -------------------------------------------------------------------------------


def test_two_front_ends_without_data_answer_alike(on_oxigraph, manifest):
    a, b = on_oxigraph
    asks = requests_to_compare(manifest)
    assert assert_same(a, b, asks) > 100
    files = [(f"/download/{name}", "*/*") for name in manifest["files"]]
    assert_same(a, b, files, gzip=True)  # the .gz twins, sent with Content-Encoding: gzip


def test_they_serve_the_build_that_was_pushed(on_oxigraph, dist, manifest):
    a, _ = on_oxigraph
    for name in [*manifest["files"], "manifest.json", "def.html"]:
        path = f"/doc/{name}" if name == "def.html" else f"/download/{name}"
        r = fetch(a, path, "*/*")
        assert r.status_code == 200 and r.raw_body == (dist / name).read_bytes(), name
    r = fetch(a, "/download/hld2006.nq", "*/*", gzip=True)
    assert r.headers["Content-Encoding"] == "gzip"
    assert r.raw_body == (dist / "hld2006.nq.gz").read_bytes()
    health = json.loads(fetch(a, "/-/health", "*/*").raw_body)
    assert health["ok"] and health["graphs"] == 4
    assert health["build"]["nquads_sha256"] == manifest["digest"]
    assert health["build"]["triples"] == manifest["triples"]
    # search and reconciliation rank with the build's lookup file, read from where it is published
    found = json.loads(fetch(a, "/search.json?q=OIM", "*/*").raw_body)["results"]
    assert found[0]["id"] == "https://w3id.org/hld2006/id/org/iom"
    suggested = json.loads(fetch(a, "/reconcile/suggest/entity?prefix=Gen%C3%A8ve", "*/*").raw_body)
    assert suggested["result"][0]["id"] == "https://w3id.org/hld2006/id/place/geneva"


def test_they_answer_as_a_front_end_holding_the_build(on_oxigraph, settings, dist, manifest,
                                                      tmp_path):
    """The same build served from its folder (the store in-process) gives the same bodies.

    Without a release log beside it: releases are not yet served by a front end without data/
    (docs/remote-stores.md), so the pages here must not offer their history either."""
    a, _ = on_oxigraph
    local = settings.with_(dist_dir=dist, data_dir=tmp_path / "no-data",
                           releases_dir=tmp_path / "no-releases")
    with open_store(local, dist / "hld2006.nq") as store, serve(create_app(local, store)) as url:
        for path, accept in requests_to_compare(manifest):
            if path.startswith("/-/health"):
                continue  # it names the store (its digest), which differs by design
            if path.startswith("/sparql?query="):
                # written by each backend's own serialiser (and a CONSTRUCT in the engine's
                # order): the same answer, not the same bytes; the two front ends above agree
                continue
            mine, theirs = fetch(a, path, accept), fetch(url, path, accept)
            assert (mine.status_code, mine.raw_body) == (theirs.status_code, theirs.raw_body), \
                (path, accept)


def test_without_a_published_build_the_files_are_a_503_saying_what_to_set(
        oxigraph, on_oxigraph, tmp_path):
    with front_end(tmp_path / "c", oxigraph.query_url) as c:
        for path in ("/download/hld2006.ttl", *FILE_ROUTES):
            r = requests.get(c + path, headers={"Accept": "application/json"}, timeout=30)
            assert r.status_code == 503 and "published_url" in r.json()["error"], path
        # what the store holds is served all the same
        for path, _ in BUILD_ROUTES:
            if path not in FILE_ROUTES:
                assert requests.get(c + path, timeout=30).status_code == 200, path


def test_a_published_file_of_another_build_is_refused(oxigraph, on_oxigraph, dist, tmp_path):
    other = tmp_path / "other"
    shutil.copytree(dist, other)
    (other / "hld2006.ttl").write_bytes(b"# another build\n")
    with front_end(tmp_path / "d", oxigraph.query_url, str(other)) as d:
        r = requests.get(d + "/download/hld2006.ttl", headers={"Accept": "application/json"},
                         timeout=30)
        assert r.status_code == 503
        assert "not the file of the build in the store" in r.json()["error"]
        assert requests.get(d + "/download/hld2006.nt", timeout=30).status_code == 200


def test_a_store_without_a_record_is_a_503_naming_push(settings, built, tmp_path):
    with oxigraph_server() as server:
        server.load(built.dataset)  # the graphs, but not loaded by hldgraph push
        with front_end(tmp_path / "e", server.query_url, str(tmp_path)) as e:
            for path in ("/catalog", "/download/", "/download/hld2006.nq", "/doc/def.html"):
                r = requests.get(e + path, headers={"Accept": "application/json"}, timeout=30)
                assert r.status_code == 503 and "hldgraph push" in r.json()["error"], path
            assert requests.get(e + "/id/event/7", timeout=30).status_code == 200


def test_push_refuses_a_published_url_that_serves_another_build(oxigraph, on_oxigraph,
                                                                settings, dist, tmp_path):
    before = oxigraph.graph_sizes()
    (tmp_path / "manifest.json").write_text('{"digest": "another"}')
    with published_over_http(tmp_path) as url, pytest.raises(HldgraphError) as e:
        push(remote_settings(settings, oxigraph, dist, published_url=url), dist)
    assert "is not the manifest of this build" in e.value.message
    assert oxigraph.graph_sizes() == before  # nothing moved: the staging graphs are dropped


def test_two_front_ends_over_virtuoso_answer_alike(virtuoso, settings, dist, manifest,
                                                   tmp_path):
    _pushed(virtuoso, settings, dist, tmp_path / "published")
    with front_end(tmp_path / "a", virtuoso.query_url, str(tmp_path / "published")) as a, \
            front_end(tmp_path / "b", virtuoso.query_url, str(tmp_path / "published")) as b:
        pages = [(path, HTML) for path in ("/", "/calendar", "/id/event/7", "/id/org/iom",
                                           "/bodies", "/doc/catalog.html", "/query")]
        files = [(f"/download/{name}", "*/*") for name in ("hld2006.ttl", "hld2006.nq.gz")]
        sparql = [(f"/sparql?query={quote(SELECT)}", "text/csv"),
                  ("/doc/event/7.ttl", "*/*"), ("/id/event/7", TURTLE)]
        assert_same(a, b, pages + files + sparql + BUILD_ROUTES)
        health = requests.get(a + "/-/health", timeout=30).json()
        assert health["build"]["nquads_sha256"] == manifest["digest"] and health["graphs"] == 4
