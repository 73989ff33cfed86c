"""Random and mutated queries, headers and bodies: every answer is 2xx or 4xx with a message.

The only 5xx allowed is the 503 of a query stopped at the time limit.
"""

from __future__ import annotations

import string

import pytest
import requests
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from server import sample_store, serve

from hldgraph.web import create_app
from hldgraph.web.sparql import QUERIES_DIR

SEEDS = [p.read_text(encoding="utf-8") for p in sorted(QUERIES_DIR.glob("*.rq"))] + [
    "SELECT * WHERE { ?s ?p ?o } LIMIT 5",
    "ASK { ?s a <http://schema.org/Event> }",
    "CONSTRUCT WHERE { ?s ?p ?o }",
    "DESCRIBE <https://w3id.org/hld2006/id/event/7>",
    'SELECT (STRLEN("é") AS ?n) (xsd:integer("x") AS ?bad) {}',
]
HEADER_TEXT = st.text(alphabet=string.printable.replace("\r", "").replace("\n", "")
                      .replace("\x0b", "").replace("\x0c", ""), max_size=60).map(str.lstrip)
MEDIA = st.sampled_from(["application/sparql-query", "application/x-www-form-urlencoded",
                         "application/sparql-update", "text/plain", "multipart/form-data",
                         "application/json", "application/sparql-query; charset=latin-1"])
ACCEPT = st.one_of(HEADER_TEXT, st.sampled_from([
    "*/*", "text/html", "text/csv;q=0.2, */*;q=0.1", "application/ld+json",
    "application/sparql-results+xml;q=abc", "image/*", ""]))
FUZZ = settings(max_examples=40, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@pytest.fixture(scope="module", params=["memory", "oxigraph"])
def url(request):
    store = sample_store(request.param, query_time_limit_s=2.0, max_request_bytes=4096)
    with store, serve(create_app(store.settings, store)) as base:
        yield base + "/sparql"


def assert_sane(r: requests.Response) -> None:
    assert r.status_code < 500 or (r.status_code == 503 and "time limit" in r.text), (
        r.status_code, r.text[:500])
    if r.status_code >= 400 and r.content and r.headers["Content-Type"] == "application/json":
        body = r.json()
        assert body["ok"] is False and body["status"] == r.status_code
        assert isinstance(body["error"], str) and body["error"].strip()
    assert "Traceback" not in r.text


@st.composite
def mutated(draw: st.DrawFn) -> str:
    text = draw(st.sampled_from(SEEDS))
    for _ in range(draw(st.integers(1, 4))):
        i = draw(st.integers(0, len(text)))
        j = draw(st.integers(i, min(len(text), i + 20)))
        action = draw(st.sampled_from(["delete", "insert", "duplicate", "case"]))
        if action == "delete":
            text = text[:i] + text[j:]
        elif action == "insert":
            text = text[:i] + draw(st.text(max_size=8)) + text[i:]
        elif action == "duplicate":
            text = text[:j] + text[i:j] + text[j:]
        else:
            text = text[:i] + text[i:j].swapcase() + text[j:]
    return text


@FUZZ
@given(query=st.one_of(st.text(max_size=200), mutated()), accept=ACCEPT)
def test_get_queries(url, query, accept):
    assert_sane(requests.get(url, params={"query": query}, headers={"Accept": accept}))


@FUZZ
@given(body=st.one_of(st.binary(max_size=300), mutated().map(str.encode)), media=MEDIA,
       accept=ACCEPT)
def test_post_bodies(url, body, media, accept):
    r = requests.post(url, data=body, headers={"Content-Type": media, "Accept": accept})
    assert_sane(r)


@FUZZ
@given(params=st.lists(st.tuples(
    st.sampled_from(["query", "default-graph-uri", "named-graph-uri", "format", "update", "x"]),
    st.one_of(st.text(max_size=40), st.sampled_from(SEEDS))), max_size=5),
    method=st.sampled_from(["GET", "POST", "HEAD", "OPTIONS", "DELETE"]))
def test_parameters(url, params, method):
    if method in {"GET", "HEAD", "OPTIONS", "DELETE"}:
        r = requests.request(method, url, params=params)
    else:
        r = requests.post(url, data=params)
    assert_sane(r)
