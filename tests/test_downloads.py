"""The dumps and calendar files over HTTP: checksums, validators, 304s, gzip; sitemap, robots."""

from __future__ import annotations

import gzip
import hashlib
import xml.etree.ElementTree as ET

import pytest
import requests
from conftest import select
from rdflib import Dataset, Graph

from hldgraph.dist import read_manifest
from hldgraph.urls import SPDX

IDENTITY = {"Accept-Encoding": "identity"}
RDF_FORMATS = {"hld2006.ttl": "turtle", "hld2006.nt": "nt", "hld2006.trig": "trig",
               "hld2006.nq": "nquads", "hld2006.jsonld": "json-ld"}
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@pytest.fixture(scope="module")
def manifest(dist):
    return read_manifest(dist)


@pytest.fixture(scope="module")
def http():
    with requests.Session() as s:
        yield s


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_every_file_of_the_build_is_listed(manifest):
    assert {"hld2006.ttl", "hld2006.trig", "hld2006.nt", "hld2006.nq", "hld2006.jsonld",
            "hld2006-calendar.ics", "hld2006-calendar.csv"} <= set(manifest["files"])


def test_every_download_matches_its_checksum(live, manifest, http):
    for name, info in manifest["files"].items():
        r = http.get(f"{live}/download/{name}", headers=IDENTITY)
        assert r.status_code == 200, name
        body = r.content
        assert "Content-Encoding" not in r.headers
        assert int(r.headers["Content-Length"]) == len(body) == info["bytes"]
        assert _sha(body) == info["sha256"]
        side = http.get(f"{live}/download/{name}.sha256")
        assert side.status_code == 200
        assert side.headers["Content-Type"] == "text/plain; charset=utf-8"
        assert side.text.split() == [info["sha256"], name]
        assert r.headers["ETag"] == f'"{info["sha256"]}"'
        assert r.headers["Last-Modified"]
        assert r.headers["Content-Type"].split(";")[0] == info["media_type"]
        assert "charset=utf-8" in r.headers["Content-Type"]
        assert "Accept-Encoding" in r.headers["Vary"]


@pytest.mark.parametrize("name", sorted(RDF_FORMATS))
def test_rdf_dumps_parse_to_the_same_graph(live, manifest, http, name):
    body = http.get(f"{live}/download/{name}").content
    ds = Dataset()
    ds.parse(data=body, format=RDF_FORMATS[name])
    triples = {(s, p, o) for s, p, o, _ in ds.quads((None, None, None, None))}
    assert len(triples) == manifest["triples"]


def test_gzip_is_negotiated(live, manifest, http):
    for name, info in manifest["files"].items():
        r = http.get(f"{live}/download/{name}", headers={"Accept-Encoding": "gzip"},
                     stream=True)
        raw = r.raw.read(decode_content=False)
        assert r.status_code == 200
        assert r.headers["Content-Encoding"] == "gzip"
        assert "Accept-Encoding" in r.headers["Vary"]
        assert int(r.headers["Content-Length"]) == len(raw)
        assert raw[:2] == b"\x1f\x8b"
        assert _sha(gzip.decompress(raw)) == info["sha256"]
        assert r.headers["ETag"] != f'"{info["sha256"]}"'  # another representation
        # refusing gzip gives the file itself
        plain = http.get(f"{live}/download/{name}", headers={"Accept-Encoding": "gzip;q=0"})
        assert "Content-Encoding" not in plain.headers


def test_gz_twin_downloads_as_an_archive(live, manifest, http):
    r = http.get(f"{live}/download/hld2006.ttl.gz", stream=True)
    raw = r.raw.read(decode_content=False)
    assert r.status_code == 200
    assert r.headers["Content-Type"] == "application/gzip"
    assert "Content-Encoding" not in r.headers
    assert _sha(gzip.decompress(raw)) == manifest["files"]["hld2006.ttl"]["sha256"]


def test_conditional_requests_answer_304(live, http):
    url = f"{live}/download/hld2006.nq"
    first = http.get(url, headers=IDENTITY)
    again = http.get(url, headers={**IDENTITY, "If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
    assert again.content == b""
    since = http.get(url, headers={**IDENTITY,
                                   "If-Modified-Since": first.headers["Last-Modified"]})
    assert since.status_code == 304
    other = http.get(url, headers={**IDENTITY, "If-None-Match": '"not-this-one"'})
    assert other.status_code == 200
    assert other.content == first.content
    zipped = http.get(url, headers={"Accept-Encoding": "gzip"})
    assert http.get(url, headers={"Accept-Encoding": "gzip",
                                  "If-None-Match": zipped.headers["ETag"]}).status_code == 304


def test_preconditions_and_ranges_as_on_every_route(live, http):
    """A file is answered by the one finaliser, as the endpoint is (test_http.py): RFC 9110
    §13.2.2's order, preconditions before Range, a 416 naming the range with Content-Range, a
    Range not understood ignored. send_file's own make_conditional answered If-Match: "x" with
    Range with a 206, ignored If-Unmodified-Since, and 416'd a Range it could not parse."""
    url = f"{live}/download/hld2006.ttl"
    whole = http.get(url, headers=IDENTITY)
    etag, modified, size = whole.headers["ETag"], whole.headers["Last-Modified"], len(
        whole.content)
    before = "Sat, 01 Jan 2000 00:00:00 GMT"
    cases = [
        ({"If-Match": etag, "If-None-Match": etag}, 304),
        ({"If-Match": '"other"', "Range": "bytes=0-9"}, 412),
        ({"If-None-Match": etag, "Range": "bytes=0-9"}, 304),
        ({"If-Unmodified-Since": before}, 412),
        ({"If-Unmodified-Since": modified}, 200),
        ({"If-Match": etag, "Range": "bytes=0-9"}, 206),
        ({"Range": "bytes=abc"}, 200),  # not understood: ignored (RFC 9110 §14.2)
        ({"Range": "bytes=0-1,5-6"}, 200),  # several ranges: the whole file
        # a range unit other than bytes: ignored (RFC 9110 §14.2 MUST), it was a 416
        ({"Range": "chars=0-9"}, 200),
        ({"Range": "items=0-1", "If-Range": etag}, 200),
    ]
    for headers, status in cases:
        r = http.get(url, headers={**IDENTITY, **headers})
        assert r.status_code == status, (headers, r.status_code, r.text[:200])
        if status == 412:
            assert r.json()["status"] == 412
        if status == 200:
            assert r.content == whole.content
    part = http.get(url, headers={**IDENTITY, "Range": f"bytes=5-{size + 100}"})
    assert part.status_code == 206 and part.content == whole.content[5:]
    assert part.headers["Content-Range"] == f"bytes 5-{size - 1}/{size}"
    assert int(part.headers["Content-Length"]) == size - 5
    tail = http.get(url, headers={**IDENTITY, "Range": "bytes=-7"})
    assert tail.status_code == 206 and tail.content == whole.content[-7:]
    beyond = http.get(url, headers={**IDENTITY, "Range": f"bytes={size + 10}-"})
    assert beyond.status_code == 416 and beyond.headers["Content-Range"] == f"bytes */{size}"
    assert f"bytes={size + 10}-" in beyond.json()["error"]


def test_head_gives_the_headers_without_the_body(live, manifest, http):
    r = http.head(f"{live}/download/hld2006.ttl", headers=IDENTITY)
    assert r.status_code == 200
    assert r.content == b""
    assert int(r.headers["Content-Length"]) == manifest["files"]["hld2006.ttl"]["bytes"]


@pytest.mark.parametrize("path", ["/download/nothing.ttl", "/download/hld2006.ttl.zip",
                                  "/download/..%2Fmanifest.json", "/download/.%2E%2Fsecrets"])
def test_unknown_files_are_404(live, http, path):
    r = http.get(live + path)
    assert r.status_code == 404
    assert "Traceback" not in r.text


def test_index_lists_files_with_sizes_and_checksums(live, manifest, http):
    page = http.get(f"{live}/download/", headers={"Accept": "text/html"})
    assert page.status_code == 200
    assert page.headers["Content-Type"].startswith("text/html")
    listing = http.get(f"{live}/download/", headers={"Accept": "application/json"}).json()
    assert {f["name"] for f in listing["files"]} == set(manifest["files"])
    for f in listing["files"]:
        info = manifest["files"][f["name"]]
        assert (f["bytes"], f["sha256"]) == (info["bytes"], info["sha256"])
        assert info["sha256"] in page.text
        assert f'href="/download/{f["name"]}"' in page.text


@pytest.mark.parametrize(("path", "name", "content_type"), [
    ("/calendar.ics", "hld2006-calendar.ics", "text/calendar; charset=utf-8"),
    ("/calendar.csv", "hld2006-calendar.csv", "text/csv; charset=utf-8; header=present"),
])
def test_calendar_files(live, manifest, http, path, name, content_type):
    r = http.get(live + path, headers=IDENTITY)
    assert r.status_code == 200
    assert r.headers["Content-Type"] == content_type
    assert _sha(r.content) == manifest["files"][name]["sha256"]


def test_sitemap_lists_every_page_and_each_answers(live, http):
    r = http.get(f"{live}/sitemap.xml")
    assert r.status_code == 200
    assert r.headers["Content-Type"].startswith("application/xml")
    root = ET.fromstring(r.content)
    assert root.tag == f"{SITEMAP}urlset"
    urls = [loc.text for loc in root.iter(f"{SITEMAP}loc")]
    assert len(urls) == len(set(urls))
    assert {f"{live}/", f"{live}/calendar", f"{live}/query"} <= set(urls)
    # every event has its page there (52 events: compared with the graph, not a fixed number)
    events = select(live, "SELECT DISTINCT ?e WHERE { ?e a <http://schema.org/Event> }")
    assert sum("/doc/event/" in u for u in urls) == len(events) > 0
    failures = []
    for url in urls:
        assert url.startswith(live + "/")
        status = http.get(url, headers={"Accept": "text/html"}).status_code
        if status != 200:
            failures.append((url, status))
    assert failures == []


def test_robots_points_to_the_sitemap(live, http):
    r = http.get(f"{live}/robots.txt")
    assert r.status_code == 200
    lines = r.text.splitlines()
    sitemap = next(line.split(": ", 1)[1] for line in lines if line.startswith("Sitemap: "))
    assert sitemap == f"{live}/sitemap.xml"
    assert http.get(sitemap).status_code == 200


def test_record_in_the_dumps_has_no_checksums(live, http):
    """A file cannot hold its own checksum: only the served record has them."""
    g = Graph().parse(data=http.get(f"{live}/download/hld2006.ttl").content, format="turtle")
    assert not list(g.triples((None, SPDX.checksum, None)))


@pytest.mark.parametrize("path", ["/", "/calendar", "/doc/event/7.ttl",
                                  "/sparql?query=ASK%20%7B%7D"])
def test_every_response_says_when_the_build_was_made(live, dist, path):
    import email.utils

    r = requests.get(live + path)
    assert r.status_code == 200
    built = int((dist / "hld2006.nq").stat().st_mtime)
    assert email.utils.parsedate_to_datetime(r.headers["Last-Modified"]).timestamp() == built
    again = requests.get(live + path, headers={"If-Modified-Since": r.headers["Last-Modified"]})
    assert again.status_code == 304
