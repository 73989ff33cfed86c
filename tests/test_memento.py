# ruff: noqa: RUF001
"""Memento (RFC 7089) and FAIR Signposting over HTTP on loopback, on releases 1.0, 1.1 and 1.2
(tests/history_site.py): raw HTTP and a real Memento client (memento-client), for a thing that
changed (event 12), one added in 1.1 (event 51) and one removed in 1.2 (event 7)."""

from __future__ import annotations

import datetime as dt

import pytest
import requests
from memento_client import MementoClient
from rdflib import Graph

from hldgraph.urls import SCHEMA
from tests.test_history import Items, page

BASE = "https://w3id.org/hld2006/"
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


@pytest.fixture(scope="module")
def site(history):
    return history


def http_date(when: dt.datetime) -> str:
    return MementoClient.convert_to_http_datetime(when.replace(tzinfo=None))


def links(r: requests.Response) -> dict[str, dict[str, list[str]]]:
    """The Link header read by the Memento client's own parser: {url: {attribute: [values]}}."""
    return MementoClient.parse_link_header(r.headers.get("Link", ""))


def rels(r: requests.Response) -> dict[str, str]:
    """{relation type: url} of a Link header (each of a link's relation types)."""
    found = {}
    for target, attrs in links(r).items():
        for rel in " ".join(attrs.get("rel", [])).split():
            found.setdefault(rel, target)
    return found


def memento(site, version: str, path: str) -> str:
    return f"{site.url}/release/{version}{path}"


def between(site, a: str, b: str) -> dt.datetime:
    return site.issued[a] + (site.issued[b] - site.issued[a]) / 2


def get(site, path: str, **headers: str) -> requests.Response:
    return requests.get(site.url + path, headers=headers, allow_redirects=False, timeout=60)


# --- datetime negotiation (raw HTTP) ----------------------------------------------------------

def test_a_document_is_a_timegate(site):
    for when, version in ((between(site, "1.0", "1.1"), "1.0"),
                          (between(site, "1.1", "1.2"), "1.1"),
                          (site.issued["1.2"] + dt.timedelta(days=400), "1.2"),
                          (site.issued["1.1"], "1.1"),  # in force from its own second
                          (site.issued["1.0"] - dt.timedelta(days=400), "1.0")):  # the closest
        r = get(site, "/doc/event/12.ttl", **{"Accept-Datetime": http_date(when)})
        assert r.status_code == 302, when
        assert r.headers["Location"] == memento(site, version, "/doc/event/12.ttl")
        assert "accept-datetime" in r.headers["Vary"].lower()
        # its Location and Link say it all: no body, so no Content-Type (RFC 9110 §15.4)
        assert r.content == b"" and "Content-Type" not in r.headers
        found = rels(r)
        assert found["original"] == found["timegate"] == site.url + "/doc/event/12.ttl"
        assert found["timemap"] == site.url + "/timemap/link/doc/event/12.ttl"


def test_a_things_iri_is_a_timegate_for_the_document_accept_chooses(site):
    when = {"Accept-Datetime": http_date(between(site, "1.0", "1.1"))}
    turtle = get(site, "/id/event/12", Accept="text/turtle", **when)
    assert turtle.status_code == 302
    assert turtle.headers["Location"] == memento(site, "1.0", "/doc/event/12.ttl")
    assert {"accept", "accept-datetime"} <= {v.strip().lower()
                                             for v in turtle.headers["Vary"].split(",")}
    html = get(site, "/id/event/12", Accept=BROWSER, **when)
    assert html.headers["Location"] == memento(site, "1.0", "/doc/event/12.html")
    # format= chooses as it does for the IRI's own 303
    chosen = get(site, "/id/event/12?format=ttl", Accept=BROWSER, **when)
    assert chosen.headers["Location"] == memento(site, "1.0", "/doc/event/12.ttl")
    assert get(site, "/id/event/12?format=ttl", Accept=BROWSER).headers["Location"].endswith(
        "/doc/event/12.ttl")


def test_without_accept_datetime_the_original_names_its_timegate_and_timemap(site):
    r = get(site, "/doc/event/12.ttl")
    assert r.status_code == 200 and "Memento-Datetime" not in r.headers
    assert "accept-datetime" in r.headers["Vary"].lower()
    found = rels(r)
    assert found["timegate"] == site.url + "/doc/event/12.ttl"
    assert found["first"] == memento(site, "1.0", "/doc/event/12.ttl")
    assert found["last"] == memento(site, "1.2", "/doc/event/12.ttl")


def test_a_bad_accept_datetime_is_a_400(site):
    r = get(site, "/doc/event/12.ttl", **{"Accept-Datetime": "yesterday"})
    assert r.status_code == 400
    assert "Accept-Datetime" in r.json()["error"]


def test_a_browser_memento_client_may_read_the_memento_headers(site):
    """A script of another origin (a Memento client in a web page) reads a response's headers
    only where CORS exposes them: Memento-Datetime was not, so it could not tell which
    release it was given; Link was."""
    origin = {"Origin": "https://client.example"}
    r = get(site, "/release/1.1/doc/event/12.ttl", **origin)
    assert r.status_code == 200 and r.headers["Memento-Datetime"]
    exposed = {h.strip().lower() for h in r.headers["Access-Control-Expose-Headers"].split(",")}
    assert {"memento-datetime", "link"} <= exposed
    r = get(site, "/doc/event/12.ttl", **origin, **{"Accept-Datetime": http_date(
        between(site, "1.1", "1.2"))})
    assert r.status_code == 302
    assert "memento-datetime" in r.headers["Access-Control-Expose-Headers"].lower()


def test_every_memento_names_its_datetime_and_neighbours(site):
    for version, expected in {
            "1.0": {"first": "1.0", "last": "1.2", "next": "1.1"},
            "1.1": {"first": "1.0", "last": "1.2", "prev": "1.0", "next": "1.2"},
            "1.2": {"first": "1.0", "last": "1.2", "prev": "1.1"}}.items():
        r = requests.get(memento(site, version, "/doc/event/12.ttl"), timeout=60)
        assert r.status_code == 200, version
        when = MementoClient.convert_to_datetime(r.headers["Memento-Datetime"])
        assert when == site.issued[version].replace(tzinfo=None)
        found = rels(r)
        assert found["original"] == found["timegate"] == site.url + "/doc/event/12.ttl"
        assert found["timemap"] == site.url + "/timemap/link/doc/event/12.ttl"
        for rel, other in expected.items():
            assert found[rel] == memento(site, other, "/doc/event/12.ttl"), (version, rel)
        assert {"first", "last", "prev", "next"} & set(found) == set(expected), version


def test_a_memento_holds_the_state_of_its_release(site):
    dates = {}
    for version in ("1.0", "1.1"):
        r = requests.get(memento(site, version, "/doc/event/12.ttl"), timeout=60)
        g = Graph().parse(data=r.text, format="turtle")
        dates[version] = sorted(str(o) for o in g.objects(predicate=SCHEMA.startDate))
    assert dates == {"1.0": ["2006-04-03"], "1.1": ["2006-04-10"]}


# --- TimeMaps ---------------------------------------------------------------------------------

@pytest.mark.parametrize(("path", "versions"), [
    ("/doc/event/12.ttl", ["1.0", "1.1", "1.2"]),  # changed
    ("/doc/event/51.html", ["1.1", "1.2"]),  # added in 1.1
    ("/doc/event/7.jsonld", ["1.0", "1.1"]),  # removed in 1.2
])
def test_timemaps_list_the_releases_that_describe_a_resource(site, path, versions):
    r = get(site, "/timemap/link" + path)
    assert r.status_code == 200
    assert r.headers["Content-Type"] == "application/link-format"
    parsed = MementoClient.parse_link_header(r.text.replace("\n", ""))
    mementos = {u: a for u, a in parsed.items() if "memento" in " ".join(a["rel"]).split()}
    assert sorted(mementos) == [memento(site, v, path) for v in versions]
    for version in versions:
        attrs = mementos[memento(site, version, path)]
        assert MementoClient.convert_to_datetime(attrs["datetime"][0]) == (
            site.issued[version].replace(tzinfo=None))
    assert "first" in mementos[memento(site, versions[0], path)]["rel"][0].split()
    assert "last" in mementos[memento(site, versions[-1], path)]["rel"][0].split()
    assert "original" in parsed[site.url + path]["rel"][0].split()
    as_json = get(site, "/timemap/json" + path).json()
    assert as_json["original_uri"] == site.url + path
    assert [m["uri"] for m in as_json["mementos"]["list"]] == [memento(site, v, path)
                                                              for v in versions]
    assert as_json["mementos"]["last"]["uri"] == memento(site, versions[-1], path)


def test_the_timemap_of_an_iri_varies_with_accept(site):
    """/timemap/…/id/event/12 is the TimeMap of the document Accept chooses (.html for a
    browser, .ttl for Turtle): it said nothing in Vary, so a cache could give a browser's map to
    a Turtle client. A document's TimeMap depends on no header."""
    for kind in ("link", "json"):
        html = get(site, f"/timemap/{kind}/id/event/12", Accept=BROWSER)
        turtle = get(site, f"/timemap/{kind}/id/event/12", Accept="text/turtle")
        assert "/doc/event/12.html" in html.text and "/doc/event/12.ttl" in turtle.text
        for r in (html, turtle):
            assert "accept" in r.headers.get("Vary", "").lower(), r.headers
        document = get(site, f"/timemap/{kind}/doc/event/12.ttl", Accept=BROWSER)
        assert "Vary" not in document.headers


def test_an_added_resource_before_its_first_release_gets_its_first_memento(site):
    r = get(site, "/doc/event/51.ttl", **{"Accept-Datetime": http_date(
        between(site, "1.0", "1.1"))})
    assert r.headers["Location"] == memento(site, "1.1", "/doc/event/51.ttl")
    assert requests.get(memento(site, "1.0", "/doc/event/51.ttl"), timeout=60).status_code == 404


def test_a_removed_resource_is_a_timegate_to_its_last_states(site):
    r = get(site, "/doc/event/7.ttl", **{"Accept-Datetime": http_date(
        between(site, "1.0", "1.1"))})
    assert r.status_code == 302
    assert r.headers["Location"] == memento(site, "1.0", "/doc/event/7.ttl")
    gone = get(site, "/doc/event/7.ttl")
    assert gone.status_code == 410
    assert rels(gone)["last"] == memento(site, "1.1", "/doc/event/7.ttl")
    assert requests.get(memento(site, "1.1", "/doc/event/7.ttl"), timeout=60).status_code == 200


@pytest.mark.parametrize("path", ["/doc/event/12.xyz", "/doc/event/12.txt",
                                  "/doc/event/12.HTML"])
def test_a_document_the_site_does_not_serve_has_no_timegate_or_timemap(site, path):
    """/doc/event/12.xyz is a 404, and so is it in every release: with Accept-Datetime it
    answered 302 to /release/1.1/doc/event/12.xyz (a 404), and its TimeMaps listed three
    mementos that do not exist. The TimeGate and the TimeMaps answer 404 like the path."""
    assert get(site, path).status_code == 404
    dated = get(site, path, **{"Accept-Datetime": http_date(between(site, "1.1", "1.2"))})
    assert dated.status_code == 404, dated.headers
    assert "Location" not in dated.headers
    for kind in ("link", "json"):
        assert get(site, f"/timemap/{kind}{path}").status_code == 404


@pytest.mark.parametrize("path,accept,extension", [
    ("/doc/event/7.ttl", "*/*", "ttl"), ("/doc/event/7.html", BROWSER, "html"),
    ("/id/event/7", "text/turtle", "ttl"), ("/id/event/7", BROWSER, "html"),
    ("/release/1.2/doc/event/7.ttl", "*/*", "ttl"),
])
def test_the_links_of_a_410_name_the_representation_asked_for(site, path, accept, extension):
    """A withdrawn document's 410 names its last state as a memento: the state of the same
    document (Turtle for Turtle), as its first and last memento links do (RFC 7089 §2.2.1);
    the HTML page was named whatever was asked."""
    r = get(site, path, Accept=accept)
    assert r.status_code == 410
    last = f"/release/1.1/doc/event/7.{extension}"
    named = [(link["url"], link["rel"].split())
             for link in requests.utils.parse_header_links(r.headers["Link"])]
    mementos = [(target, rels) for target, rels in named if "memento" in rels]
    assert mementos and all(target.endswith(f".{extension}") for target, _ in mementos), named
    assert all(target.endswith(last) for target, rels in mementos if "first" not in rels)


# --- a real Memento client --------------------------------------------------------------------

@pytest.mark.parametrize(("path", "when", "closest", "around"), [
    ("/doc/event/12.ttl", ("1.1", "1.2"), "1.1", {"first": "1.0", "prev": "1.0", "next": "1.2",
                                                  "last": "1.2"}),
    ("/doc/event/51.ttl", ("1.0", "1.1"), "1.1", {"first": "1.1", "next": "1.2", "last": "1.2"}),
    ("/doc/event/7.ttl", ("1.0", "1.1"), "1.0", {"first": "1.0", "next": "1.1", "last": "1.1"}),
])
def test_memento_client(site, path, when, closest, around):
    """memento-client, as a reader of the past Web would use it: the original resource is its
    own TimeGate (RFC 7089 pattern 1.1), so the client is given no aggregator."""
    with MementoClient(timegate_uri="") as client:
        info = client.get_memento_info(site.url + path,
                                       between(site, *when).replace(tzinfo=None))
    assert info["original_uri"] == site.url + path
    assert info["timegate_uri"] == site.url + path
    got = info["mementos"]
    assert got["closest"]["uri"] == [memento(site, closest, path)]
    assert got["closest"]["datetime"] == site.issued[closest].replace(tzinfo=None)
    assert got["closest"]["http_status_code"] == 200
    for rel, version in around.items():
        assert got[rel]["uri"] == [memento(site, version, path)], rel
        assert got[rel]["datetime"] == site.issued[version].replace(tzinfo=None), rel
    assert {"first", "prev", "next", "last"} & set(got) == set(around)
    assert MementoClient.is_memento(got["closest"]["uri"][0])
    assert MementoClient.is_timegate(site.url + path, MementoClient.convert_to_http_datetime(
        between(site, *when).replace(tzinfo=None)))


# --- FAIR Signposting -------------------------------------------------------------------------

SIGNPOSTS = {"cite-as", "describedby", "item", "license", "type", "collection"}


@pytest.mark.parametrize("path", ["/doc/event/12.html", "/doc/event/12.ttl",
                                  "/doc/org/african-union.jsonld", "/doc/place/geneva.html"])
def test_every_page_and_document_carries_signposts(site, path):
    r = get(site, path, Accept=BROWSER)
    assert r.status_code == 200
    found = {rel: [u for u, a in links(r).items() if rel in " ".join(a["rel"]).split()]
             for rel in SIGNPOSTS | {"linkset"}}
    assert all(found.values()), {k for k, v in found.items() if not v}
    assert found["cite-as"] == [f"{BASE}release/1.2{path}"]
    assert found["license"] == ["https://creativecommons.org/licenses/by/4.0/"]
    assert found["collection"] == [site.url + "/release/1.2/"]
    for target in found["describedby"] + found["item"] + found["collection"]:
        assert requests.head(target, timeout=60).status_code == 200, target


def test_a_memento_cites_its_own_release(site):
    r = requests.get(memento(site, "1.1", "/doc/event/12.html"), timeout=60)
    cite = [u for u, a in links(r).items() if "cite-as" in a["rel"]]
    assert cite == [f"{BASE}release/1.1/doc/event/12.html"]
    assert Items(r.text).citations == [
        f"“Experts Meeting on Migration and Development”. HLD 2006 knowledge graph, release 1.1 "
        f"({site.issued['1.1'].date()}). {BASE}release/1.1/doc/event/12.html"]


def test_cite_this_names_the_release(site):
    en = Items(page(site, "/doc/event/12.html").text).citations
    assert en == [f"“Experts Meeting on Migration and Development”. HLD 2006 knowledge graph, "
                  f"release 1.2 ({site.issued['1.2'].date()}). {BASE}release/1.2/doc/event/12.html"]
    fr = Items(page(site, "/doc/event/12.html", lang="fr").text).citations
    assert fr[0].startswith("« Réunion d’experts sur la migration et le développement ». "
                            "Graphe de connaissances DHN 2006, version 1.2")


def test_a_linkset_per_resource(site):
    r = get(site, "/linkset/id/event/12")
    assert r.headers["Content-Type"] == "application/linkset+json"
    body = r.json()
    assert list(body) == ["linkset"]
    anchors = {c["anchor"]: c for c in body["linkset"]}
    page_ = anchors[site.url + "/doc/event/12.html"]
    for context in body["linkset"]:  # RFC 9264 §4.2.2: arrays of target objects with href
        for rel, targets in context.items():
            if rel != "anchor":
                assert isinstance(targets, list) and all("href" in t for t in targets), rel
    assert set(page_) >= SIGNPOSTS
    assert page_["cite-as"] == [{"href": f"{BASE}release/1.2/doc/event/12.html"}]
    gone = get(site, "/linkset/id/event/7").json()["linkset"][0]
    assert gone["cite-as"] == [{"href": f"{BASE}release/1.1/doc/event/7.html"}]
    assert get(site, "/linkset/id/event/999").status_code == 404


@pytest.mark.parametrize("accept", [BROWSER, "image/png", "text/turtle", "application/json"])
def test_a_linkset_is_one_representation_whatever_accept(site, accept):
    """A thing's linkset is about the thing, not about the document Accept would choose at its
    IRI: every Accept gets the same 200 with the same Vary (RFC 9110 §12.5.5); it once varied
    with Accept only for browsers, and answered 404 to an Accept no document satisfies."""
    plain = get(site, "/linkset/id/event/12", Accept="*/*")
    r = get(site, "/linkset/id/event/12", Accept=accept)
    assert (r.status_code, r.content) == (200, plain.content)
    assert r.headers.get("Vary") == plain.headers.get("Vary")
    assert r.headers["ETag"] == plain.headers["ETag"]
