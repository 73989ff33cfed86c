"""The reconciliation service over HTTP, checked against the W3C Entity Reconciliation CG's API 0.2
schemas and examples (../shared/reference/reconciliation-api-0.2), and an OpenRefine-like session
that reconciles a column of body spellings (tests/reconcile_bodies.csv)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
import requests
from jsonschema import Draft7Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT7

from tests.conftest import shared_path

BASE = "https://w3id.org/hld2006/"
SPELLINGS = Path(__file__).with_name("reconcile_bodies.csv")
ORGANIZATION = "http://www.w3.org/ns/org#Organization"


@pytest.fixture(scope="module")
def api():
    return shared_path("reference", "reconciliation-api-0.2")


@pytest.fixture(scope="module")
def schemas(api):
    """Validators of every schema of API 0.2, by file stem, resolving their references."""
    loaded = {p.stem: json.loads(p.read_text()) for p in (api / "schemas").glob("*.json")}
    registry = Registry().with_resources(
        (s["$id"], Resource.from_contents(s, default_specification=DRAFT7))
        for s in loaded.values())
    return {stem: Draft7Validator(s, registry=registry) for stem, s in loaded.items()}


def examples(api, name: str, kind: str) -> list[Path]:
    return sorted((api / "examples" / name / kind).glob("*.json"))


def post(live: str, **form: str) -> requests.Response:
    return requests.post(live + "/reconcile", data=form, timeout=30)


def reconcile(live: str, queries: dict) -> dict:
    r = post(live, queries=json.dumps(queries))
    assert r.status_code == 200, r.text
    return r.json()


def test_manifest_validates_and_names_every_service(live, schemas):
    r = requests.get(live + "/reconcile", timeout=30)
    assert r.status_code == 200 and r.headers["Access-Control-Allow-Origin"] == "*"
    m = r.json()
    schemas["manifest"].validate(m)
    assert m["versions"] == ["0.2"] and m["identifierSpace"] == BASE + "id/"
    assert {t["name"] for t in m["defaultTypes"]} == {"Event", "Organization", "Place",
                                                      "Concept"}
    for kind, schema in (("entity", "entities"), ("type", "types"), ("property", "properties")):
        service = m["suggest"][kind]
        answer = requests.get(service["service_url"] + service["service_path"],
                              params={"prefix": "Gen"}, timeout=30)
        assert answer.status_code == 200, answer.text
        schemas[f"suggest-{schema}-response"].validate(answer.json())
    preview = requests.get(m["preview"]["url"].replace("{{id}}", BASE + "id/org/iom"), timeout=30)
    assert preview.status_code == 200 and "International Organization for Migration" in \
        preview.text
    proposals = m["extend"]["propose_properties"]
    r = requests.get(proposals["service_url"] + proposals["service_path"],
                     params={"type": ORGANIZATION}, timeout=30)
    schemas["data-extension-property-proposal"].validate(r.json())
    assert {"wikidata", "parent", "bodyType"} <= {p["id"] for p in r.json()["properties"]}


def test_the_manifest_is_in_the_language_asked_for(live, schemas):
    """The manifest names its types (and itself) by the candidates' language rule: ?lang=,
    else Accept-Language, else English; so it says Vary: Accept-Language and its language,
    and stays valid against the 0.2 manifest schema either way."""
    english = {"Event", "Organization", "Place", "Concept"}
    french = {"Manifestation", "Organisation", "Lieu", "Concept"}
    asked = (({"lang": "fr"}, {}, french), ({}, {"Accept-Language": "fr"}, french),
             ({}, {}, english), ({"lang": "en"}, {"Accept-Language": "fr"}, english))
    for params, headers, names in asked:
        r = requests.get(live + "/reconcile", params=params, headers=headers, timeout=30)
        assert r.status_code == 200, r.text
        m = r.json()
        schemas["manifest"].validate(m)
        assert "accept-language" in r.headers.get("Vary", "").lower(), (params, headers)
        assert {t["name"] for t in m["defaultTypes"]} == names, (params, headers)
        if names == french:
            assert r.headers["Content-Language"] == "fr" and "DHN" in m["name"]
            assert m["documentation"].endswith("lang=fr") == ("lang" in params)
        else:
            assert r.headers["Content-Language"] == "en"
            assert m["name"] == "HLD 2006 knowledge graph"
    bad = requests.get(live + "/reconcile", params={"lang": "de"}, timeout=30)
    assert bad.status_code == 400 and "lang" in bad.json()["error"]


def test_the_specs_valid_queries_are_answered_and_invalid_ones_refused(live, api, schemas):
    valid, invalid = (examples(api, "reconciliation-query-batch", k) for k in ("valid", "invalid"))
    assert valid and invalid
    for path in valid:
        for r in (post(live, queries=path.read_text()),
                  requests.get(live + "/reconcile", params={"queries": path.read_text()},
                               timeout=30)):
            assert r.status_code == 200, (path.name, r.text)
            schemas["reconciliation-result-batch"].validate(r.json())
            assert set(r.json()) == set(json.loads(path.read_text()))
    for path in invalid:
        r = post(live, queries=path.read_text())
        assert r.status_code == 400, path.name
        key = next(iter(json.loads(path.read_text())))
        assert r.json()["error"].startswith(f'queries["{key}"]'), r.json()


@pytest.mark.parametrize("queries", [
    "", "not json", "[]", "null", '"IOM"', '{"q0": 5}', '{"q0": {"query": 5}}',
    '{"q0": {"query": "IOM", "limit": "ten"}}', '{"q0": {"query": "IOM", "type": 7}}',
    '{"q0": {"query": "IOM", "properties": [{"v": "x"}]}}',
    '{"q0": {"query": "IOM", "properties": {"pid": "country"}}}',
    '{"q0": {"query": "IOM", "type_strict": "some"}}', '{"q0": {"query": "IOM"}',
    json.dumps({f"q{n}": {"query": "IOM"} for n in range(51)}),
    '{"q0": {"query": "' + "x" * 501 + '"}}',
    # were 500s: int() of an infinite or NaN limit, the JSON reader's recursion limit
    '{"q0": {"query": "IOM", "limit": Infinity}}', '{"q0": {"query": "IOM", "limit": NaN}}',
    '{"q0": {"query": "IOM", "limit": 1e400}}', '{"q0": {"query": "IOM", "type": ' + "[" * 3000
    + "]" * 3000 + "}}",
    # a key given twice: the JSON reader kept the last query and dropped the first unsaid,
    # where a parameter given twice is a 400 (hldgraph.web.http.single)
    '{"q0": {"query": "IOM"}, "q0": {"query": "Geneva"}}',
    '{"q0": {"query": "IOM", "query": "Geneva"}}',
])
def test_malformed_queries_are_a_400_naming_the_parameter(live, queries):
    for r in (post(live, queries=queries),
              requests.get(live + "/reconcile", params={"queries": queries}, timeout=30)):
        assert r.status_code == 400, r.text
        assert "queries" in r.json()["error"]


@pytest.mark.parametrize("limit", ["0", "0.5", "-1", "2.5", "true", "null", '"5"'])
def test_a_limit_that_is_not_a_whole_number_of_1_or_more_is_a_400_naming_it(live, limit):
    """limit=0.5 gave no candidates and limit=0 the default 10: neither is a number of
    candidates, so each is refused, naming the query and its limit."""
    queries = '{"q0": {"query": "IOM"}, "q1": {"query": "IOM", "limit": ' + limit + "}}"
    r = post(live, queries=queries)
    assert r.status_code == 400, r.text
    assert r.json()["error"].startswith('queries["q1"]: limit'), r.json()


def test_a_limit_is_a_whole_number_of_candidates(live):
    for limit, most in ((1, 1), (3, 3), (3.0, 3), (1000, 50)):  # beyond 50, 50 at most
        result = reconcile(live, {"q0": {"query": "migration", "limit": limit}})
        assert len(result["q0"]["result"]) == most, limit
    assert len(reconcile(live, {"q0": {"query": "migration"}})["q0"]["result"]) == 10


def test_preflight_and_cors(live):
    r = requests.options(live + "/reconcile", headers={
        "Origin": "https://openrefine.example", "Access-Control-Request-Method": "POST"},
        timeout=30)
    assert r.status_code == 204 and "POST" in r.headers["Access-Control-Allow-Methods"]
    assert post(live, queries='{"q0": {"query": "IOM"}}').headers[
        "Access-Control-Allow-Origin"] == "*"


def _session(live: str, rows: list[dict[str, str]]) -> dict[str, dict]:
    """What OpenRefine does: the column's values in batches of 10, typed Organization."""
    results: dict[str, dict] = {}
    for start in range(0, len(rows), 10):
        batch = {f"q{n}": {"query": row["spelling"], "type": ORGANIZATION, "limit": 3}
                 for n, row in enumerate(rows[start:start + 10], start=start)}
        answer = reconcile(live, batch)
        results.update({batch[k]["query"]: v for k, v in answer.items()})
    return results


def test_an_openrefine_session_reconciles_the_body_spellings(live, schemas):
    with SPELLINGS.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == 40
    results = _session(live, rows)
    schemas["reconciliation-result-batch"].validate(
        {str(n): results[r["spelling"]] for n, r in enumerate(rows)})
    rates = {}
    for kind in ("leaflet", "variant"):
        group = [r for r in rows if r["kind"] == kind]
        right = [r for r in group if (found := results[r["spelling"]]["result"])
                 and found[0]["id"] == BASE + "id/org/" + r["expected"]]
        matched = [r for r in right if results[r["spelling"]]["result"][0]["match"]]
        rates[kind] = len(right) / len(group)
        print(f"{kind}: {len(right)}/{len(group)} correct top candidates ({rates[kind]:.0%}), "
              f"{len(matched)} matched; wrong: "
              + ", ".join(r["spelling"] for r in group if r not in right))
    ambiguous = [r["spelling"] for r in rows if r["kind"] == "ambiguous"]
    guessed = [s for s in ambiguous if any(c["match"] for c in results[s]["result"])]
    print(f"ambiguous: {len(ambiguous) - len(guessed)}/{len(ambiguous)} left unmatched")
    assert rates["leaflet"] == 1.0
    assert rates["variant"] >= 0.9
    assert not guessed
    for r in rows:  # every leaflet spelling is unambiguous: matched, not only ranked first
        if r["kind"] == "leaflet":
            assert results[r["spelling"]]["result"][0]["match"], r["spelling"]


def test_properties_sharpen_a_match(live):
    panel = "HLD General Assembly Panel"  # rows 32 (New York) and 36 (Geneva)
    answer = reconcile(live, {
        "plain": {"query": panel, "type": "Event"},
        "geneva": {"query": panel, "type": "Event",
                   "properties": [{"pid": "location", "v": "Genève"}]},
        "june": {"query": panel, "type": "Event", "properties": [{"pid": "date", "v": "2006-06"}]},
        "venue_iri": {"query": panel, "properties": [
            {"pid": "location", "v": {"id": BASE + "id/place/new-york"}}]},
        "csw": {"query": "Commission", "type": "Organization",
                "properties": [{"pid": "acronym", "v": "CSW"}]},
        "ec": {"query": "Commission", "type": "Organization",
               "properties": [{"pid": "bodyType", "v": "intergovernmental organisation"}]},
        "desa_parent": {"query": "Department of Economic and Social Affairs", "properties": [
            {"pid": "parent", "v": "United Nations Secretariat"}]},
        "salvador": {"query": "San Salvador", "type": "Place",
                     "properties": [{"pid": "country", "v": "SV"}]},
        "wikidata": {"properties": [{"pid": "wikidata", "v": "Q71"}]},
    })

    def top(key: str) -> tuple[str, bool]:
        first = answer[key]["result"][0]
        return first["id"].removeprefix(BASE + "id/"), first["match"]

    assert not any(c["match"] for c in answer["plain"]["result"])
    assert top("geneva") == ("event/36", True)
    assert top("june") == ("event/32", True)
    assert top("venue_iri") == ("event/32", True)
    assert top("csw") == ("org/commission-on-the-status-of-women", True)
    assert top("ec") == ("org/european-commission", True)
    assert top("desa_parent") == ("org/undesa", True)
    assert top("salvador") == ("place/san-salvador", True)
    assert top("wikidata") == ("place/geneva", True)
    features = {f["id"]: f["value"] for f in answer["geneva"]["result"][0]["features"]}
    assert features["location"] is True and features["name"] == 100


def test_unknown_types_find_nothing_and_unknown_properties_are_ignored(live):
    answer = reconcile(live, {"q0": {"query": "IOM", "type": "DifferentiatedPerson"},
                              "q1": {"query": "IOM", "properties": [{"pid": "shoeSize",
                                                                     "v": 42}]}})
    assert answer["q0"]["result"] == []
    assert answer["q1"]["result"][0]["id"] == BASE + "id/org/iom"


def test_data_extension(live, api, schemas):
    ids = [BASE + p for p in ("id/place/geneva", "id/event/7", "id/org/undesa", "id/nothing")]
    query = {"ids": ids, "properties": [{"id": p} for p in (
        "wikidata", "geonames", "country", "startDate", "endDate", "organizer", "location",
        "parent", "names")]}
    r = post(live, extend=json.dumps(query))
    assert r.status_code == 200, r.text
    schemas["data-extension-response"].validate(r.json())
    rows = r.json()["rows"]
    geneva, event, desa = (rows[i] for i in ids[:3])
    assert geneva["wikidata"] == [{"id": "Q71", "name": "Geneva"}]
    assert geneva["geonames"] == [{"str": "2660646"}] and geneva["country"] == [{"str": "CH"}]
    assert event["startDate"] == [{"date": "2006-03-15T00:00:00Z"}]
    assert event["country"] == [{"str": "BE"}]  # the country of its venue
    assert {v["name"] for v in event["organizer"]} >= {"International Organization for Migration",
                                                       "World Bank"}
    assert event["location"] == [{"id": BASE + "id/place/brussels", "name": "Brussels"}]
    assert desa["parent"][0]["id"] == BASE + "id/org/un-secretariat"
    assert {"UNDESA", "DESA", "DAES"} <= {v["str"] for v in desa["names"]}
    assert all(v == [] for v in rows[ids[3]].values())
    # the names of linked things are in the language asked for, so the answer says it varies
    french = requests.get(live + "/reconcile", params={"extend": json.dumps(query)},
                          headers={"Accept-Language": "fr"}, timeout=30)
    assert french.json()["rows"][ids[1]]["location"][0]["name"] == "Bruxelles"
    assert "accept-language" in french.headers.get("Vary", "").lower()
    for path in examples(api, "data-extension-query", "valid"):  # other services' ids: no values
        r = requests.get(live + "/reconcile", params={"extend": path.read_text()}, timeout=30)
        assert r.status_code == 200, r.text
        schemas["data-extension-response"].validate(r.json())
    for bad in ("", "[]", '{"ids": "x", "properties": []}', '{"ids": [], "properties": [1]}',
                '{"ids": [], "properties": ' + "[" * 3000 + "]" * 3000 + "}",
                '{"ids": [], "properties": [{"id": "location", "x": NaN}]}'):
        r = post(live, extend=bad)
        assert r.status_code == 400 and "extend" in r.json()["error"]


def test_suggest_services(live, schemas):
    def suggest(kind: str, **params: str) -> list[dict]:
        r = requests.get(f"{live}/reconcile/suggest/{kind}", params=params, timeout=30)
        assert r.status_code == 200, r.text
        return r.json()["result"]

    entities = suggest("entity", prefix="Organisation internationale pour")
    schemas["suggest-entities-response"].validate({"result": entities})
    assert entities[0]["id"] == BASE + "id/org/iom"
    assert suggest("entity", prefix="Genè", type="Place")[0]["id"] == BASE + "id/place/geneva"
    assert suggest("entity", prefix="gen", type="Place")[0]["id"] == BASE + "id/place/geneva"
    assert all(s["notable"][0]["name"] == "Event" for s in suggest("entity", prefix="Workshop",
                                                                  type="Event"))
    assert [t["name"] for t in suggest("type", prefix="Org")] == ["Organization"]
    assert "parent" in {p["id"] for p in suggest("property", prefix="pa", type=ORGANIZATION)}
    flyout = requests.get(f"{live}/reconcile/flyout", params={"id": BASE + "id/org/iom"},
                          timeout=30).json()
    assert flyout["id"] == BASE + "id/org/iom" and "Migration" in flyout["html"]
    for kind, params in (("entity", {}), ("entity", {"prefix": "x", "cursor": "-1"}),
                         ("entity", {"prefix": "x", "cursor": "²"}),  # were 500s
                         ("entity", {"prefix": "x", "cursor": "9" * 5000}),
                         ("entity", {"prefix": "x", "type": "Person"})):
        r = requests.get(f"{live}/reconcile/suggest/{kind}", params=params, timeout=30)
        assert r.status_code == 400 and r.json()["error"]
    for limit in ("x", "²", "9" * 5000):  # '²'.isdigit() and 5000 digits were 500s
        r = requests.get(f"{live}/reconcile/properties", params={"limit": limit}, timeout=30)
        assert r.status_code == 400 and "limit" in r.json()["error"]
    r = requests.get(f"{live}/reconcile/preview", params={"id": BASE + "id/nothing"},
                     timeout=30)
    assert r.status_code == 404


def test_candidates_are_named_in_the_language_asked_for(live):
    """Names and descriptions in the language of ?lang= or Accept-Language, as suggest,
    preview and flyout give them, by GET and POST alike; the answer says it varies on it."""
    queries = json.dumps({"q0": {"query": "Union africaine"}})
    for lang, name in (("fr", "Union africaine"), ("en", "African Union"), (None, "African Union")):
        headers = {"Accept-Language": lang} if lang else {}
        for r in (requests.post(live + "/reconcile", data={"queries": queries}, headers=headers,
                                timeout=30),
                  requests.get(live + "/reconcile", params={"queries": queries},
                               headers=headers, timeout=30)):
            assert r.status_code == 200, r.text
            assert r.json()["q0"]["result"][0]["name"] == name, (lang, r.json())
            assert "accept-language" in r.headers.get("Vary", "").lower()
    r = requests.post(live + "/reconcile?lang=fr", data={"queries": queries}, timeout=30)
    first = r.json()["q0"]["result"][0]
    assert first["name"] == "Union africaine" and first["description"] != "Intergovernmental " \
        "organisation"


def test_types_are_named_in_the_language_asked_for(live):
    """Types follow the candidates' language rule (?lang=, else Accept-Language, else
    English), in candidates, suggestions and previews; a type may be named in either
    language; the preview marks an English name on its French card (WCAG 2.1 SC 3.1.2)."""
    queries = json.dumps({"q0": {"query": "Union africaine", "type": "Organisation"}})
    for params, headers in (({"lang": "fr"}, {}), ({}, {"Accept-Language": "fr"})):
        r = requests.post(live + "/reconcile", params=params, data={"queries": queries},
                          headers=headers, timeout=30)
        first = r.json()["q0"]["result"][0]
        assert first["id"] == BASE + "id/org/african-union" and first["type"] == [
            {"id": ORGANIZATION, "name": "Organisation"}], first
    english = requests.post(live + "/reconcile", data={"queries": queries}, timeout=30)
    assert english.json()["q0"]["result"][0]["type"][0]["name"] == "Organization"

    def suggest(kind: str, **params: str) -> list[dict]:
        r = requests.get(f"{live}/reconcile/suggest/{kind}", params=params, timeout=30)
        assert r.status_code == 200, r.text
        return r.json()["result"]

    found = suggest("type", prefix="Lie", lang="fr")
    assert [(t["name"], t["description"][:8]) for t in found] == [("Lieu", "Un lieu ")], found
    assert suggest("type", prefix="Org", lang="fr")[0]["name"] == "Organisation"
    notable = suggest("entity", prefix="Genève", type="Lieu", lang="fr")[0]["notable"]
    assert notable == [{"id": "http://schema.org/Place", "name": "Lieu"}]
    preview = requests.get(f"{live}/reconcile/preview", timeout=30, params={
        "id": BASE + "id/document/calendar", "lang": "fr"}).text
    assert 'lang="en">Draft calendar of events' in preview


def test_queries_and_extend_together_are_refused(live):
    r = requests.post(f"{live}/reconcile", data={"queries": '{"q0": {"query": "IOM"}}',
                                                 "extend": '{"ids": [], "properties": []}'},
                      timeout=30)
    assert r.status_code == 400 and "not both" in r.json()["error"]


def test_extend_with_a_member_given_twice_is_a_400_naming_it(live):
    extend = ('{"ids": ["https://w3id.org/hld2006/id/event/7"], "ids": [], '
              '"properties": [{"id": "location"}]}')
    r = requests.post(f"{live}/reconcile", data={"extend": extend}, timeout=30)
    assert r.status_code == 400 and "extend" in r.json()["error"] and "ids" in r.json()["error"]


@pytest.mark.parametrize(("path", "params"), [
    ("/reconcile", {"queries": json.dumps({"q0": {"query": "Geneva"}})}),
    ("/reconcile", {"extend": json.dumps({"ids": [BASE + "id/event/7"],
                                          "properties": [{"id": "location"}]})}),
    ("/reconcile/suggest/entity", {"prefix": "Gen"}),
    ("/reconcile/suggest/type", {"prefix": "l"}),
    ("/reconcile/flyout", {"id": BASE + "id/event/7"}),
])
def test_each_language_of_an_answer_has_its_own_entity_tag(live, path, params):
    """An answer whose names Accept-Language chose says its language (Content-Language), so
    that the English and the French answers, which differ, do not share one strong ETag (RFC
    9110 §8.8.3): a client holding the English one, revalidating with If-None-Match while
    asking for French, got a 304 and kept the English answer."""
    english, french = (requests.get(live + path, params=params, timeout=30,
                                    headers={"Accept-Language": lang}) for lang in ("en", "fr"))
    assert english.status_code == french.status_code == 200, (english.text, french.text)
    assert english.content != french.content
    assert (english.headers.get("Content-Language"), french.headers.get("Content-Language")) \
        == ("en", "fr")
    assert english.headers["ETag"] != french.headers["ETag"]
    again = requests.get(live + path, params=params, timeout=30, headers={
        "Accept-Language": "fr", "If-None-Match": english.headers["ETag"]})
    assert again.status_code == 200 and again.content == french.content
