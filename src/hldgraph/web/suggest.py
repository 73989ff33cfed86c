"""The reconciliation service's other services (W3C Entity Reconciliation CG, API 0.2):
suggest for entities, types and properties (§6, as a name is typed), the flyout and preview of
an entity (§6.3, §5: a small HTML card), property proposals and data extension (§7: values of
properties for matched IRIs: Wikidata and GeoNames ids, country, dates, venue, organisers…).
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from flask import Blueprint, Response, jsonify, render_template, request

from hldgraph.errors import HldgraphError
from hldgraph.lookup import ANY, Entry
from hldgraph.names import fold
from hldgraph.web.cache import keepable
from hldgraph.web.http import error_response, single, varies, whole_number
from hldgraph.web.i18n import choose_lang
from hldgraph.web.links import RECONCILE, href
from hldgraph.web.matching import NAMES, PROPERTIES, PROPERTY, TYPES, Property, type_of
from hldgraph.web.search import finder, in_turn

if TYPE_CHECKING:
    from hldgraph.finder import Finder

bp = Blueprint("suggest", __name__)

PREVIEW_WIDTH, PREVIEW_HEIGHT = 400, 180
#: Suggestions of one request, at most; IRIs of one data extension query, at most.
MAX_SUGGEST, MAX_IDS = 25, 500
#: Where a Wikidata id is reconciled (named in the extension's metadata).
WIKIDATA_SERVICE = "https://wikidata.reconci.link/en/api"


def _prefix() -> str:
    prefix = single("prefix")
    if prefix is None:
        raise HldgraphError("the prefix parameter (what has been typed) is missing", 400)
    if len(prefix) > 200:
        raise HldgraphError("prefix is longer than 200 characters", 400)
    return prefix


def _cursor() -> int:
    raw = single("cursor", "0")
    cursor = whole_number(raw)
    if cursor is None:
        raise HldgraphError(f"cursor={raw!r} must be a whole number (0 or more)", 400)
    return cursor


def _kinds(names: list[str]) -> int:
    bits = 0
    for name in names:
        t = type_of(name)
        if t is None:
            raise HldgraphError(f"type={name!r} is not a type of this service; use one of "
                                + ", ".join(t.id for t in TYPES), 400)
        bits |= t.kind
    return bits or ANY


@bp.get(f"/{RECONCILE}/suggest/entity")
@in_turn
def suggest_entity() -> Response:
    """``?prefix=`` (what has been typed), ``?type=``, ``?cursor=`` → ``{"result": [{"id",
    "name", "description", "notable"}]}``: things whose names start so, or nearly."""
    prefix, cursor, lang = _prefix(), _cursor(), choose_lang()
    kinds = _kinds(request.args.getlist("type"))
    hits = finder().search(prefix, kinds, cursor + MAX_SUGGEST, typing=True)[cursor:]
    return json_answer({"result": [{"id": h.entry.id, "name": h.entry.name.get(lang, h.entry.id),
                              "description": h.entry.description.get(lang, ""),
                              "notable": _types(h.entry, lang)} for h in hits]}, lang)


@bp.get(f"/{RECONCILE}/suggest/type")
def suggest_type() -> Response:
    """``?prefix=`` → ``{"result": [{"id", "name", "description"}]}``: the service's types."""
    prefix, lang = fold(_prefix()), choose_lang()
    return json_answer({"result": [t.json(lang) for t in TYPES
                                   if _starts(prefix, t.name(lang), t.description(lang))]},
                       lang)


@bp.get(f"/{RECONCILE}/suggest/property")
def suggest_property() -> Response:
    """``?prefix=``, ``?type=`` → ``{"result": [{"id", "name", "description"}]}``."""
    prefix, kinds = fold(_prefix()), _kinds(request.args.getlist("type"))
    return json_answer({"result": [p.json() for p in (*PROPERTIES, NAMES)
                             if p.kinds & kinds and _starts(prefix, p.id, p.name, p.description)]})


def _starts(prefix: str, *texts: str) -> bool:
    """Whether a word of one of ``texts`` starts with ``prefix`` (folded)."""
    return any(w.startswith(prefix) for t in texts for w in fold(t).split()) or any(
        t.casefold().startswith(prefix) for t in texts)


@bp.get(f"/{RECONCILE}/properties")
def propose_properties() -> Response:
    """Property proposals (API 0.2 §7.1): ``?type=``, ``?limit=`` → ``{"type", "limit",
    "properties": [{"id", "name", "description"}]}``."""
    asked = single("type", "")
    kinds = _kinds([asked] if asked else [])
    raw = single("limit", str(len(PROPERTIES) + 1))
    limit = whole_number(raw)
    if limit is None:
        raise HldgraphError(f"limit={raw!r} must be a whole number", 400)
    shown = [p.json() for p in (*PROPERTIES, NAMES) if p.kinds & kinds and p.id != "date"]
    rv: dict[str, Any] = {"properties": shown[:limit], "limit": limit}
    if asked:
        rv["type"] = asked
    return json_answer(rv)


def _entry() -> Entry:
    iri = single("id", "")
    if not iri:
        raise HldgraphError("the id parameter (an IRI of the graph) is missing", 400)
    e = finder().entry(iri)
    if e is None:
        raise HldgraphError(f"{iri} is not a thing of this graph", 404)
    return e


@bp.get(f"/{RECONCILE}/preview")
def preview() -> Response:
    """A small HTML card of ``?id=`` (API 0.2 §5): its name, types, description and IRI."""
    varies(request.environ, "Accept-Language")
    try:
        e, lang = _entry(), choose_lang()
    except HldgraphError as err:
        return error_response(err.message, err.status)
    html = render_template("preview.html", e=e, lang=lang, name=e.shown(lang),
                           description=e.description.get(lang, ""), types=_types(e, lang),
                           page=href(e.id), width=PREVIEW_WIDTH, height=PREVIEW_HEIGHT)
    rv = Response(html, content_type="text/html; charset=utf-8")
    rv.headers["Content-Language"] = lang
    return rv


@bp.get(f"/{RECONCILE}/flyout")
def flyout() -> Response:
    """``?id=`` → ``{"id", "html"}``: a line of HTML shown beside a suggestion."""
    e, lang = _entry(), choose_lang()
    html = render_template("flyout.html", name=e.shown(lang),
                           description=e.description.get(lang, ""))
    return json_answer({"id": e.id, "html": html}, lang)


def _types(e: Entry, lang: str) -> list[dict[str, str]]:
    return [t.ref(lang) for t in TYPES if t.id in e.types]


def json_answer(data: dict[str, Any], lang: str | None = None) -> Response:
    """A JSON answer of the build. Where its names and descriptions are in the language
    chosen, ``lang``, it varies with Accept-Language and says so (Content-Language), so that
    each language has its own ETag (:func:`hldgraph.web.http.validators`); without ``lang``
    (the properties, named in English only) it varies with neither."""
    rv = keepable(jsonify(data))  # the build's answer: the response cache may keep it
    if lang is not None:
        varies(request.environ, "Accept-Language")
        rv.headers["Content-Language"] = lang
    return rv


# --- data extension --------------------------------------------------------------------------

def json_parameter(name: str, raw: str) -> Any:
    """The JSON text of parameter ``name`` (``queries``, ``extend``) read, or a 400 naming it:
    RFC 8259 JSON only (no NaN or Infinity), nested no deeper than the reader can follow, and
    no member given twice in an object (RFC 8259 §4: names SHOULD be unique; the reader kept
    the last and dropped the others unsaid, where a parameter given twice is a 400)."""

    def constant(word: str) -> Any:
        raise ValueError(f"{word} is not a JSON value")

    def members(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        found: dict[str, Any] = {}
        for key, value in pairs:
            if key in found:
                raise HldgraphError(f"{name} gives the member {key!r} more than once in an "
                                    "object: give it once", 400)
            found[key] = value
        return found

    try:
        return json.loads(raw, parse_constant=constant, object_pairs_hook=members)
    except RecursionError:
        raise HldgraphError(f"{name} is nested too deeply to be read", 400) from None
    except ValueError as e:
        raise HldgraphError(f"{name} is not JSON: {e}", 400) from None


def extend(raw: str) -> dict[str, Any]:
    """The answer to a data extension query (API 0.2 §7.2): ``{"meta": [{"id", "name"}],
    "rows": {iri: {pid: [values]}}}``. Raises a 400 naming what is malformed in ``extend``."""
    query = json_parameter("extend", raw)
    ids, props = (query.get("ids"), query.get("properties")) if isinstance(query, dict) \
        else (None, None)
    if not (isinstance(ids, list) and all(isinstance(i, str) for i in ids)):
        raise HldgraphError("extend.ids must be a list of IRIs", 400)
    if not (isinstance(props, list) and all(isinstance(p, dict) and isinstance(p.get("id"), str)
                                            for p in props)):
        raise HldgraphError("extend.properties must be a list of {id}", 400)
    if len(ids) > MAX_IDS:
        raise HldgraphError(f"extend.ids holds {len(ids)} IRIs; at most {MAX_IDS}", 400)
    f, lang = finder(), choose_lang()
    pids = [p["id"] for p in props]
    meta = [_meta(pid) for pid in pids]
    rows = {iri: {pid: _cell(f, f.entry(iri), pid, lang) for pid in pids} for iri in ids}
    return {"meta": meta, "rows": rows}


def _meta(pid: str) -> dict[str, Any]:
    p: Property | None = PROPERTY.get(pid) or (NAMES if pid == NAMES.id else None)
    if p is None:
        return {"id": pid, "name": pid}  # unknown: named as asked, with no values
    rv: dict[str, Any] = {"id": p.id, "name": p.name}
    if pid == "wikidata":
        rv["service"] = WIKIDATA_SERVICE
    return rv


def _cell(f: Finder, e: Entry | None, pid: str, lang: str) -> list[dict[str, Any]]:
    """The values of ``pid`` of ``e`` as API 0.2 types them: things as ``{id, name}``, dates as
    ``{date}``, ids and codes as ``{str}``."""
    if e is None:
        return []
    if pid == NAMES.id:
        return [{"str": text} for text, _ in e.labels]
    if pid == "country" and "country" not in e.props:
        places = [p for iri in e.props.get("location", []) if (p := f.entry(iri))]
        return [{"str": c} for p in places for c in p.props.get("country", [])]
    prop, found = PROPERTY.get(pid), e.props.get(pid, [])
    if prop is None:
        return []
    if prop.linked:
        return [{"id": iri, "name": other.name.get(lang, iri) if (other := f.entry(iri)) else iri}
                for iri in found]
    if pid in ("startDate", "endDate"):
        return [{"date": f"{day}T00:00:00Z"} for day in found]
    if pid == "wikidata":
        return [{"id": q, "name": e.name.get(lang, q)} for q in found]
    return [{"str": v} for v in found]
