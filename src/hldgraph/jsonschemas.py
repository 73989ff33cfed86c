"""JSON Schemas (draft 2020-12) of the framed JSON-LD documents: what a developer can rely on.

One schema per framed shape (:data:`SHAPES`: a thing of each kind, and the lists), published at
``/schemas/{name}.json``; the parts they share are :data:`DEFS`. The OpenAPI description of the
JSON routes takes the same definitions (:func:`components`). A shape names the keys the frames
always give and their types; a thing may have more keys (other statements of the graph).
"""

from __future__ import annotations

import copy
from typing import Any

DRAFT = "https://json-schema.org/draft/2020-12/schema"
#: Where a schema is published, after the base IRI.
PATH = "schemas/{name}.json"


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/$defs/{name}"}


def _one_or_many(item: dict[str, Any]) -> dict[str, Any]:
    """A key whose term has no @set container: one value, or an array of several."""
    return {"anyOf": [item, {"type": "array", "items": item, "minItems": 2}]}


def _many(item: dict[str, Any]) -> dict[str, Any]:
    return {"type": "array", "items": item}


def _typed(name: str) -> dict[str, Any]:
    """A ``type`` key that holds ``name`` (alone, or among others)."""
    return {"anyOf": [{"const": name}, {"type": "array", "contains": {"const": name}}]}


_STRING = {"type": "string"}
#: A name as printed (a plain string), or one in a language of its own, such as a French acronym
#: ({"@language": "fr", "@value": "DAES"}): JSON-LD writes a tagged value so in a @set.
_NAME = {"anyOf": [_STRING, {"type": "object", "required": ["@value", "@language"],
                             "properties": {"@value": _STRING, "@language": _STRING},
                             "additionalProperties": False}]}
_DECIMAL = {"type": "string", "pattern": r"^-?[0-9]+(\.[0-9]+)?$"}

#: The parts the shapes share.
DEFS: dict[str, dict[str, Any]] = {
    "iri": {"type": "string", "pattern": "^[a-z][a-z0-9+.-]*:[^\\s]*$",
            "description": "An IRI: of this dataset (it answers with the thing's page or data) "
                           "or of another (Wikidata, GeoNames)."},
    "types": _one_or_many({"type": "string"}),
    "langMap": {"type": "object", "minProperties": 1,
                "description": "A text in several languages, by language tag (JSON-LD 1.1 "
                               "language map; @none for a text without a language).",
                "propertyNames": {"pattern": "^([a-z]{2,3}(-[A-Za-z0-9]+)*|@none)$"},
                "additionalProperties": _one_or_many(_STRING)},
    "date": {"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"},
    "context": {"description": "The dataset's JSON-LD context (/context.jsonld), inline.",
                "type": "object"},
    "link": {"description": "A thing linked to, nested with its labels.",
             "type": "object", "required": ["id"],
             "properties": {"id": _ref("iri"), "type": _ref("types"), "name": _ref("langMap"),
                            "prefLabel": _ref("langMap"), "altLabel": _many(_NAME)}},
    "linkOrIri": {"anyOf": [_ref("iri"), _ref("link")]},
    "placeLink": {"description": "A place: its name in each language, its country (ISO 3166-1 "
                                 "alpha-2) and its coordinates (WGS 84 decimal degrees).",
                  "type": "object", "required": ["id", "name"],
                  "properties": {"id": _ref("iri"), "type": _typed("Place"),
                                 "name": _ref("langMap"),
                                 "addressCountry": {"type": "string", "pattern": "^[A-Z]{2}$"},
                                 "latitude": _DECIMAL, "longitude": _DECIMAL}},
    "bodyLink": {"description": "A body (organisation, government…): its name in each "
                                "language and its acronyms and spellings as printed.",
                 "type": "object", "required": ["id", "prefLabel"],
                 "properties": {"id": _ref("iri"), "type": _typed("Organization"),
                                "prefLabel": _ref("langMap"), "altLabel": _many(_NAME)}},
    "conceptLink": {"description": "A concept (thematic area, category, body type).",
                    "type": "object", "required": ["id", "prefLabel"],
                    "properties": {"id": _ref("iri"), "type": _typed("Concept"),
                                   "prefLabel": _ref("langMap"),
                                   "notation": _one_or_many(_STRING)}},
}

_EVENT = {
    "type": "object", "required": ["id", "type", "name", "startDate", "endDate"],
    "properties": {
        "id": _ref("iri"), "type": _typed("Event"), "name": _ref("langMap"),
        "startDate": _ref("date"), "endDate": _ref("date"),
        "location": _one_or_many(_ref("placeLink")),
        "organizer": _many(_ref("bodyLink")), "sponsor": _many(_ref("bodyLink")),
        "about": _many(_ref("conceptLink")), "category": _ref("conceptLink"),
        "superEvent": _many(_ref("link")), "subEvent": _many(_ref("link")),
        "preparatoryEventOf": _ref("link"),
        "calendarRow": {"type": "integer"}, "position": {"type": "integer"},
        "dateAsPrinted": _STRING, "responsibleAsPrinted": _STRING}}
_BODY = {
    "type": "object", "required": ["id", "type", "prefLabel"],
    "properties": {
        "id": _ref("iri"), "type": _typed("Organization"), "prefLabel": _ref("langMap"),
        "altLabel": _many(_NAME), "classification": _ref("conceptLink"),
        "subOrganizationOf": _many(_ref("bodyLink")), "hasSubOrganization": _many(_ref("bodyLink")),
        "sameAs": _many(_ref("linkOrIri"))}}
_PLACE = {
    "type": "object", "required": ["id", "type", "name"],
    "properties": {
        "id": _ref("iri"), "type": _typed("Place"), "name": _ref("langMap"),
        "addressCountry": {"type": "string", "pattern": "^[A-Z]{2}$"},
        "latitude": _DECIMAL, "longitude": _DECIMAL, "sameAs": _many(_ref("linkOrIri"))}}
_CONCEPT = {
    "type": "object", "required": ["id", "type", "prefLabel"],
    "properties": {
        "id": _ref("iri"), "type": _typed("Concept"), "prefLabel": _ref("langMap"),
        "notation": _one_or_many(_STRING), "inScheme": _ref("linkOrIri"),
        "broader": _ref("conceptLink"), "narrower": _many(_ref("conceptLink"))}}
_THING = {"type": "object", "required": ["id"], "properties": {"id": _ref("iri"),
                                                               "type": _ref("types")}}

#: The shape of a thing of each kind (the frames of :data:`hldgraph.framing.FRAMES`).
THINGS = {"event": _EVENT, "body": _BODY, "place": _PLACE, "concept": _CONCEPT,
          "thing": _THING}
#: The lists: the JSON twins of the calendar, bodies and places pages, and the framed calendar.
LISTS = {"calendar": "event", "bodies": "body", "places": "place"}
SHAPES = (*THINGS, *LISTS)


def _document(shape: dict[str, Any]) -> dict[str, Any]:
    """A framed document: the shape at the root, with the context."""
    return {"allOf": [shape, {"required": ["@context"],
                              "properties": {"@context": _ref("context")}}]}


def _list(kind: str) -> dict[str, Any]:
    return {"type": "object", "required": ["@context", "graph"],
            "properties": {"@context": _ref("context"),
                           "graph": _many(_ref(f"{kind}Shape"))}}


def schema(name: str, base: str) -> dict[str, Any]:
    """The published schema of shape ``name`` (a key of :data:`THINGS` or :data:`LISTS`), with
    its ``$id`` under ``base``. Raises KeyError for another name."""
    body = _list(LISTS[name]) if name in LISTS else _document(_ref(f"{name}Shape"))
    titles = {"calendar": "The calendar of events", "bodies": "The bodies",
              "places": "The places"}
    title = titles.get(name) or f"A framed {name}"
    return {"$schema": DRAFT, "$id": base + PATH.format(name=name), "title": title, **body,
            "$defs": _defs()}


def _defs() -> dict[str, Any]:
    return {**copy.deepcopy(DEFS), **{f"{k}Shape": copy.deepcopy(v) for k, v in THINGS.items()}}


def components() -> dict[str, Any]:
    """Every definition and shape for an OpenAPI 3.1 document's ``components.schemas``, its
    references rewritten to ``#/components/schemas/…``."""
    parts = {**_defs(), **{f"{k}Document": _document(_ref(f"{k}Shape")) for k in THINGS},
             **{f"{k}List": _list(v) for k, v in LISTS.items()}}
    return _rewrite(parts)


def _rewrite(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: (v.replace("#/$defs/", "#/components/schemas/") if k == "$ref" else
                    _rewrite(v)) for k, v in value.items()}
    if isinstance(value, list):
        return [_rewrite(v) for v in value]
    return value
