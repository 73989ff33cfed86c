"""JSON that reads like JSON: framed JSON-LD documents and lists over HTTP, JSON-LD 1.1 profile
negotiation, the published context, frames, JSON Schemas and OpenAPI description, and the JSON-LD
downloads. Every framed output validates against its published schema and, read back as RDF by
pyld, states nothing that the graph does not."""

from __future__ import annotations

import json

import pytest
import requests
from conftest import select
from jsonschema import Draft202012Validator, FormatChecker
from openapi_spec_validator import validate as validate_openapi
from pyld import jsonld
from rdflib import Dataset, Graph, Literal, URIRef

from hldgraph.dist import read_manifest

BASE = "https://w3id.org/hld2006/"
PROFILES = ("expanded", "compacted", "flattened", "framed")
LD = 'application/ld+json;profile="http://www.w3.org/ns/json-ld#{}"'
#: A thing of each kind, and the kind of its frame.
THINGS = {"event/7": "event", "event/50": "event", "org/iom": "body", "org/undesa": "body",
          "place/geneva": "place", "theme/migration-and-development": "concept",
          "theme/migration-and-development/1": "concept", "event-category/un": "concept",
          "initiative/3": "thing", "resolution/a-res-60-227/para/15": "thing",
          "document/leaflet": "thing", "themes": "thing"}
LISTS = {"/calendar.json": "calendar", "/calendar.json?month=5&city=geneva": "calendar",
         "/calendar.json?body=iom": "calendar", "/bodies.json": "bodies",
         "/places.json": "places"}


@pytest.fixture(scope="module")
def schemas(live) -> dict[str, Draft202012Validator]:
    """The published schemas, checked as schemas, each a validator that asserts formats."""
    rv = {}
    for name in ("event", "body", "place", "concept", "thing", "calendar", "bodies", "places"):
        r = requests.get(f"{live}/schemas/{name}.json", timeout=30)
        assert r.status_code == 200 and r.headers["Content-Type"] == "application/schema+json"
        schema = r.json()
        Draft202012Validator.check_schema(schema)
        assert schema["$id"] == f"{BASE}schemas/{name}.json"
        rv[name] = Draft202012Validator(schema, format_checker=FormatChecker())
    return rv


def _get(live: str, path: str, accept: str = "application/json") -> requests.Response:
    r = requests.get(live + path, headers={"Accept": accept}, timeout=60)
    assert r.status_code == 200, (path, r.text[:300])
    return r


def _triples(doc: object) -> set[tuple]:
    """The triples a JSON-LD document states (read by pyld), literals by value."""
    nquads = jsonld.to_rdf(doc, {"format": "application/n-quads"})
    g = Graph().parse(data=nquads, format="nt")
    return {_value(t) for t in g}


def _value(t: tuple) -> tuple:
    s, p, o = t
    return (s, p, (o.datatype, o.language, o.toPython()) if isinstance(o, Literal) else o)


def _assert_in_graph(doc: object, union: Graph, where: str) -> int:
    stated = _triples(doc)
    invented = stated - {_value(t) for t in union}
    assert not invented, (where, sorted(invented)[:5])
    return len(stated)


# --- the developer's first request ------------------------------------------------------------

def test_a_developer_reads_an_event_as_plain_json(live):
    r = requests.get(f"{live}/id/event/7", headers={"Accept": "application/json"}, timeout=30)
    assert r.status_code == 200 and r.history[0].status_code == 303
    assert r.headers["Content-Type"] == "application/json; charset=utf-8"
    event = r.json()
    facts = select(live, f"""PREFIX schema: <http://schema.org/>
        PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        SELECT ?start ?place ?org WHERE {{ <{BASE}id/event/7> schema:startDate ?start ;
          schema:location/schema:name ?place ; schema:organizer/skos:prefLabel ?org
          FILTER(LANG(?place) = "en" && LANG(?org) = "en") }}""")
    assert event["startDate"] == facts[0]["start"] == "2006-03-15"
    assert event["location"]["name"]["en"] == facts[0]["place"] == "Brussels"
    assert event["location"]["addressCountry"] == "BE" and event["location"]["latitude"]
    names = sorted(o["prefLabel"]["en"] for o in event["organizer"])
    assert names == sorted({row["org"] for row in facts})
    assert "International Organization for Migration" in names
    assert any("IOM" in o.get("altLabel", []) for o in event["organizer"])
    assert event["about"][0]["prefLabel"]["fr"] == "Migration et développement"
    assert event["id"] == f"{BASE}id/event/7" and "Event" in event["type"]


def test_the_readmes_example_runs_with_the_standard_library_alone(live):
    """The README's Python example, run as a developer runs it, by a Python without any
    installed package (-S: no site-packages; `./scripts/install` installs no HTTP client)."""
    import re
    import subprocess
    import sys
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("### JSON for developers"):]
    code = re.search(r"```python\n(.*?)```", section, re.S).group(1)
    assert "127.0.0.1:8080" in code
    rv = subprocess.run([sys.executable, "-S", "-I", "-c", code.replace("127.0.0.1:8080",
                                                                        live.split("//")[1])],
                        capture_output=True, text=True, timeout=60)
    assert rv.returncode == 0, rv.stderr
    # what each print() gives is written in the comment after it (or on the next line)
    printed = [line.partition("# ")[2] for line in code.splitlines()
               if "# " in line and "303" not in line]
    assert rv.stdout.splitlines() == printed, rv.stdout


# --- JSON-LD 1.1 profiles ----------------------------------------------------------------------

def test_each_profile_gets_its_form_and_its_own_etag(live):
    forms, tags = {}, set()
    for name in PROFILES:
        r = _get(live, "/doc/event/7.jsonld", LD.format(name))
        assert r.headers["Content-Type"] == (
            f'application/ld+json; charset=utf-8; profile="http://www.w3.org/ns/json-ld#{name}"')
        assert "Accept" in r.headers["Vary"]
        tags.add(r.headers["ETag"])
        forms[name] = r.json()
    plain = _get(live, "/doc/event/7.jsonld", "application/json")
    default = _get(live, "/doc/event/7.jsonld", "application/ld+json")
    tags |= {plain.headers["ETag"]}
    assert len(tags) == 5  # one per representation (RFC 9110 §8.8.3)
    assert plain.json() == default.json() == forms["framed"]
    assert default.headers["Content-Type"].endswith('profile="http://www.w3.org/ns/json-ld#framed"')
    assert isinstance(forms["expanded"], list) and "@context" not in json.dumps(forms["expanded"])
    assert "graph" in forms["flattened"] and forms["framed"]["id"] == f"{BASE}id/event/7"
    # the expanded, compacted and flattened forms state the same triples
    assert _triples(forms["expanded"]) == _triples(forms["compacted"]) == _triples(
        forms["flattened"])
    doc = URIRef(f"{BASE}doc/event/7.jsonld")
    assert any(s == doc for s, _, _ in _triples(forms["compacted"]))  # the document's topic


def test_a_conditional_request_revalidates_each_form(live):
    r = _get(live, "/doc/event/7.jsonld", LD.format("flattened"))
    again = requests.get(live + "/doc/event/7.jsonld", timeout=30, headers={
        "Accept": LD.format("flattened"), "If-None-Match": r.headers["ETag"]})
    assert again.status_code == 304
    other = requests.get(live + "/doc/event/7.jsonld", timeout=30, headers={
        "Accept": LD.format("expanded"), "If-None-Match": r.headers["ETag"]})
    assert other.status_code == 200


# --- framed documents: schema and subset of the graph -----------------------------------------

@pytest.mark.parametrize("path", sorted(THINGS))
def test_framed_document_validates_and_invents_nothing(live, schemas, union, path):
    doc = _get(live, f"/doc/{path}.jsonld").json()
    errors = [e.message for e in schemas[THINGS[path]].iter_errors(doc)]
    assert not errors, errors[:3]
    assert doc["id"] == f"{BASE}id/{path}"
    assert _assert_in_graph(doc, union, path) > 3


@pytest.mark.parametrize("path", sorted(LISTS))
def test_framed_lists_validate_and_invent_nothing(live, schemas, union, path):
    doc = _get(live, path).json()
    errors = [e.message for e in schemas[LISTS[path]].iter_errors(doc)]
    assert not errors, errors[:3]
    assert doc["graph"]
    _assert_in_graph(doc, union, path)


def test_every_event_document_validates(live, schemas):
    for event in _get(live, "/calendar.json").json()["graph"]:
        path = event["id"].removeprefix(BASE + "id/")
        doc = _get(live, f"/doc/{path}.jsonld").json()
        assert not list(schemas["event"].iter_errors(doc)), path


def test_the_schemas_reject_a_broken_event(live, schemas):
    """Validation is not vacuous: an event without its start, or with a bare place, fails."""
    doc = _get(live, "/doc/event/7.jsonld").json()
    assert schemas["event"].is_valid(doc)
    assert not schemas["event"].is_valid({k: v for k, v in doc.items() if k != "startDate"})
    assert not schemas["event"].is_valid({**doc, "location": {"id": doc["location"]["id"]}})
    assert not schemas["event"].is_valid({**doc, "startDate": "15 March 2006"})


def test_the_calendar_json_follows_the_page(live):
    events = _get(live, "/calendar.json?month=5&city=geneva").json()["graph"]
    rows = select(live, f"""PREFIX schema: <http://schema.org/>
        SELECT ?e WHERE {{ ?e a schema:Event ; schema:location <{BASE}id/place/geneva> ;
          schema:startDate ?s ; schema:endDate ?end
          FILTER(?s <= "2006-05-31"^^<http://www.w3.org/2001/XMLSchema#date>
                 && ?end >= "2006-05-01"^^<http://www.w3.org/2001/XMLSchema#date>) }}""")
    assert {e["id"] for e in events} == {row["e"] for row in rows} and events
    starts = [e["startDate"] for e in events]
    assert starts == sorted(starts)
    page = requests.get(f"{live}/calendar?month=5&city=geneva", timeout=30)
    assert '<link rel="alternate" type="application/json"' in page.text
    assert "calendar.json?month=5&amp;city=geneva" in page.text


@pytest.mark.parametrize("path", ["/calendar.json?month=13", "/calendar.json?body=nobody",
                                  "/calendar.json?month=%C2%B2",  # '²'.isdigit(): was a 500
                                  "/frames/nothing.jsonld", "/schemas/nothing.json"])
def test_bad_parameters_are_named(live, path):
    r = requests.get(live + path, headers={"Accept": "application/json"}, timeout=30)
    assert r.status_code in {400, 404} and r.json()["ok"] is False, r.text
    assert r.json()["error"]


def _calendar_parameters(live: str) -> dict[str, dict]:
    doc = _get(live, "/openapi.json", "*/*").json()
    return {p["name"]: p for p in doc["paths"]["/calendar.json"]["get"]["parameters"]}


@pytest.mark.parametrize("name, value", [
    ("month", "5"), ("month", "05"), ("month", ""), ("month", "005"), ("month", "13"),
    ("month", "1"), ("month", " 5"), ("month", "%C2%B2"), ("month", "five"),
    ("colour", "theme"), ("colour", "category"), ("colour", "rainbow"), ("colour", ""),
    ("city", "geneva"), ("city", "")])
def test_the_calendar_takes_what_its_description_says(live, name, value):
    """A value of a calendar filter is answered 200 exactly when the published description's
    schema of that parameter admits it (month=05 was taken, its pattern said ^[2-9]$; colour
    was taken and not described)."""
    from urllib.parse import unquote

    from jsonschema.validators import validator_for

    params = _calendar_parameters(live)
    assert name in params, f"{name} is not described"
    schema = params[name]["schema"]
    admitted = validator_for(schema)(schema).is_valid(unquote(value))
    r = requests.get(f"{live}/calendar.json?{name}={value}",
                     headers={"Accept": "application/json"}, timeout=30)
    known = name != "city" or value in {"", "geneva"}
    assert (r.status_code == 200) == (admitted and known), (name, value, r.status_code, schema)
    if r.status_code == 400:
        assert name in r.json()["error"]


def test_month_with_a_leading_zero_is_the_month(live):
    assert (_get(live, "/calendar.json?month=05").json()
            == _get(live, "/calendar.json?month=5").json())


@pytest.mark.parametrize("query", ["city=geneva&city=rabat", "month=5&month=6",
                                   "body=iom&body=iom", "theme=a&theme=b",
                                   "colour=theme&colour=category"])
def test_a_filter_given_twice_is_a_400_naming_it(live, query):
    """One value of each filter: a second was silently dropped (city=Geneva&city=Rabat gave
    Geneva's events), on the page, its charts and its JSON alike."""
    name = query.split("=")[0]
    for path in ("/calendar.json", "/calendar", "/calendar/timeline.svg"):
        r = requests.get(f"{live}{path}?{query}", headers={"Accept": "application/json"},
                         timeout=30)
        assert r.status_code == 400 and name in r.json()["error"], (path, r.text[:200])
        assert "once" in r.json()["error"]


# --- what describes the JSON ------------------------------------------------------------------

def test_context_and_frames_are_published_and_make_the_documents(live, dist):
    r = _get(live, "/context.jsonld", "*/*")
    assert r.json() == json.loads((dist / "context.jsonld").read_text(encoding="utf-8"))
    assert {"name", "startDate", "location", "organizer"} <= set(r.json()["@context"])
    frame = _get(live, "/frames/event.jsonld", "*/*").json()
    assert frame["@context"] == BASE + "context.jsonld" and frame["@type"] == "Event"
    # the published frame, with the published context, makes the served document again
    frame["@context"] = r.json()["@context"]
    frame["@id"] = f"{BASE}id/event/7"
    served = _get(live, "/doc/event/7.jsonld").json()
    again = jsonld.frame(jsonld.expand(served), frame, {"omitGraph": True})
    assert {k: v for k, v in again.items() if k != "@context"} == {
        k: v for k, v in served.items() if k != "@context"}


def test_openapi_describes_the_json_routes(live, schemas):
    doc = _get(live, "/openapi.json", "*/*").json()
    validate_openapi(doc)
    assert doc["openapi"].startswith("3.1")
    for path in ("/calendar.json", "/bodies.json", "/places.json", "/context.jsonld"):
        assert path in doc["paths"]
        _get(live, path)
    # its schemas are the published ones
    assert (doc["components"]["schemas"]["eventShape"]["required"]
            == schemas["event"].schema["$defs"]["eventShape"]["required"])


def test_openapi_admits_every_thing_the_server_answers_for(live):
    """The description of /doc/{kind}/{id}.jsonld listed nine kinds; the server answers for
    every thing it holds (agent, contact, dataset, graph, service, statement, work too), so a
    client that checks its requests against the description refused documents that exist.
    Every thing of the sitemap: its kind and id match the parameters' schemas, and its
    document the 200 response's."""
    import re
    from urllib.parse import quote

    from jsonschema.validators import validator_for
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT202012

    doc = _get(live, "/openapi.json", "*/*").json()
    registry = Registry().with_resource("urn:api", Resource(doc, DRAFT202012))
    operation = doc["paths"]["/doc/{kind}/{id}.jsonld"]["get"]
    params = {p["name"]: p["schema"] for p in operation["parameters"]}
    answer = operation["responses"]["200"]["content"]["application/json"]["schema"]
    answer = json.loads(json.dumps(answer).replace('"#/', '"urn:api#/'))

    def check(schema: dict, value: object, where: str) -> None:
        errors = [e.message for e in validator_for(schema)(schema, registry=registry)
                  .iter_errors(value)]
        assert not errors, (where, errors[:3])

    sitemap = requests.get(f"{live}/sitemap.xml", timeout=30).text
    pages = {re.sub(r"^https?://[^/]+/doc/", "", loc).removesuffix(".html")
             for loc in re.findall(r"<loc>([^<]+\.html)</loc>", sitemap)}
    # a named graph's documents (doc/graph/source) are the graph itself, not a thing's
    things = sorted(p for p in pages if "/" in p and not p.startswith("graph/"))
    assert len(things) > 300 and {t.split("/")[0] for t in things} >= {"agent", "work"}
    with pytest.raises(AssertionError):
        check(params["kind"], "graph", "graph")
    for thing in things:
        kind, id_ = thing.split("/", 1)
        check(params["kind"], kind, thing)
        check(params["id"], id_, thing)
        check(answer, _get(live, f"/doc/{kind}/{quote(id_, safe='')}.jsonld").json(), thing)


IOM = BASE + "id/org/iom"
#: (method, path, query or form, Accept) of each route beside the framed ones.
SERVICES = [
    ("get", "/search.json", {"q": "IOM"}, "application/json"),
    ("get", "/search.json", {"q": "Gen", "type": ["place", "event"], "limit": "3",
                             "typing": "1", "lang": "fr"}, "application/json"),
    ("get", "/reconcile", {}, "application/json"),
    ("get", "/reconcile", {"queries": json.dumps({"q0": {"query": "IOM"}})}, "*/*"),
    ("post", "/reconcile", {"queries": json.dumps({"q0": {"query": "Geneva",
                                                          "type": "place"}})}, "*/*"),
    ("post", "/reconcile", {"extend": json.dumps({"ids": [IOM, BASE + "id/event/7"],
                                                  "properties": [
        {"id": p} for p in ("wikidata", "names", "startDate", "location", "country")]})}, "*/*"),
    ("get", "/reconcile/suggest/entity", {"prefix": "Gen", "cursor": "1", "lang": "fr"}, "*/*"),
    ("get", "/reconcile/suggest/type", {"prefix": "ev"}, "*/*"),
    ("get", "/reconcile/suggest/property", {"prefix": "co", "type": ["place"]}, "*/*"),
    ("get", "/reconcile/properties", {"type": "http://schema.org/Event"}, "*/*"),
    ("get", "/reconcile/preview", {"id": IOM}, "*/*"),
    ("get", "/reconcile/flyout", {"id": IOM}, "*/*"),
    ("get", "/-/health", {}, "application/json"),
    ("get", "/catalog", {}, "application/ld+json"),
    ("get", "/catalog", {"format": "ttl"}, "*/*"),
]


@pytest.fixture(scope="module")
def described(live):
    """The served description, and a check of a value against one of its schemas (their
    references resolved in the description itself)."""
    from jsonschema.validators import validator_for
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT202012

    doc = _get(live, "/openapi.json", "*/*").json()
    validate_openapi(doc)
    registry = Registry().with_resource("urn:api", Resource(doc, DRAFT202012))

    def check(schema: dict, value: object, where: str) -> None:
        schema = json.loads(json.dumps(schema).replace('"#/', '"urn:api#/'))
        errors = [e.message for e in validator_for(schema)(
            schema, registry=registry, format_checker=FormatChecker()).iter_errors(value)]
        assert not errors, (where, errors[:3])

    return doc, check


@pytest.mark.parametrize("method, path, params, accept", SERVICES,
                         ids=[f"{m} {p} {sorted(q)}" for m, p, q, _ in SERVICES])
def test_openapi_describes_search_reconciliation_health_and_catalogue(live, described, method,
                                                                       path, params, accept):
    """Search, the reconciliation service, /-/health and the catalogue record were not in
    /openapi.json: each request's parameters match the parameters described, and its answer
    the response described for its status and media type."""
    doc, check = described
    operation = doc["paths"][path][method]
    if method == "get":
        given = {p["name"]: p for p in operation["parameters"]}
        for name, value in params.items():
            assert name in given, (path, name)
            check(given[name]["schema"], value, f"{path} {name}")
        r = requests.get(live + path, params=params, headers={"Accept": accept}, timeout=60)
    else:
        form = operation["requestBody"]["content"]["application/x-www-form-urlencoded"]
        check(form["schema"], params, path)
        r = requests.post(live + path, data=params, headers={"Accept": accept}, timeout=60)
    assert str(r.status_code) in operation["responses"], (path, r.status_code, r.text[:200])
    content = operation["responses"][str(r.status_code)]["content"]
    media = r.headers["Content-Type"].split(";")[0]
    assert media in content, (path, media, list(content))
    body = r.json() if "json" in media else r.text
    check(content[media]["schema"], body, f"{method} {path}")


def test_openapi_refuses_answers_that_break_the_shapes(described):
    """The described shapes are not empty: an answer with a member missing does not pass."""
    doc, check = described
    for path, broken in (("/search.json", {"query": "x", "results": []}),
                         ("/-/health", {"ok": True}),
                         ("/reconcile/flyout", {"id": IOM}),
                         ("/reconcile/suggest/entity", {"result": [{"id": IOM}]}),
                         ("/reconcile", {"q0": {"result": [{"id": IOM, "name": "IOM"}]}})):
        schema = doc["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]
        with pytest.raises(AssertionError):
            check(schema["schema"], broken, path)


def test_the_described_reconciliation_shapes_admit_the_specs_examples(described):
    """Each valid example of API 0.2 (../shared) passes the shape that describes it here."""
    from tests.conftest import shared_path

    check = described[1]
    examples = shared_path("reference", "reconciliation-api-0.2", "examples")
    shapes = {"manifest": "manifest", "reconciliation-result-batch": "resultBatch",
              "data-extension-response": "extensionResponse",
              "suggest-entities-response": "suggestEntities",
              "suggest-types-response": "suggestTypes",
              "suggest-properties-response": "suggestProperties",
              "data-extension-property-proposal": "propertyProposal"}
    for folder, shape in shapes.items():
        found = sorted((examples / folder / "valid").glob("*.json"))
        assert found, folder
        for path in found:
            check({"$ref": f"#/components/schemas/{shape}"},
                  json.loads(path.read_text(encoding="utf-8")), str(path))


# --- downloads --------------------------------------------------------------------------------

def test_union_jsonld_is_read_whole_by_rdflib(dist):
    g = Graph().parse(dist / "hld2006-union.jsonld", format="json-ld")
    assert len(g) == read_manifest(dist)["triples"]
    named = Dataset()
    named.parse(dist / "hld2006-union.jsonld", format="json-ld")
    assert {g.identifier for g in named.graphs() if len(g)} <= {
        URIRef("urn:x-rdflib:default")}  # no named graphs


def test_framed_calendar_download_lists_every_event_whole(dist, schemas, union, built):
    doc = json.loads((dist / "hld2006-events.jsonld").read_text(encoding="utf-8"))
    assert not list(schemas["calendar"].iter_errors(doc))
    ids = [e["id"] for e in doc["graph"]]
    csv_ids = [line.rsplit(",", 1)[-1] for line in
               (dist / "hld2006-calendar.csv").read_text(encoding="utf-8").splitlines()[1:]]
    assert ids == csv_ids  # the calendar's order
    _assert_in_graph(doc, union, "hld2006-events.jsonld")
    stated = _triples(doc)
    for iri in ids:  # each event whole: every statement of the graph about it
        own = {_value(t) for t in union.triples((URIRef(iri), None, None))}
        assert own <= stated, iri


def test_jsonld_downloads_are_distributions(live, dist):
    r = requests.get(f"{live}/catalog", headers={"Accept": "text/turtle"}, timeout=30)
    record = Graph().parse(data=r.text, format="turtle")
    wanted = {"hld2006-events.jsonld": "https://www.w3.org/TR/json-ld11-framing/",
              "hld2006-union.jsonld": "https://www.w3.org/TR/json-ld11/"}
    for name, standard in wanted.items():
        dist_iri = next(record.subjects(URIRef("http://www.w3.org/ns/dcat#downloadURL"),
                                        URIRef(f"{BASE}download/{name}")))
        assert (dist_iri, URIRef("http://purl.org/dc/terms/conformsTo"),
                URIRef(standard)) in record
        assert _get(live, f"/download/{name}", "*/*").content == (dist / name).read_bytes()


def test_the_context_is_read_through_the_one_cache_and_each_caller_gets_its_own(settings, dist):
    """jsonld.context() is the served build's context.jsonld, kept in the application's one
    cache under the data's digest, as the documents made from it are (it kept a memo of its
    own, keyed by the file's path and time, that handed every caller the same dict)."""
    from hldgraph.store import open_store
    from hldgraph.web import create_app
    from hldgraph.web import jsonld as served_jsonld

    served = settings.with_(dist_dir=dist)
    with open_store(served, dist / "hld2006.nq") as store:
        app = create_app(served, store)
        with app.test_request_context("/"):
            first = served_jsonld.context()
            assert first == json.loads((dist / "context.jsonld").read_text(encoding="utf-8"))
            first["@context"]["@base"] = "http://example.org/"  # a caller's own edit
            assert "@base" not in served_jsonld.context()["@context"]
