"""Stateless front ends: `hldgraph serve` with `store=sparql`, no data/ and no build of its own.

Two real `hldgraph serve` processes, each in a temporary folder of its own (no data/, no dist/,
its own cache), over one real store that `hldgraph push` loaded, answer every route byte for
byte alike: every page type in both languages, the data documents, every download (plain and
gzip), the catalogue, VoID, SPARQL and the linked-data redirects. One reads the published build
from a folder, the other from a URL. On Oxigraph they also answer as a front end serving the
build folder itself does; where neither the store nor the published build has what a route
needs, the answer is a 503 that says what to set, never a 500.

The releases too: `hldgraph push` publishes the release log beside the build, and a front end
reads it from there (checked against the store's record) and serves every release, its history
pages, TimeGates, TimeMaps and feed as a server holding data/ does, on the repository's release
1.0 and on releases 1.0, 1.1 and 1.2 of tests/history_site.py.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import select
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
import requests
from oxigraph_server import oxigraph_command, oxigraph_server, remote_settings
from pages import LANGS, PAGE_TYPES
from server import free_port, run_server, serve

from hldgraph.dist import BuildRecord
from hldgraph.errors import HldgraphError
from hldgraph.published_log import INDEX
from hldgraph.push import push
from hldgraph.release_folders import ensure_releases, store_quads
from hldgraph.store import open_store
from hldgraph.urls import BUILD_GRAPH, Iris
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


def fetch(base: str, path: str, accept: str, gzip: bool = False,
          **more: str) -> requests.Response:
    headers = {"Accept": accept, "Host": HOST,
               "Accept-Encoding": "gzip" if gzip or path.endswith(".gz") else "identity",
               **{name.replace("_", "-"): value for name, value in more.items()}}
    # stream: the body as sent (requests would otherwise unpack a gzip answer)
    r = requests.get(base + path, headers=headers, allow_redirects=False, timeout=60,
                     stream=True)
    r.raw_body = r.raw.read()  # type: ignore[attr-defined]
    return r


def answer(r: requests.Response) -> tuple:
    return (r.status_code, r.raw_body, *(r.headers.get(h) for h in COMPARED))  # type: ignore


def assert_same(a: str, b: str, asks: list[tuple[str, str]], gzip: bool = False,
                **more: str) -> int:
    """Every request answered alike by ``a`` and ``b`` (with the headers ``more``); none a
    500. Returns how many."""
    for path, accept in asks:
        ra, rb = fetch(a, path, accept, gzip, **more), fetch(b, path, accept, gzip, **more)
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
def front_end(tmp: Path, sparql_url: str, published_url: str = "",
              console: list[str] | None = None) -> Iterator[str]:
    """`hldgraph serve` run in ``tmp`` (which holds nothing), with store=sparql; what it said
    on starting is added to ``console``, one line each."""
    tmp.mkdir(parents=True)
    port = free_port()
    env = {"HLDGRAPH_STORE": "sparql", "HLDGRAPH_SPARQL_URL": sparql_url,
           "HLDGRAPH_PUBLISHED_URL": published_url, "HLDGRAPH_PORT": str(port),
           "HLDGRAPH_WORKERS": "1", "HLDGRAPH_QUERY_WORKERS": "2", "TMPDIR": str(tmp),
           # none of these exist: a front end that read them would fail
           **{f"HLDGRAPH_{name.upper()}_DIR": str(tmp / name)
              for name in ("data", "dist", "ontology", "shapes", "releases")}}
    with run_server([sys.executable, "-m", "hldgraph", "serve"],
                    f"http://127.0.0.1:{port}/-/health", env=env, cwd=tmp, seconds=90) as proc:
        if console is not None:
            console += said(proc).splitlines()
        yield f"http://127.0.0.1:{port}"
    # it wrote nothing but its cache of checked files
    assert sorted(p.name for p in tmp.iterdir()) in ([], [f"hldgraph-published-{os.getuid()}"])


def said(proc: subprocess.Popen) -> str:
    """What a running server has written so far (it wrote its start-up lines before it
    answered), without waiting for it to end."""
    out = b""
    assert proc.stdout is not None
    while select.select([proc.stdout], [], [], 0.5)[0]:
        chunk = os.read(proc.stdout.fileno(), 1 << 16)
        if not chunk:
            break
        out += chunk
    return out.decode("utf-8", "replace")


def _pushed(server, settings, dist, published: Path, quads: Path | None = None) -> None:
    push(remote_settings(settings, server, dist, published_url=str(published)), dist, quads)


def record_in(server, settings) -> BuildRecord:
    """The build record that push wrote into ``server`` (read there directly)."""
    graph = Iris(settings.base_iri).graph(BUILD_GRAPH)
    rows = server.select(f"SELECT ?v WHERE {{ GRAPH <{graph}> {{ ?s ?p ?v }} }}")
    assert len(rows) == 1, rows
    return BuildRecord.from_json(rows[0]["v"])


@pytest.fixture(scope="module")
def manifest(dist) -> dict:
    return json.loads((dist / "manifest.json").read_text())


@pytest.fixture(scope="module")
def published(oxigraph, settings, dist, tmp_path_factory) -> Path:
    """The build pushed to the module's Oxigraph server and published in a folder, with the
    repository's release log (release 1.0) beside it."""
    folder = tmp_path_factory.mktemp("oxigraph-published") / "published"
    _pushed(oxigraph, settings, dist, folder)
    return folder


@pytest.fixture(scope="module")
def on_oxigraph(oxigraph, published, tmp_path_factory):
    """Two front ends over one Oxigraph server: one reads the published folder, one its URL."""
    tmp = tmp_path_factory.mktemp("oxigraph-front-ends")
    with published_over_http(published) as url, \
            front_end(tmp / "a", oxigraph.query_url, str(published)) as a, \
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
    pages = {"def.html": "/doc/def.html", "def.fr.html": "/doc/def.html?lang=fr"}
    for name in [*manifest["files"], "manifest.json", *pages]:
        path = pages.get(name, f"/download/{name}")
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
    """The same build served from its folder (the store in-process) beside data/ and its
    release log gives the same bodies: the pages offer the same history, release 1.0 is
    served alike."""
    a, _ = on_oxigraph
    local = settings.with_(dist_dir=dist, releases_dir=tmp_path / "releases")
    assert [r.version for r, _ in ensure_releases(local)] == ["1.0"]
    with open_store(local, dist / "hld2006.nq") as store, serve(create_app(local, store)) as url:
        assert_as_local(a, url, release_requests(["1.0"]), "1.0")
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


# --- the releases: published with the build, served by front ends without data/ ------------


def release_requests(versions: list[str]) -> list[tuple[str, str]]:
    """(path, Accept) of the release routes: each release's landing page, manifest, a page and
    a data document of it and its "What changed"; the feed, a TimeMap (link format and JSON),
    an event's page with its history, a linkset."""
    each = [(path.format(v=v), accept) for v in versions for path, accept in (
        ("/release/{v}/", HTML), ("/release/{v}/download/manifest.json", "*/*"),
        ("/release/{v}/download/hld2006.ttl", "*/*"), ("/release/{v}/doc/event/12.html", HTML),
        ("/release/{v}/doc/event/12.ttl", "*/*"), ("/release/{v}/catalog", TURTLE),
        ("/changes/{v}", HTML))]
    return [*each, ("/releases.atom", "*/*"), ("/timemap/link/doc/event/12.ttl", "*/*"),
            ("/timemap/json/doc/event/12.ttl", "*/*"), ("/doc/event/12.html", HTML),
            ("/doc/event/12.ttl", "*/*"), ("/id/event/7", HTML), ("/id/event/7", TURTLE),
            ("/linkset/id/event/12", "*/*"), ("/catalog", TURTLE)]


#: Accept-Datetime of the TimeGate requests: between 1.0 (2026-11-30T14:04:55Z) and 1.1, between
#: 1.1 and 1.2, after 1.2 (tests/history_site.py).
WHEN = ("Mon, 30 Nov 2026 16:00:00 GMT", "Mon, 30 Nov 2026 20:00:00 GMT",
        "Fri, 01 Jan 2027 00:00:00 GMT")
#: Headers a local server and a front end give alike (not the validators: each names its store).
RELEASE_HEADERS = ("Content-Type", "Content-Language", "Location", "Link", "Memento-Datetime",
                   "Vary")


def assert_as_local(front: str, local: str, asks: list[tuple[str, str]], version: str) -> None:
    """A front end answers the release routes as a server holding data/ does: the same status,
    body and headers but the validators; real answers (release ``version`` is named, in the
    page or in its headers), not two alike 404s; and so do the TimeGates."""
    for path, accept in asks:
        mine, theirs = fetch(front, path, accept), fetch(local, path, accept)
        assert mine.status_code in {200, 303, 410}, (path, mine.status_code, mine.raw_body[:300])
        assert answer_of(mine) == answer_of(theirs), (path, accept)
        named = path.split("/")[2] if path.startswith(("/release/", "/changes/")) else version
        shown = mine.raw_body + mine.headers.get("Link", "").encode()
        assert named.encode() in shown, (path, named)
    for when in WHEN:
        mine = fetch(front, "/doc/event/12.ttl", TURTLE, Accept_Datetime=when)
        assert mine.status_code == 302 and "/release/" in mine.headers["Location"], when
        assert answer_of(mine) == answer_of(
            fetch(local, "/doc/event/12.ttl", TURTLE, Accept_Datetime=when)), when


def answer_of(r: requests.Response) -> tuple:
    return (r.status_code, r.raw_body, *(r.headers.get(h) for h in RELEASE_HEADERS))


def test_push_publishes_the_release_log_and_names_its_index(oxigraph, published, settings):
    record = record_in(oxigraph, settings)
    index = (published / INDEX).read_bytes()
    assert record.release_log == hashlib.sha256(index).hexdigest()
    files = json.loads(index)["files"]
    log = settings.data_dir / "release-log"
    assert sorted(files) == sorted(p.relative_to(log).as_posix() for p in log.rglob("*")
                                   if p.is_file())
    for name, info in files.items():
        copy = (published / "release-log" / name).read_bytes()
        assert copy == (log / name).read_bytes()
        assert info == {"sha256": hashlib.sha256(copy).hexdigest(), "bytes": len(copy)}


def test_they_serve_the_release_and_its_history(on_oxigraph):
    a, b = on_oxigraph
    asks = release_requests(["1.0"])
    assert_same(a, b, asks)
    for path, accept in asks:  # real answers, not two alike 404s
        r = fetch(a, path, accept)
        assert r.status_code in {200, 303}, (path, r.status_code, r.raw_body[:300])
    assert b"/release/1.0/" in fetch(a, "/releases.atom", "*/*").raw_body
    manifest = json.loads(fetch(a, "/release/1.0/download/manifest.json", "*/*").raw_body)
    assert manifest["version"] == "1.0"
    timemap = fetch(a, "/timemap/link/doc/event/12.ttl", "*/*").raw_body.decode()
    assert f"{HOST}/release/1.0/doc/event/12.ttl" in timemap
    for front in (a, b):  # the TimeGate: the memento in force then
        r = fetch(front, "/doc/event/12.ttl", TURTLE, Accept_Datetime=WHEN[-1])
        assert r.status_code == 302
        assert r.headers["Location"] == f"http://{HOST}/release/1.0/doc/event/12.ttl"
    # a store holding a release's graphs beside the build's: the sitemap lists the build's pages
    sitemap = fetch(a, "/sitemap.xml", "*/*")
    assert sitemap.status_code == 200 and b"/doc/event/12.html" in sitemap.raw_body
    assert b"/release/" not in sitemap.raw_body


@pytest.fixture(scope="module")
def on_history(history, tmp_path_factory):
    """Releases 1.0, 1.1 and 1.2 (tests/history_site.py) pushed as `hldgraph push` does (the
    build with every release's graphs) to an Oxigraph server of their own, and two front ends
    over it: one reads the published folder, one its URL."""
    tmp = tmp_path_factory.mktemp("history-front-ends")
    made = history.settings
    quads = store_quads(made, made.dist_dir, ensure_releases(made))
    with oxigraph_server() as server:
        _pushed(server, made, made.dist_dir, tmp / "published", quads)
        with published_over_http(tmp / "published") as url, \
                front_end(tmp / "a", server.query_url, str(tmp / "published")) as a, \
                front_end(tmp / "b", server.query_url, url) as b:
            yield a, b


def test_front_ends_serve_every_release_as_a_server_holding_data(on_history, history):
    a, b = on_history
    versions = ["1.0", "1.1", "1.2"]
    asks = [*release_requests(versions), ("/", HTML), ("/calendar", HTML),
            ("/doc/event/51.html", HTML), ("/download/", HTML)]
    assert_same(a, b, asks)
    for when in WHEN:
        assert_same(a, b, [("/doc/event/12.ttl", TURTLE)], Accept_Datetime=when)
    assert_as_local(a, history.url, release_requests(versions), "1.2")
    # what 1.1 and 1.2 changed: event 7 removed in 1.2, answered 410 naming 1.1, its last
    gone = fetch(a, "/id/event/7", "application/json")
    assert gone.status_code == 410 and "release 1.1" in json.loads(gone.raw_body)["error"]
    moved = fetch(a, "/release/1.1/doc/event/12.ttl", "*/*").raw_body
    assert b"2006-04-10" in moved
    assert b"2006-04-10" not in fetch(a, "/release/1.0/doc/event/12.ttl", "*/*").raw_body
    feed = fetch(a, "/releases.atom", "*/*").raw_body
    assert all(f"/release/{v}/".encode() in feed for v in versions)


def test_a_record_without_a_release_log_serves_the_build_as_before(settings, dist, tmp_path):
    """A push from data/ without a release log (or one before releases were published): the
    record names none, and the front end serves the current build only, and says nothing of
    releases."""
    console: list[str] = []
    with oxigraph_server() as server:
        _pushed(server, settings.with_(data_dir=tmp_path / "no-data"), dist,
                tmp_path / "published")
        record = record_in(server, settings)
        assert record.release_log is None and "release_log" not in record.to_json()
        assert not (tmp_path / "published" / "release-log").exists()
        with front_end(tmp_path / "f", server.query_url, str(tmp_path / "published"),
                       console) as f:
            assert not [line for line in console if "release" in line], console
            for path in ("/release/1.0/", "/release/1.0/download/manifest.json", "/changes/1.0",
                         "/timemap/link/doc/event/12.ttl"):
                assert fetch(f, path, "application/json").status_code == 404, path
            page = fetch(f, "/doc/event/12.html", HTML)
            assert page.status_code == 200 and b"/release/" not in page.raw_body
            assert b"/release/" not in fetch(f, "/releases.atom", "*/*").raw_body
            r = fetch(f, "/doc/event/12.ttl", TURTLE, Accept_Datetime=WHEN[-1])
            assert r.status_code == 200 and "Memento" not in r.headers.get("Link", "")
            assert json.loads(fetch(f, "/-/health", "*/*").raw_body)["ok"] is True
            # a push with the release log since start-up: /-/health says to restart
            _pushed(server, settings, dist, tmp_path / "published")
            r = fetch(f, "/-/health", "*/*")
            health = json.loads(r.raw_body)
            assert r.status_code == 200  # it still serves the build: not taken out of service
            assert health["ok"] is False and health["stale"] is True
            assert "another release log" in health["error"] and "restart" in health["error"]


def test_a_tampered_release_log_is_refused_and_the_build_still_served(
        oxigraph, on_oxigraph, published, tmp_path):
    tampered = tmp_path / "tampered"
    shutil.copytree(published, tampered)
    entry = tampered / "release-log" / "1.0" / "release.json"
    entry.write_text(entry.read_text().replace('"1.0"', '"1.0" '))
    console: list[str] = []
    with front_end(tmp_path / "g", oxigraph.query_url, str(tampered), console) as g:
        refused = [line for line in console if "release-log/1.0/release.json" in line]
        assert len(refused) == 1, console
        assert str(tampered) in refused[0] and "not the file of the build in the store" in \
            refused[0] and "hldgraph push --published-url" in refused[0]
        assert not [line for line in console if "Traceback" in line], console
        r = fetch(g, "/release/1.0/", "application/json")
        assert r.status_code == 404
        assert fetch(g, "/doc/event/12.html", HTML).status_code == 200
        assert fetch(g, "/download/hld2006.ttl", "*/*").status_code == 200


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


def test_health_is_a_503_naming_the_store_while_it_is_down(settings, tmp_path):
    """A load balancer checking /-/health routes away from a front end whose store is down
    (every data page is a 503 then), and back once the store answers again."""
    port = free_port()
    query = f"http://127.0.0.1:{port}/query"

    def store() -> contextlib.AbstractContextManager:
        return run_server([oxigraph_command(), "serve", "--location", str(tmp_path / "store"),
                           "--bind", f"127.0.0.1:{port}"], query + "?query=ASK%20%7B%7D")

    remote = settings.with_(store="sparql", sparql_url=f"http://hld:secret@127.0.0.1:{port}/query")
    with open_store(remote) as front, serve(create_app(remote, front)) as url:
        with store():
            r = requests.get(url + "/-/health", timeout=30)
            assert r.status_code == 200 and r.json()["ok"], r.text
        r = requests.get(url + "/-/health", timeout=30)  # the store is down now
        assert r.status_code == 503 and "Retry-After" in r.headers, r.text
        health = r.json()
        assert health["ok"] is False and health["graphs"] is None
        assert health["error"].startswith(f"the store cannot answer: the remote store at {query} "
                                          "cannot be reached")
        assert "secret" not in r.text
        assert requests.get(url + "/doc/event/1.ttl", timeout=30).status_code == 503
        with store():  # back: healthy at the next check
            r = requests.get(url + "/-/health", timeout=30)
            assert r.status_code == 200 and r.json()["ok"], r.text
