"""The W3C SPARQL 1.1 Protocol and Service Description test suites, run over HTTP.

Every manifest entry is one test, on each backend (sparql: a real Oxigraph server; virtuoso:
store=sparql on a real Virtuoso server). The
endpoint is read-only, so the update tests pass when the update is refused (4xx) and nothing
after it is asked.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
from collections import Counter
from dataclasses import dataclass, field

import pytest
import requests
from conftest import shared_path
from oxigraph_server import oxigraph_server
from rdflib import Dataset, Graph, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF
from server import serve
from virtuoso_server import virtuoso_server

from hldgraph.settings import load_settings
from hldgraph.store import open_store
from hldgraph.urls import SD
from hldgraph.web import create_app

MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = Namespace("http://www.w3.org/2011/http#")
HTS = Namespace("http://www.w3.org/2011/http-statusCodes#")
CNT = Namespace("http://www.w3.org/2011/content#")
UT = Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
SUITE = ("reference", "w3c-sparql11-protocol")
DATA_GRAPHS = {f"http://kasei.us/2009/09/sparql/data/data{i}.rdf": f"protocol-data{i}.nt"
               for i in (1, 2, 3)}
BACKENDS = ["memory", "oxigraph", "sparql", "virtuoso"]
#: The real server behind each remote backend.
SERVERS = {"sparql": oxigraph_server, "virtuoso": virtuoso_server}
TABULAR = {"application/sparql-results+xml", "application/sparql-results+json", "text/csv",
           "text/tab-separated-values"}
RDF_TYPES = {"application/rdf+xml": "xml", "text/turtle": "turtle",
             "application/n-triples": "nt"}

outcomes: Counter[str] = Counter()


@dataclass
class Step:
    method: str
    path: str
    body: bytes | None
    headers: dict[str, str]
    statuses: set[int]  # allowed classes: 2, 3, 4
    boolean: bool | None = None
    format: str | None = None


@dataclass
class Case:
    name: str
    title: str
    steps: list[Step] = field(default_factory=list)


def _manifest(name: str) -> Graph:
    return Graph().parse(shared_path(*SUITE, name), format="turtle")


def _entries(name: str) -> tuple[Graph, list[URIRef]]:
    """A manifest and its entries, in order; none where the suite is absent (then skipped)."""
    try:
        g = _manifest(name)
    except pytest.skip.Exception:
        return Graph(), []
    return g, list(Collection(g, next(g.objects(None, MF.entries))))


def _cases() -> list[Case]:
    g, entries = _entries("protocol-manifest.ttl")
    return [_case(g, entry) for entry in entries]


def _case(g: Graph, entry: URIRef) -> Case:
    case = Case(str(entry).rsplit("#", 1)[-1], str(g.value(entry, MF.name)))
    action = g.value(entry, MF.action)
    for req in Collection(g, g.value(action, HT.requests)):
        headers = {}
        if g.value(req, HT.headers) is not None:
            for h in Collection(g, g.value(req, HT.headers)):
                headers[str(g.value(h, HT.fieldName))] = str(g.value(h, HT.fieldValue))
        body = g.value(req, HT.body)
        data = None
        if body is not None:
            encoding = str(g.value(body, CNT.characterEncoding) or "UTF-8")
            data = str(g.value(body, CNT.chars)).encode(encoding.lower())
        resp = g.value(req, HT.resp)
        statuses = {int(str(s)[-3]) for s in g.objects(resp, MF.expectedStatus)}
        boolean = g.value(resp, MF.expectedBoolean)
        fmt = g.value(resp, MF.expectedFormat)
        case.steps.append(Step(str(g.value(req, HT.methodName)), str(g.value(req, HT.absolutePath)),
                               data, headers, statuses,
                               None if boolean is None else boolean.toPython(),
                               None if fmt is None else str(fmt)))
    return case


CASES = _cases()


@pytest.fixture(scope="module", params=BACKENDS)
def endpoint(request):
    ds = Dataset(default_union=True)
    for name, file in DATA_GRAPHS.items():
        ds.graph(URIRef(name)).parse(shared_path(*SUITE, file), format="nt")
    with contextlib.ExitStack() as stack:
        if request.param in SERVERS:  # a real server holding the suite's data
            remote = stack.enter_context(SERVERS[request.param]())
            remote.load(ds)
            settings = load_settings(store="sparql", sparql_url=remote.query_url)
        else:
            settings = load_settings(store=request.param)
        store = stack.enter_context(open_store(settings, ds))
        yield stack.enter_context(serve(create_app(settings, store)))
    capture = request.config.pluginmanager.getplugin("capturemanager")
    with capture.global_and_fixture_disabled():
        print(f"\nW3C protocol suite on {request.param}: "
              + ", ".join(f"{k}: {v}" for k, v in sorted(outcomes.items())))
    outcomes.clear()


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_protocol(endpoint, case):
    if not CASES:
        pytest.skip("no manifest")
    is_update = "update" in case.name
    for step in case.steps:
        r = requests.request(step.method, endpoint + step.path, data=step.body,
                             headers=step.headers, allow_redirects=False)
        if case.name.startswith("update_"):
            # Read-only: the update is refused, so what follows it cannot be checked.
            assert r.status_code == 403 and "read-only" in r.json()["error"]
            outcomes["update refused (read-only)"] += 1
            return
        assert r.status_code // 100 in step.statuses, (r.status_code, r.text)
        if step.format:
            _check_format(r, step)
    outcomes["bad update refused" if is_update else "passed"] += 1


def _check_format(r: requests.Response, step: Step) -> None:
    mime = r.headers["Content-Type"].split(";")[0].strip()
    if step.format == "boolean":
        assert mime in {"application/sparql-results+json", "application/sparql-results+xml"}
        value = (r.json()["boolean"] if mime.endswith("json")
                 else "<boolean>true</boolean>" in r.text)
        assert isinstance(value, bool)
        if step.boolean is not None:
            assert value is step.boolean
    elif step.format == "tabular":
        assert mime in TABULAR
        if mime.endswith("json"):
            assert json.loads(r.text)["head"]["vars"]
        elif mime == "text/csv":
            assert next(csv.reader(io.StringIO(r.text)))
    else:
        assert mime in RDF_TYPES
        Graph().parse(data=r.content, format=RDF_TYPES[mime])


# ---- service description ---------------------------------------------------------------------

def _sd_entries() -> list[str]:
    _, entries = _entries("service-description-manifest.ttl")
    return [str(e).rsplit("#", 1)[-1] for e in entries]


SD_ENTRIES = _sd_entries()


@pytest.mark.parametrize("entry", SD_ENTRIES)
def test_service_description(endpoint, entry):
    url = endpoint + "/sparql"
    r = requests.get(url, headers={"Accept": "text/turtle, application/rdf+xml;q=0.9"})
    assert r.status_code == 200
    mime = r.headers["Content-Type"].split(";")[0]
    g = Graph().parse(data=r.content, format=RDF_TYPES[mime])  # returns-rdf
    if entry == "has-endpoint-triple":
        assert (None, SD.endpoint, URIRef(url)) in g
    elif entry == "conforms-to-schema":
        service = g.value(None, SD.endpoint, URIRef(url))
        assert (service, RDF.type, SD.Service) in g
        assert (service, SD.supportedLanguage, SD.SPARQL11Query) in g
        named = set(g.subjects(RDF.type, SD.NamedGraph))
        assert named and all(g.value(n, SD.name) is not None for n in named)
        assert set(g.objects(None, SD.namedGraph)) == named
        formats = set(g.objects(service, SD.resultFormat))
        assert formats and all(str(f).startswith("http://www.w3.org/ns/formats/")
                               for f in formats)
    outcomes["service description"] += 1
