"""The OpenAPI 3.1 description of the JSON routes (served at ``/openapi.json``).

Its schemas are the published JSON Schemas of the framed shapes
(:func:`hldgraph.jsonschemas.components`); its server is the root this request reached. The
search, reconciliation, health and catalogue routes are described by :mod:`.openapi_services`.
"""

from __future__ import annotations

from typing import Any

from hldgraph import jsonschemas
from hldgraph.formats import JSONLD_PROFILES
from hldgraph.framing import FRAMES
from hldgraph.web import calendar, openapi_services
from hldgraph.web.links import (
    BODIES_JSON,
    CALENDAR_JSON,
    CONTEXT,
    FRAME,
    PLACES_JSON,
    SCHEMA_DOC,
    url,
)


def _schema(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema: dict[str, Any], description: str, ld: bool = True) -> dict[str, Any]:
    """A 200 response in JSON (and JSON-LD, whose profile Accept chooses)."""
    content = {"application/json": {"schema": schema}}
    if ld:
        content['application/ld+json; profile="http://www.w3.org/ns/json-ld#framed"'] = {
            "schema": schema}
    return {"description": description, "content": content}


_ERROR = {"description": "A parameter or path names nothing here; the body says which.",
          "content": {"application/json": {"schema": _schema("error")}}}


def _param(name: str, where: str, description: str, **schema: Any) -> dict[str, Any]:
    return {"name": name, "in": where, "required": where == "path", "description": description,
            "schema": {"type": "string", **schema}}


def _calendar_filters() -> list[dict[str, Any]]:
    """The calendar's parameters as the calendar reads them (one value each)."""
    return [{"name": p.name, "in": "query", "required": False, "description": p.description,
             "schema": p.schema} for p in calendar.PARAMETERS]


def _list(path: str, name: str, summary: str, params: list[dict[str, Any]] | None = None
          ) -> dict[str, Any]:
    return {"get": {"summary": summary, "operationId": name, "parameters": params or [],
                    "responses": {"200": _json(_schema(f"{name}List"), summary),
                                  "400": _ERROR}}}


def _documents() -> dict[str, Any]:
    profiles = "; ".join(JSONLD_PROFILES)
    things = [_schema(f"{k}Document") for k in FRAMES]
    return {"get": {
        "summary": "The data of one thing, as JSON: the thing at the root, what it links to "
                   "nested with its labels.",
        "description": "application/json and application/ld+json give the framed form; "
                       "application/ld+json with a profile gives that form of JSON-LD 1.1 "
                       f"({profiles}).",
        "operationId": "thing",
        # Every thing the graph holds under /id/ has documents: the kinds are the graph's,
        # not a list kept here (a 404 names a path that is none).
        "parameters": [_param("kind", "path", "The kind of thing: the step of its IRI after "
                                              "/id/ (event, org, place, theme, initiative, "
                                              "resolution, …). The documents of a named graph "
                                              "(/doc/graph/{name}) hold the graph itself.",
                              pattern="^(?!graph$)[a-z][a-z0-9-]*$"),
                       _param("id", "path", "The rest of the thing's IRI (7, iom, geneva); "
                                            "a sub-point's or a paragraph's holds '/', sent as "
                                            "%2F (migration-and-development%2F1).")],
        "responses": {"200": _json({"anyOf": things}, "The thing."), "404": _ERROR}}}


def _file(path: str, media: str, description: str, name: str) -> dict[str, Any]:
    params = [_param("name", "path", "The name.")] if "{name}" in path else []
    return {"get": {"summary": description, "operationId": name, "parameters": params,
                    "responses": {"200": {"description": description,
                                          "content": {media: {"schema": {"type": "object"}}}},
                                  "404": _ERROR}}}


def document() -> dict[str, Any]:
    """The OpenAPI 3.1 document of this server's JSON routes."""
    schemas = {**jsonschemas.components(), **openapi_services.schemas(), "error": {
        "type": "object", "required": ["ok", "error", "status"],
        "properties": {"ok": {"const": False}, "error": {"type": "string"},
                       "status": {"type": "integer"}}}}
    return {
        "openapi": "3.1.0",
        "jsonSchemaDialect": jsonschemas.DRAFT,
        "info": {"title": "hldgraph: the 2006 High-Level Dialogue as JSON", "version": "1",
                 "description": "Every thing of the dataset and every list page as JSON that "
                                "reads like plain JSON (JSON-LD 1.1, framed), with its "
                                "context, frames and JSON Schemas; the search, the "
                                "reconciliation service (API 0.2), the health check and the "
                                "catalogue record. Every parameter takes one value (given "
                                "twice, it is a 400 naming it) but those whose description "
                                "says to repeat it.",
                 "license": {"name": "CC-BY-4.0", "identifier": "CC-BY-4.0"}},
        "servers": [{"url": url("", external=True).rstrip("/") or "/"}],
        "paths": {
            "/doc/{kind}/{id}.jsonld": _documents(),
            f"/{CALENDAR_JSON}": _list(CALENDAR_JSON, "calendar",
                                       "The calendar's events, with the calendar page's "
                                       "filters, in its order.", _calendar_filters()),
            f"/{BODIES_JSON}": _list(BODIES_JSON, "bodies", "Every body, by name."),
            f"/{PLACES_JSON}": _list(PLACES_JSON, "places", "Every venue, by name."),
            f"/{CONTEXT}": _file(CONTEXT, "application/ld+json", "The JSON-LD context.",
                                 "context"),
            "/" + FRAME.format(name="{name}"): _file(FRAME, "application/ld+json",
                                                     "The frame of a kind of thing.", "frame"),
            "/" + SCHEMA_DOC.format(name="{name}"): _file(
                SCHEMA_DOC, "application/schema+json", "The JSON Schema of a framed shape.",
                "schema"),
            **openapi_services.paths(),
        },
        "components": {"schemas": schemas},
    }
