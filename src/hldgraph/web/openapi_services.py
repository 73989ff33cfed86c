"""The OpenAPI description of the JSON routes beside the framed ones: search, the
reconciliation service, the health check and the catalogue record (see :mod:`.openapi`).

The reconciliation service's answers are described here in the shapes of the Reconciliation
Service API 0.2 (its published JSON Schemas declare the dialect "http://json-schema.org/schema#",
which OpenAPI 3.1 tools refuse, so the description does not reference them); the others'
shapes from the constants the views read (limits, kinds, sizes).
"""

from __future__ import annotations

from typing import Any

from hldgraph.web.i18n import LANGS
from hldgraph.web.links import CATALOG, DATA_FORMATS, RECONCILE, SEARCH_JSON
from hldgraph.web.reconcile import DEFAULT_LIMIT, MAX_BATCH, MAX_LIMIT
from hldgraph.web.search import MAX_RESULTS, TYPE_NAMES
from hldgraph.web.suggest import MAX_SUGGEST

#: The Reconciliation Service API 0.2.
SPEC = "https://www.w3.org/community/reports/reconciliation/CG-FINAL-specs-0.2-20230410/"


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _query(name: str, description: str, schema: dict[str, Any],
           required: bool = False) -> dict[str, Any]:
    return {"name": name, "in": "query", "required": required, "description": description,
            "schema": schema}


_TEXT = {"type": "string"}
_LANG = _query("lang", "The language of names and descriptions (else Accept-Language).",
               {"type": "string", "enum": list(LANGS)})
_TYPES = _query("type", "Keep to things of these kinds (repeat the parameter for several).",
                {"type": "array", "items": _TEXT})
_ERROR = {"description": "A parameter is missing or bad; the body names it.",
          "content": {"application/json": {"schema": _ref("error")}}}


def _ok(schema: dict[str, Any], description: str,
        media: str = "application/json") -> dict[str, Any]:
    return {"description": description, "content": {media: {"schema": schema}}}


def _get(operation: str, summary: str, params: list[dict[str, Any]],
         answer: dict[str, Any], **more: Any) -> dict[str, Any]:
    return {"get": {"summary": summary, "operationId": operation, "parameters": params,
                    "responses": {"200": answer, "400": _ERROR, **more}}}


def _search() -> dict[str, Any]:
    kinds = ", ".join(TYPE_NAMES)
    params = [
        _query("q", "What is looked for: a name, an acronym, a spelling (typos forgiven).",
               {"type": "string", "maxLength": 200}),
        {**_TYPES, "description": f"Keep to these kinds ({kinds}) or classes (their IRIs); "
                                  "repeat the parameter for several."},
        _query("limit", f"Results, at most (1 to {MAX_RESULTS}).",
               {"type": "string", "pattern": "^[0-9]+$", "default": "20"}),
        _query("typing", "1 or true: the last word is being typed (matched as a prefix).",
               _TEXT),
        _LANG,
    ]
    return _get("search", "Things of the graph by name, best first.", params,
                _ok(_ref("searchResults"), "The results, best first."))


def _reconcile() -> dict[str, Any]:
    queries = _query("queries", f"A batch of reconciliation queries (JSON, at most {MAX_BATCH}"
                                " queries): API 0.2 §4. A query's limit is a whole number of "
                                f"candidates, 1 or more (default {DEFAULT_LIMIT}; "
                                f"{MAX_LIMIT} at most are given).", _TEXT)
    extend = _query("extend", "A data extension query (JSON): API 0.2 §7.", _TEXT)
    answers = {"anyOf": [_ref("resultBatch"),
                         _ref("extensionResponse")]}
    get = _get("reconcile", "Without parameters, the service manifest (API 0.2 §3); with "
                            "queries or extend (one of them), their answer.",
               [queries, extend],
               _ok({"anyOf": [_ref("manifest"), *answers["anyOf"]]},
                   "The manifest, or the answer to the queries or to the extension query."))
    get["get"]["externalDocs"] = {"url": SPEC}
    form = {"type": "object", "properties": {"queries": _TEXT, "extend": _TEXT}}
    post = {"summary": "The answer to queries or extend sent as a form.",
            "operationId": "reconcilePost",
            "requestBody": {"required": True, "content": {
                "application/x-www-form-urlencoded": {"schema": form}}},
            "responses": {"200": _ok(answers, "The answer to the queries or to the "
                                              "extension query."), "400": _ERROR}}
    return {**get, "post": post}


def _suggest(kind: str, schema: str) -> dict[str, Any]:
    params = [_query("prefix", "What has been typed.", {"type": "string", "maxLength": 200},
                     required=True)]
    if kind != "type":
        params.append(_TYPES)
    if kind == "entity":
        params += [_query("cursor", f"Suggestions to skip ({MAX_SUGGEST} at most a time).",
                          {"type": "string", "pattern": "^[0-9]+$", "default": "0"}), _LANG]
    return _get(f"suggest_{kind}", f"Suggested {kind} names as a name is typed "
                                   "(API 0.2 §6).", params,
                _ok(_ref(schema), "The suggestions."))


def _by_id(operation: str, summary: str, answer: dict[str, Any]) -> dict[str, Any]:
    params = [_query("id", "The IRI of a thing of the graph.", {"type": "string"},
                     required=True), _LANG]
    return _get(operation, summary, params, answer,
                **{"404": {**_ERROR, "description": "No thing of the graph has this IRI."}})


def _health() -> dict[str, Any]:
    answer = _ref("health")
    return {"get": {"summary": "Whether the server answers from its store and which build it "
                               "serves.", "operationId": "health", "parameters": [],
                    "responses": {"200": _ok(answer, "The store answers."),
                                  "503": _ok(answer, "The store cannot answer (ok: false, "
                                                     "error says why).")}}}


def _catalog() -> dict[str, Any]:
    media = {m.mime: {"schema": _ref("jsonld") if "json" in m.mime else _TEXT}
             for m in DATA_FORMATS.values()}
    fmt = _query("format", "The format, instead of Accept: " + ", ".join(DATA_FORMATS) + ".",
                 _TEXT)
    return {"get": {"summary": "The catalogue record (DCAT-AP) and the VoID description, as "
                               "JSON-LD or another RDF format by Accept or format=; a browser "
                               "is sent to its page (303).", "operationId": "catalog",
                    "parameters": [fmt],
                    "responses": {"200": {"description": "The record.", "content": media},
                                  "303": {"description": "To the record's HTML page."},
                                  "400": _ERROR}}}


def paths() -> dict[str, Any]:
    return {
        f"/{SEARCH_JSON}": _search(),
        f"/{RECONCILE}": _reconcile(),
        f"/{RECONCILE}/suggest/entity": _suggest("entity", "suggestEntities"),
        f"/{RECONCILE}/suggest/type": _suggest("type", "suggestTypes"),
        f"/{RECONCILE}/suggest/property": _suggest("property", "suggestProperties"),
        f"/{RECONCILE}/properties": _get(
            "propose_properties", "Properties a data extension can ask for (API 0.2 §7.1).",
            [_query("type", "The type of the things to extend.", _TEXT),
             _query("limit", "Properties, at most.", {"type": "string",
                                                      "pattern": "^[0-9]+$"})],
            _ok(_ref("propertyProposal"), "The properties.")),
        f"/{RECONCILE}/preview": _by_id("preview", "A small HTML card of a thing (API 0.2 §5).",
                                        _ok(_TEXT, "The card.", "text/html")),
        f"/{RECONCILE}/flyout": _by_id("flyout", "A line of HTML shown beside a suggestion.",
                                       _ok(_ref("flyout"), "The line.")),
        "/-/health": _health(),
        f"/{CATALOG}": _catalog(),
    }


def _object(required: list[str], **properties: Any) -> dict[str, Any]:
    return {"type": "object", "required": required, "properties": properties}


def _reconciliation() -> dict[str, Any]:
    """The answers of the reconciliation service, in API 0.2's shapes."""
    named = _object(["id", "name"], id=_TEXT, name=_TEXT)
    described = _object(["id", "name"], id=_TEXT, name=_TEXT, description=_TEXT)
    candidate = _object(["id", "name", "score", "match"], id=_TEXT, name=_TEXT,
                        description=_TEXT, score={"type": "number"},
                        match={"type": "boolean"}, type={"type": "array", "items": named},
                        features={"type": "array", "items": _object(
                            ["id", "value"], id=_TEXT,
                            value={"type": ["number", "boolean"]})})
    nothing = {"type": "object", "maxProperties": 0}
    value = {"anyOf": [nothing, named, *(_object([k], **{k: t}) for k, t in (
        ("str", _TEXT), ("float", {"type": "number"}), ("int", {"type": "integer"}),
        ("date", _TEXT), ("bool", {"type": "boolean"})))]}
    return {
        "manifest": _object(
            ["versions", "name", "identifierSpace", "schemaSpace"],
            versions={"type": "array", "items": _TEXT, "contains": {"const": "0.2"}},
            name=_TEXT, identifierSpace={"type": "string", "format": "uri"},
            schemaSpace={"type": "string", "format": "uri"},
            defaultTypes={"type": "array", "items": named},
            view=_object(["url"], url=_TEXT),
            preview=_object(["url", "width", "height"], url=_TEXT,
                            width={"type": "integer"}, height={"type": "integer"}),
            suggest={"type": "object"}, extend={"type": "object"}),
        "resultBatch": {"type": "object", "additionalProperties": _object(
            ["result"], result={"type": "array", "items": candidate})},
        "extensionResponse": _object(
            ["meta", "rows"], meta={"type": "array", "items": named},
            rows={"type": "object", "additionalProperties": {
                "type": "object", "additionalProperties": {"type": "array",
                                                            "items": value}}}),
        "suggestEntities": _object(["result"], result={"type": "array", "items": {
            **described, "properties": {**described["properties"],
                                        "notable": {"type": "array", "items": named}}}}),
        "suggestTypes": _object(["result"], result={"type": "array", "items": described}),
        "suggestProperties": _object(["result"], result={"type": "array",
                                                         "items": described}),
        "propertyProposal": _object(["properties"], properties={"type": "array",
                                                                "items": described},
                                    type=_TEXT, limit={"type": "integer"}),
    }


def schemas() -> dict[str, Any]:
    nullable_text = {"type": ["string", "null"]}
    return {
        **_reconciliation(),
        "searchResults": {
            "type": "object", "required": ["query", "type", "results"],
            "properties": {
                "query": _TEXT, "type": {"type": "array", "items": _TEXT},
                "results": {"type": "array", "maxItems": MAX_RESULTS, "items": {
                    "type": "object",
                    "required": ["id", "name", "score", "matched", "types", "description",
                                 "url"],
                    "properties": {
                        "id": {"type": "string", "format": "iri"}, "name": _TEXT,
                        "score": {"type": "number", "minimum": 0}, "matched": _TEXT,
                        "types": {"type": "array", "items": _TEXT}, "description": _TEXT,
                        "url": {"type": "string", "format": "uri-reference"}}}}}},
        "flyout": {"type": "object", "required": ["id", "html"],
                   "properties": {"id": _TEXT, "html": _TEXT}},
        "health": {
            "type": "object", "required": ["ok", "digest", "graphs", "build", "stale"],
            "properties": {
                "ok": {"type": "boolean"}, "digest": nullable_text,
                "graphs": {"type": ["integer", "null"], "minimum": 0},
                "build": {"type": "object", "required": ["nquads_sha256", "triples", "made"],
                          "properties": {"nquads_sha256": nullable_text,
                                         "triples": {"type": ["integer", "null"]},
                                         "made": {"type": ["string", "null"],
                                                  "format": "date-time"}}},
                "stale": {"type": "boolean"}, "error": _TEXT,
                "failed_at": {"type": ["string", "null"], "format": "date-time"}}},
        "jsonld": {
            "description": "A JSON-LD 1.1 document: a context and a graph of nodes.",
            "type": "object", "required": ["@context", "@graph"],
            "properties": {"@context": {"type": "object"},
                           "@graph": {"type": "array", "items": {"type": "object"}}}},
    }
