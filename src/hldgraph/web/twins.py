"""The JSON twins of the list pages, and what describes the site's JSON.

- ``/calendar.json`` (with the calendar page's filters), ``/bodies.json``, ``/places.json``:
  framed JSON-LD lists (:mod:`hldgraph.web.jsonld`), in the order of their pages;
- ``/context.jsonld``: the one context of every JSON-LD document (the build's own copy);
- ``/frames/{kind}.jsonld``: the frame of each kind of thing (JSON-LD 1.1 Framing);
- ``/schemas/{shape}.json``: the JSON Schema of each framed shape;
- ``/openapi.json``: the OpenAPI 3.1 description of the JSON routes.
"""

from __future__ import annotations

import json
from typing import Any

from flask import Blueprint, Response, request

from hldgraph import framing, jsonschemas
from hldgraph.web import jsonld, openapi
from hldgraph.web.calendar import filters
from hldgraph.web.catalog import send_build_file
from hldgraph.web.linkeddata import NotFound
from hldgraph.web.links import (
    BODIES,
    BODIES_JSON,
    CALENDAR,
    CALENDAR_JSON,
    CONTEXT,
    FRAME,
    OPENAPI,
    PLACES,
    PLACES_JSON,
    SCHEMA_DOC,
    asked,
    canonical,
    iris,
    link_header,
    url,
)
from hldgraph.web.readmodel import index

bp = Blueprint("twins", __name__)


def _page_link(path: str, shape: str) -> str:
    """The Link header of a JSON twin: the page it is the twin of, and its JSON Schema."""
    return link_header([(url(path, asked()), "alternate", "text/html"),
                        (url(SCHEMA_DOC.format(name=shape)), "describedby",
                         "application/schema+json")])


@bp.get(f"/{CALENDAR_JSON}")
def calendar_json() -> Response:
    """The calendar's events, filtered as the calendar page filters them, in its order."""
    ix = index()
    f = filters(ix)
    events = [e.iri for e in ix.events_where(lambda e: f.keep(e, ix))]
    return jsonld.listing("event", events, _page_link(CALENDAR, "calendar"))


@bp.get(f"/{BODIES_JSON}")
def bodies_json() -> Response:
    ix = index()
    bodies = sorted(ix.bodies, key=lambda b: (ix.label(b, "en").casefold(), b))
    return jsonld.listing("body", bodies, _page_link(BODIES, "bodies"))


@bp.get(f"/{PLACES_JSON}")
def places_json() -> Response:
    ix = index()
    places = sorted(ix.places, key=lambda p: (ix.label(p, "en").casefold(), p))
    return jsonld.listing("place", places, _page_link(PLACES, "places"))


@bp.get(f"/{CONTEXT}")
def context() -> Response:
    return send_build_file(framing.CONTEXT)


@bp.get("/" + FRAME.format(name="<name>"))
def frame(name: str) -> Response:
    if name not in framing.FRAMES:
        raise NotFound(canonical(request.path))
    doc = framing.published_frame(name, canonical(CONTEXT))
    return _json(doc, "application/ld+json; charset=utf-8")


@bp.get("/" + SCHEMA_DOC.format(name="<name>"))
def schema(name: str) -> Response:
    if name not in jsonschemas.SHAPES:
        raise NotFound(canonical(request.path))
    return _json(jsonschemas.schema(name, iris().base), "application/schema+json")


@bp.get(f"/{OPENAPI}")
def openapi_json() -> Response:
    return _json(openapi.document(), "application/vnd.oai.openapi+json;version=3.1")


def _json(doc: Any, content_type: str) -> Response:
    body = json.dumps(doc, ensure_ascii=False, indent=1) + "\n"
    return Response(body, content_type=content_type)
