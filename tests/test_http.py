"""HTTP semantics over real HTTP on loopback, the same on every route and path, cached or not:
negotiation with media-type parameters (RFC 9110 §12.5.1), Vary and entity tags per
representation (§8.8.3), preconditions in §13.2.2's order, the headers each status requires,
and the GET /sparql shortcut answering exactly as Flask does."""

from __future__ import annotations

import datetime as dt
import logging

import pytest
import requests
from rdflib import Graph
from server import BASE, sample_store, serve
from SPARQLWrapper import N3, SPARQLWrapper
from werkzeug.http import http_date

from hldgraph.web import create_app

SELECT = "SELECT ?s ?o WHERE { ?s ?p ?o } ORDER BY ?s ?o"
CONSTRUCT = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"
TURTLE_FIRST = "text/turtle;charset=UTF-8, application/rdf+xml;q=0.5"
COMPACTED = 'application/ld+json;profile="http://www.w3.org/ns/json-ld#compacted"'
BUILT_AT = dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=dt.UTC)
IOM = BASE + "id/org/iom"


def _sample(**settings):
    store = sample_store("oxigraph", **settings)
    store.modified = BUILT_AT  # as a store opened from a build file has
    return create_app(store.settings, store), store


@pytest.fixture(scope="module", params=[0, 64], ids=["uncached", "cached"])
def sample(request):
    """The sample served with the answer cache off and on; yields the root URL."""
    app, store = _sample(cache_entries=request.param)
    with store, serve(app) as url:
        yield url


def _type(r: requests.Response) -> str:
    return r.headers.get("Content-Type", "").split(";")[0]


def _vary(r: requests.Response) -> set[str]:
    return {v.strip().lower() for v in r.headers.get("Vary", "").split(",") if v.strip()}


# ---- one negotiation, with parameters, on every negotiated route ---------------------------

@pytest.mark.parametrize("path,accept,expected", [
    ("/id/event/1", "text/turtle; charset=utf-8", ".ttl"),
    ("/id/event/1", TURTLE_FIRST, ".ttl"),
    ("/id/event/1", COMPACTED, ".jsonld"),
    ("/doc/event/1", "text/turtle; charset=utf-8", ".ttl"),
    ("/def/", "text/turtle; charset=utf-8", ".ttl"),
])
def test_redirects_negotiate_with_parameters(live, path, accept, expected):
    r = requests.get(live + path, headers={"Accept": accept}, allow_redirects=False)
    assert r.status_code == 303 and r.headers["Location"].endswith(expected), r.text
    assert "accept" in _vary(r)


@pytest.mark.parametrize("path", ["/catalog", "/.well-known/void"])
@pytest.mark.parametrize("accept,expected,parser", [
    ("text/turtle; charset=utf-8", "text/turtle", "turtle"),
    (TURTLE_FIRST, "text/turtle", "turtle"),
    (COMPACTED, "application/ld+json", "json-ld"),
])
def test_documents_negotiate_with_parameters(live, path, accept, expected, parser):
    r = requests.get(live + path, headers={"Accept": accept})
    assert r.status_code == 200 and _type(r) == expected
    assert len(Graph().parse(data=r.content, format=parser)) > 10


@pytest.mark.parametrize("query,accept,expected", [
    (SELECT, "application/sparql-results+json; charset=utf-8", "application/sparql-results+json"),
    (SELECT, "text/csv; header=present", "text/csv"),
    (SELECT, "text/csv; header=absent;q=1, text/tab-separated-values;q=0.5",
     "text/tab-separated-values"),
    (CONSTRUCT, TURTLE_FIRST, "text/turtle"),
    (CONSTRUCT, COMPACTED, "application/ld+json"),
    (CONSTRUCT, 'application/ld+json;profile="http://example.org/unknown"', "application/ld+json"),
])
def test_the_endpoint_negotiates_with_parameters(sample, query, accept, expected):
    for method in ("GET", "POST"):
        r = requests.request(method, sample + "/sparql", params={"query": query} if
                             method == "GET" else None, data={"query": query}
                             if method == "POST" else None, headers={"Accept": accept})
        assert r.status_code == 200 and _type(r) == expected, (method, r.text)


def test_another_charset_is_not_acceptable(live, sample):
    for url in (live + "/id/event/1", sample + "/sparql?query=ASK%20%7B%7D"):
        r = requests.get(url, headers={"Accept": "text/turtle; charset=iso-8859-1, "
                                       "application/sparql-results+json; charset=latin1"},
                         allow_redirects=False)
        assert r.status_code == 406 and r.json()["ok"] is False, url
        assert "accept" in _vary(r)


#: Routes that read Accept, each through the one parser (formats): a thing's IRI, a query's
#: answer (the shortcut), the catalogue record, a page-or-JSON view, a JSON-LD twin.
READ_ACCEPT = ["/id/event/1", "/sparql?query=ASK%20%7B%7D", "/catalog", "/download/",
               "/search?q=iom", "/calendar.json"]


@pytest.mark.parametrize("path", READ_ACCEPT)
@pytest.mark.parametrize("accept,bad", [
    ("text/turtle;q=1.5", "1.5"), ("text/turtle; q=abc", "abc"), ("text/html;q=0.1234", "0.1234"),
    ("text/turtle, text/html;q=-1", "-1"), ("*/*;q=1.001", "1.001"), ("text/turtle;q=", "''"),
])
def test_a_malformed_qvalue_is_a_400_naming_it(live, path, accept, bad):
    """RFC 9110 §12.4.2: a qvalue is 0 to 1 with at most three decimals. A header that breaks
    the grammar is the client's error (a 400 naming the header and the value), not a 406 that
    reads as if the types were refused; the error is JSON, as Accept cannot say otherwise."""
    r = requests.get(live + path, headers={"Accept": accept}, allow_redirects=False)
    assert r.status_code == 400, (path, accept, r.status_code, r.text)
    body = r.json()
    assert body["status"] == 400 and "Accept" in body["error"] and bad in body["error"], body
    assert "accept" in _vary(r)


@pytest.mark.parametrize("accept", ["text/turtle;q=1.000", "text/turtle;q=1.", "text/turtle;Q=0.5",
                                    "text/turtle;q=0", "text/turtle;q=0.001, */*;q=0.",
                                    "text/turtle ; q=0.5"])
def test_every_wellformed_qvalue_is_read(live, accept):
    r = requests.get(live + "/catalog", headers={"Accept": accept})
    assert r.status_code in {200, 406}, (accept, r.text)
    assert r.status_code == 406 or _type(r) == "text/turtle"


#: Routes that read Accept-Language (the language of a page, of names, of a chart's words),
#: each through the one choice (web.i18n): pages, a search, the query page, the downloads page,
#: the reconciliation service, a chart.
READ_ACCEPT_LANGUAGE = ["/", "/calendar", "/doc/event/1.html", "/search?q=iom", "/query",
                        "/download/", "/reconcile/suggest/entity?prefix=gen",
                        "/calendar/timeline.svg"]
#: ...of which these read it for their page only: their JSON has no language.
PAGE_ONLY_LANGUAGE = {"/download/"}
#: Accept-Language, Accept-Encoding headers (``{}``: a language, an encoding) with a member
#: whose q-value breaks RFC 9110 §12.4.2, and that value.
MALFORMED = [("{};q=1.5", "1.5"), ("{}; q=abc", "abc"), ("{};q=0.1234", "0.1234"),
             ("*, {};q=-1", "-1"), ("{};q=", "''")]


@pytest.mark.parametrize("path", READ_ACCEPT_LANGUAGE)
@pytest.mark.parametrize("language,bad", [(m.format("fr"), bad) for m, bad in MALFORMED])
def test_a_malformed_accept_language_qvalue_is_a_400_naming_it(live, path, language, bad):
    """Accept-Language is judged by Accept's rule (hldgraph.qvalues): ``fr;q=1.5`` was read as
    if the client had not named French, and the page came in English. A machine gets the
    error JSON, a browser the error page (in English: the header that would choose is the
    error), never a 500."""
    r = requests.get(live + path, headers={"Accept": "application/json",
                                           "Accept-Language": language})
    if path not in PAGE_ONLY_LANGUAGE:
        assert r.status_code == 400, (path, language, r.status_code, r.text[:300])
        body = r.json()
        assert "Accept-Language" in body["error"] and bad in body["error"], body
        assert "accept-language" in _vary(r)
    page = requests.get(live + path, headers={"Accept": "text/html",
                                              "Accept-Language": language})
    assert page.status_code == 400 and _type(page) == "text/html", (path, page.status_code)
    assert "Accept-Language" in page.text and page.headers["Content-Language"] == "en"


@pytest.mark.parametrize("language,chosen", [
    ("fr;q=1.000", "fr"), ("fr-CH, fr;q=0.9, en;q=0.8", "fr"), ("en;q=0.5, fr", "fr"),
    ("FR;Q=0.5, de", "fr"), ("fr;q=0, en;q=0.", "en"), ("fr ; q=0.5", "fr"), ("", "en"),
    # RFC 4647 §3.4 lookup: a regional range takes its language, in the order of preference
    ("fr-CH, en;q=0.5", "fr"), ("en-GB, fr;q=0.9", "en"), ("de-CH, fr-BE;q=0.3", "fr"),
    ("de, *;q=0.5", "en"), ("fr-CA-x-priv", "fr"), ("fr-CH;q=0, en;q=0.1", "en"),
    # "*" is any language but those refused (q=0): English was served to "anything but English"
    ("en;q=0, *", "fr"), ("en;q=0, *;q=0.5", "fr"), ("EN-GB;q=0, en;q=0, *", "fr"),
    # the most preferred range first: werkzeug lists "*" last whatever its q-value
    ("*, fr;q=0.1", "en"), ("fr;q=0.1, *;q=0.2, en;q=0", "fr")])
def test_every_wellformed_accept_language_is_read(live, language, chosen):
    r = requests.get(live + "/", headers={"Accept-Language": language})
    assert r.status_code == 200 and r.headers["Content-Language"] == chosen, (language, r.text)


@pytest.mark.parametrize("encoding,bad", [(m.format("gzip"), bad) for m, bad in MALFORMED])
def test_a_malformed_accept_encoding_qvalue_is_a_400_naming_it(live, encoding, bad):
    """Accept-Encoding, which chooses a dump or its gzip twin, is judged by the same rule:
    ``gzip;q=1.5`` gave the file uncompressed, as if gzip had not been named."""
    r = requests.get(live + "/download/hld2006.ttl", headers={"Accept-Encoding": encoding})
    assert r.status_code == 400, (encoding, r.status_code, r.text[:300])
    body = r.json()
    assert "Accept-Encoding" in body["error"] and bad in body["error"], body
    assert "accept-encoding" in _vary(r)


@pytest.mark.parametrize("encoding,gzipped", [
    ("gzip;q=1.000", True), ("gzip;q=0.001", True), ("GZIP;Q=0.5", True), ("gzip;q=0", False),
    ("identity, gzip;q=0.", False), ("*;q=0.5", True), ("identity", False)])
def test_every_wellformed_accept_encoding_is_read(live, encoding, gzipped):
    r = requests.get(live + "/download/hld2006.ttl", headers={"Accept-Encoding": encoding})
    assert r.status_code == 200, (encoding, r.text[:300])
    assert (r.headers.get("Content-Encoding") == "gzip") is gzipped, encoding


def test_the_json_ld_twins_vary_on_accept_as_their_type_does(live):
    """A JSON-LD twin says Vary: Accept because Accept chooses its type and form; /search.json,
    JSON whatever is asked, does not."""
    plain = requests.get(live + "/calendar.json", headers={"Accept": "application/json"})
    ld = requests.get(live + "/calendar.json", headers={"Accept": COMPACTED})
    assert _type(plain) == "application/json" and _type(ld) == "application/ld+json"
    assert "accept" in _vary(plain) and "accept" in _vary(ld)
    for accept in ("text/html", "application/json", "text/turtle", "*/*"):
        r = requests.get(live + "/search.json?q=iom", headers={"Accept": accept})
        assert r.status_code == 200 and _type(r) == "application/json", accept
        assert _vary(r) == {"accept-language"}, accept


@pytest.mark.parametrize("params,accept,expected", [
    ({"format": "foo"}, "text/tab-separated-values", "text/tab-separated-values"),
    ({"format": "n3"}, "application/sparql-results+json", "text/turtle"),
    ({"format": ["bogus", "csv"]}, None, "text/csv"),
])
def test_format_selects_a_known_format_and_falls_back_to_accept(sample, params, accept,
                                                                 expected):
    query = CONSTRUCT if params.get("format") == "n3" else SELECT
    r = requests.get(sample + "/sparql", params={"query": query, **params},
                     headers={"Accept": accept} if accept else {})
    assert r.status_code == 200 and _type(r) == expected, r.text


def test_sparqlwrapper_n3_on_a_construct_gets_turtle(sample):
    sw = SPARQLWrapper(sample + "/sparql")
    sw.setQuery(CONSTRUCT)
    sw.setReturnFormat(N3)  # sends format=n3&output=n3&results=n3
    result = sw.query()
    assert result.info()["content-type"].startswith("text/turtle")
    graph = Graph().parse(data=result.convert(), format="turtle")
    assert any(str(s).startswith(BASE) for s in graph.subjects())


@pytest.mark.parametrize("accept,expected", [
    ("application/json; charset=utf-8", "application/json"),
    ("text/html; charset=utf-8, application/json;q=0.5", "text/html"),
])
def test_error_responses_negotiate_with_parameters(live, accept, expected):
    r = requests.get(live + "/download/nothing.ttl", headers={"Accept": accept})
    assert r.status_code == 404 and _type(r) == expected
    assert "accept" in _vary(r)


def test_the_download_listing_negotiates_with_parameters(live):
    r = requests.get(live + "/download/", headers={"Accept": "application/json; charset=utf-8"})
    assert r.status_code == 200 and r.json()["files"] and "accept" in _vary(r)


# ---- Vary and ETag per dimension, on every negotiated route ----------------------------------

DIMENSIONS = [
    ("/sparql?query=" + requests.utils.quote(SELECT), "Accept",
     "application/sparql-results+json", "text/csv"),
    ("/sparql?query=" + requests.utils.quote(CONSTRUCT), "Accept", "text/turtle",
     "application/ld+json"),
    ("/catalog", "Accept", "text/turtle", "application/rdf+xml"),
    ("/.well-known/void", "Accept", "text/turtle", "application/ld+json"),
    ("/download/", "Accept", "text/html", "application/json"),
    ("/calendar", "Accept-Language", "en", "fr"),
    ("/calendar/timeline.svg", "Accept-Language", "en", "fr"),
    ("/calendar/map.svg", "Accept-Language", "en", "fr"),
    ("/calendar/map.png", "Accept-Language", "en", "fr"),
    ("/calendar.csv", "Accept-Encoding", "identity", "gzip"),
    ("/calendar.ics", "Accept-Encoding", "identity", "gzip"),
    ("/download/hld2006.ttl", "Accept-Encoding", "identity", "gzip"),
]


@pytest.mark.parametrize("path,header,one,other", DIMENSIONS)
def test_each_representation_has_its_own_etag_and_says_what_it_varies_on(
        live, path, header, one, other):
    """RFC 9110 §8.8.3 and §12.5.5: a client holding one representation's tag gets the other
    in full, and every response names the header it was chosen by."""
    got = {}
    for value in (one, other):
        r = requests.get(live + path, headers={header: value})
        assert r.status_code == 200 and header.lower() in _vary(r), (path, value)
        got[value] = r.headers["ETag"]
        again = requests.get(live + path, headers={header: value, "If-None-Match": got[value]})
        assert again.status_code == 304 and again.content == b""
        assert again.headers["ETag"] == got[value] and header.lower() in _vary(again)
    assert got[one] != got[other]
    cross = requests.get(live + path, headers={header: other, "If-None-Match": got[one]})
    assert cross.status_code == 200 and cross.content


#: Negotiated resources, and the request headers each varies on (RFC 9110 §12.5.5).
NEGOTIATED = [
    ("/sparql", {"accept", "accept-language"}),
    ("/sparql?query=" + requests.utils.quote(SELECT), {"accept", "accept-language"}),
    ("/id/event/1", {"accept", "accept-datetime"}),
    ("/doc/event/1", {"accept", "accept-datetime"}),
    ("/def/", {"accept"}),
    ("/graph/source", {"accept"}),
    ("/catalog", {"accept"}),
    ("/.well-known/void", {"accept"}),
    ("/download/", {"accept", "accept-language"}),
    ("/search?q=iom", {"accept", "accept-language"}),
    ("/calendar", {"accept", "accept-language"}),
    ("/changes/1.0", {"accept", "accept-language"}),
    # the search, suggest, calendar and feed views: each declares its own (http.varies)
    # always JSON: Accept chooses nothing (an error's page or JSON is the error's own Vary)
    ("/search.json?q=iom", {"accept-language"}),
    ("/search/vocabulary.json", {"accept-language"}),
    ("/search/labels?iri=" + requests.utils.quote(IOM), {"accept-language"}),
    ("/reconcile/suggest/entity?prefix=Gen", {"accept-language"}),
    ("/reconcile/suggest/type?prefix=ev", {"accept-language"}),
    # the properties are named in English only: nothing of the request chooses them
    ("/reconcile/suggest/property?prefix=da", set()),
    ("/reconcile/properties", set()),
    ("/reconcile/preview?id=" + requests.utils.quote(IOM), {"accept-language"}),
    ("/reconcile/flyout?id=" + requests.utils.quote(IOM), {"accept-language"}),
    *((f"/calendar/{chart}", {"accept-language"}) for chart in
      ("timeline.svg", "map.svg", "timeline.png", "map.png")),
    ("/releases.atom", {"accept-language"}),
    # the query page is a page whatever Accept asks: its language alone chooses it
    ("/query", {"accept-language"}),
    # JSON-LD: Accept chooses application/json or application/ld+json, and the form (profile)
    ("/calendar.json", {"accept"}),
    ("/doc/event/1.jsonld", {"accept", "accept-datetime"}),
    # the TimeMap of an IRI is that of the document Accept chooses there; of a document, not
    ("/timemap/link/id/event/1", {"accept"}),
    ("/timemap/json/id/event/1", {"accept"}),
    ("/timemap/link/doc/event/1.ttl", set()),
    # a file of the build: gzip or not
    ("/download/hld2006.ttl", {"accept-encoding"}),
    ("/calendar.csv", {"accept-encoding"}),
    # the manifest's names are in the language asked for
    ("/reconcile", {"accept-language"}),
    # errors of negotiated resources: every answer a 404, each naming the resource's Vary
    ("/id/event/99999", {"accept", "accept-datetime"}),
    ("/doc/event/99999.jsonld", {"accept", "accept-datetime"}),
]
#: Accept headers: the usual, and one whose q-value is malformed (RFC 9110 §12.4.2), a 400
#: where Accept is read and ignored where it is not.
ACCEPTS = [None, "text/html", "application/json", "text/turtle", "application/ld+json", "*/*",
           "application/sparql-results+json", "text/csv", "image/png", "text/turtle;q=1.5"]


@pytest.mark.parametrize("path,dimensions", NEGOTIATED)
def test_every_answer_of_a_negotiated_resource_names_the_same_vary(history, path, dimensions):
    """A cache keys on Vary (RFC 9110 §12.5.5): every representation of one resource, and every
    answer that chooses one (a 303), names the same headers whatever was asked; an error names
    Accept and Accept-Language, the page or JSON it is and its language, and the resource's.
    On a server holding releases, as `hldgraph serve` serves them: there an IRI is a TimeGate."""
    live = history.url
    for accept in ACCEPTS:
        for lang in (None, "fr", "en"):
            headers = {k: v for k, v in (("Accept", accept), ("Accept-Language", lang)) if v}
            r = requests.get(live + path, headers=headers, allow_redirects=False, timeout=60)
            if r.status_code < 400:
                assert _vary(r) == dimensions, (path, headers, r.status_code)
            else:
                assert _vary(r) >= dimensions | {"accept", "accept-language"}, (path, headers)


@pytest.mark.parametrize("path,dimensions", NEGOTIATED)
def test_a_failed_precondition_or_range_names_the_resources_vary(history, path, dimensions):
    """A 412 or a 416 is made after the view chose its representation: it names what the
    resource varies on as every other answer of it does (RFC 9110 §12.5.5), besides its own."""
    for headers in ({"If-Match": '"nothing"'}, {"Range": "bytes=999999999-"}):
        r = requests.get(history.url + path, headers=headers, allow_redirects=False, timeout=60)
        if r.status_code in {412, 416}:
            assert _vary(r) >= dimensions | {"accept", "accept-language"}, (path, headers)


def test_a_french_client_holding_the_english_chart_gets_the_french_one(live):
    for chart in ("timeline", "map"):
        en = requests.get(f"{live}/calendar/{chart}.svg", headers={"Accept-Language": "en"})
        fr = requests.get(f"{live}/calendar/{chart}.svg",
                          headers={"Accept-Language": "fr", "If-None-Match": en.headers["ETag"]})
        assert fr.status_code == 200 and fr.headers["Content-Language"] == "fr"
        assert en.headers["Content-Language"] == "en" and fr.text != en.text


# ---- preconditions, in RFC 9110 §13.2.2's order, cached or not ------------------------------

def _get(url: str, **headers: str) -> requests.Response:
    return requests.get(url, params={"query": SELECT},
                        headers={"Accept": "application/sparql-results+json", **headers})


def test_preconditions_in_the_order_of_rfc_9110(sample):
    url = sample + "/sparql"
    first = _get(url)
    etag, modified = first.headers["ETag"], first.headers["Last-Modified"]
    assert modified == http_date(BUILT_AT)
    before, after = http_date(BUILT_AT - dt.timedelta(days=1)), http_date(
        BUILT_AT + dt.timedelta(days=1))
    cases = [
        ({"If-None-Match": etag}, 304),
        ({"If-None-Match": "W/" + etag}, 304),  # If-None-Match compares weakly
        ({"If-None-Match": '"other", ' + etag}, 304),
        ({"If-None-Match": '"other"'}, 200),
        ({"If-Match": etag}, 200),
        ({"If-Match": "*"}, 200),
        ({"If-Match": '"other"'}, 412),
        ({"If-Match": "W/" + etag}, 412),  # If-Match compares strongly
        ({"If-Match": '"other"', "If-None-Match": etag}, 412),  # If-Match first
        ({"If-Unmodified-Since": before}, 412),
        ({"If-Unmodified-Since": after}, 200),
        ({"If-Match": etag, "If-Unmodified-Since": before}, 200),  # IUS only without If-Match
        ({"If-Modified-Since": modified}, 304),
        ({"If-Modified-Since": before}, 200),
        ({"If-None-Match": '"other"', "If-Modified-Since": after}, 200),  # IMS only without INM
        ({"If-None-Match": etag, "Range": "bytes=0-9"}, 304),  # preconditions before Range
    ]
    for _ in range(2):  # the second time from the cache, when there is one
        for headers, status in cases:
            r = _get(url, **headers)
            assert r.status_code == status, (headers, r.status_code)
            if status == 304:
                assert r.content == b"" and r.headers["ETag"] == etag
                assert "accept" in _vary(r) and "Content-Type" not in r.headers
            if status == 412:
                assert r.json()["status"] == 412 and "accept" in _vary(r)


def test_ranges(sample):
    url = sample + "/sparql"
    whole = _get(url)
    etag, size = whole.headers["ETag"], len(whole.content)
    assert whole.headers["Accept-Ranges"] == "bytes"
    part = _get(url, Range="bytes=0-9")
    assert part.status_code == 206 and part.content == whole.content[:10]
    assert part.headers["Content-Range"] == f"bytes 0-9/{size}"
    assert part.headers["ETag"] == etag
    assert _get(url, Range="bytes=0-9", **{"If-Range": etag}).status_code == 206
    stale = _get(url, Range="bytes=0-9", **{"If-Range": '"other"'})
    assert stale.status_code == 200 and stale.content == whole.content
    beyond = _get(url, Range=f"bytes={size + 10}-")
    assert beyond.status_code == 416 and beyond.headers["Content-Range"] == f"bytes */{size}"
    assert beyond.json()["status"] == 416
    # RFC 9110 §14.2: a Range in a unit the server does not understand MUST be ignored; a
    # unit other than bytes was answered 416, "outside the N bytes of this representation"
    for unit in ("chars=0-9", "rows=0-1"):
        other = _get(url, Range=unit)
        assert other.status_code == 200 and other.content == whole.content, unit
    assert _get(url, Range="Bytes=0-9").status_code == 206  # units are case-insensitive


def test_preconditions_on_a_flask_route(sample):
    r = requests.get(sample + "/-/health")
    assert requests.get(sample + "/-/health",
                        headers={"If-None-Match": r.headers["ETag"]}).status_code == 304
    assert requests.get(sample + "/-/health", headers={"If-Match": '"x"'}).status_code == 412


# ---- the headers a status requires -----------------------------------------------------------

@pytest.mark.parametrize("method,path,headers,status", [
    ("OPTIONS", "/sparql", {}, 200),
    ("OPTIONS", "/sparql", {"Origin": "https://example.org",
                            "Access-Control-Request-Method": "POST"}, 204),
    ("GET", "/id/event/1", {"Accept": "text/turtle"}, 303),
    ("GET", "/def/", {"Accept": "text/turtle"}, 303),
    ("GET", "/release/1.0/def", {}, 308),  # werkzeug's routing redirect
])
def test_answers_without_content_have_no_content_type(history, method, path, headers, status):
    """An OPTIONS answer (RFC 9110 §9.3.7), a 204 (§15.3.5) and a redirect (§15.4) say all in
    their header fields: no body, so no Content-Type (werkzeug wrote text/html, and a note of
    its own into a routing redirect). On a server holding releases (/release/1.0/…)."""
    r = requests.request(method, history.url + path, headers=headers, allow_redirects=False)
    assert r.status_code == status and r.content == b""
    assert "Content-Type" not in r.headers, r.headers
    assert r.headers["Access-Control-Allow-Origin"] == "*"


def test_error_statuses_carry_their_headers(sample):
    r = requests.put(sample + "/sparql?query=ASK%7B%7D")
    assert r.status_code == 405 and "GET" in r.headers["Allow"] and "accept" in _vary(r)
    app, store = _sample(query_time_limit_s=0.5, extra_triples=300, cache_entries=0)
    slow = "SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
    with store, serve(app) as url:
        r = requests.get(url + "/sparql", params={"query": slow})
    assert r.status_code == 503 and int(r.headers["Retry-After"]) >= 1
    assert r.headers["Access-Control-Allow-Origin"] == "*"


# ---- one request path: the shortcut is the endpoint --------------------------------------------

PROBES = [({"query": SELECT}, {}), ({"query": SELECT}, {"Accept": "text/csv"}),
          ({"query": CONSTRUCT, "format": "n3"}, {}), ({"query": "SELECT * {"}, {}),
          ({"query": "SELECT * {"}, {"Accept": "text/html"}), ({"query": "DROP ALL"}, {}),
          ({"query": SELECT}, {"Accept": "image/png"}), ({"query": SELECT, "format": "html"}, {}),
          ({"query": SELECT}, {"Range": "bytes=3-5"}), ({"query": SELECT}, {"If-Match": '"x"'})]


def test_the_shortcut_answers_exactly_as_flask_does():
    app, store = _sample(cache_entries=16)
    shortcut = app.wsgi_app
    shortcut = getattr(shortcut, "main", shortcut)  # under the mount of the earlier releases
    flask_only = shortcut.flask  # Flask's own request handling, without the shortcut
    with store, serve(app) as fast, serve(flask_only) as slow:
        for params, headers in PROBES * 2:  # the second time from the cache
            a, b = (requests.get(u + "/sparql", params=params, headers=headers)
                    for u in (fast, slow))
            assert a.status_code == b.status_code, (params, headers)
            # a page names the server it came from
            assert a.content.replace(fast.encode(), slow.encode()) == b.content, params
            for name in set(a.headers) | set(b.headers):
                if name not in {"Date", "X-Cache", "Server"}:
                    assert a.headers.get(name) == b.headers.get(name), (name, params, headers)


def test_the_shortcut_skips_flask_routing():
    app, store = _sample(cache_entries=0)
    routed: list[str] = []
    app.before_request(lambda: routed.append("routed"))
    with store, serve(app) as url:
        assert _get(url + "/sparql").status_code == 200
        bad = requests.get(url + "/sparql", params={"query": "SELECT * {"})
        assert bad.status_code == 400 and bad.json()["ok"] is False and routed == []
        assert bad.headers["Access-Control-Allow-Origin"] == "*" and "accept" in _vary(bad)
        requests.get(url + "/sparql", params={"query": SELECT}, headers={"Accept": "text/html"})
        assert routed == ["routed"]  # a page is Flask's


@pytest.mark.parametrize("target", ["hldgraph.web.sparql.answer_for",
                                    "hldgraph.web.http.validators"])
def test_an_exception_in_the_shortcut_is_a_logged_plain_500(monkeypatch, caplog, target):
    def boom(*args: object) -> None:
        raise RuntimeError("secret internals")

    app, store = _sample(cache_entries=0)
    routed: list[str] = []
    app.before_request(lambda: routed.append("routed"))
    monkeypatch.setattr(target, boom)
    with store, serve(app) as url, caplog.at_level(logging.ERROR):
        r = _get(url + "/sparql")
    assert r.status_code == 500 and r.text == "Internal Server Error\n"
    assert r.headers["Content-Type"].startswith("text/plain") and routed == []
    assert "secret internals" in caplog.text and "Traceback" not in r.text


# ---- parameters are UTF-8 text on every route --------------------------------------------------

@pytest.mark.parametrize("path", ["/search.json?q=%FF%FE", "/search?q=gen%E8ve",
                                  "/calendar?city=%FF", "/reconcile/suggest/entity?prefix=%C3",
                                  "/reconcile/preview?id=%FF", "/sparql?query=%FF"])
def test_a_query_string_that_is_not_utf8_is_a_400(live, path):
    """werkzeug reads a bad percent-escape (%FF, Latin-1's %E8) as the text '%FF' or U+FFFD, so
    search answered 200 for a word nobody typed; every route now says what the endpoint says."""
    r = requests.get(live + path, headers={"Accept": "application/json"}, timeout=30)
    assert r.status_code == 400, r.text
    assert "not valid UTF-8" in r.json()["error"]


@pytest.mark.parametrize("path, params", [
    ("/search.json", {"q": "IOM"}), ("/reconcile/suggest/entity", {"prefix": "Gen"}),
    ("/reconcile", {"queries": '{"q0": {"query": "IOM"}}'}),
    ("/reconcile/suggest/type", {"prefix": "E"}),
    ("/sparql", {"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 2"}),
])
def test_an_answer_the_cache_keeps_names_no_host(live, path, params):
    """The response cache keys on the URL's path and query, not on Host: an answer it keeps
    must not hold a URL made from the request's host (the reconciliation manifest does, and is
    not kept), or a client of one host name would be sent another's."""
    first = requests.get(live + path, params=params, timeout=30,
                         headers={"Host": "first.example", "Accept": "application/json"})
    again = requests.get(live + path, params=params, timeout=30,
                         headers={"Host": "second.example", "Accept": "application/json"})
    assert first.status_code == again.status_code == 200
    assert again.headers["X-Cache"] == "hit"
    for r in (first, again):
        assert "first.example" not in r.text + str(r.headers)
