"""``/reconcile``: a reconciliation service (W3C Entity Reconciliation Community Group, API 0.2,
https://www.w3.org/community/reports/reconciliation/CG-FINAL-specs-0.2-20230410/).

``GET /reconcile`` is the service manifest (§3); ``queries=`` (GET or POST, form-encoded) a batch
of reconciliation queries (§4), answered with candidates by :mod:`hldgraph.web.matching`;
``extend=`` a data extension query (§7, :mod:`hldgraph.web.suggest`). Suggest, preview and
property proposals live under ``/reconcile/…`` (:mod:`hldgraph.web.suggest`). A malformed
batch is a 400 naming the query and the member at fault, never a 500.
"""

from __future__ import annotations

import json
import math
from importlib.metadata import PackageNotFoundError, version
from typing import TYPE_CHECKING, Any

from flask import Blueprint, Response, jsonify, request

from hldgraph.errors import HldgraphError
from hldgraph.lookup import ANY, Entry
from hldgraph.web import suggest
from hldgraph.web.http import get_settings, single, varies
from hldgraph.web.i18n import choose_lang, translate
from hldgraph.web.links import RECONCILE, url
from hldgraph.web.matching import (
    AGREES,
    DISAGREES,
    MATCH_LEAD,
    MATCH_SCORE,
    TYPES,
    agrees,
    type_of,
)
from hldgraph.web.search import finder, in_turn, index_file

if TYPE_CHECKING:
    from hldgraph.finder import Finder

bp = Blueprint("reconcile", __name__)
bp.register_blueprint(suggest.bp)

#: Queries of one batch, at most (OpenRefine sends 10 at a time).
MAX_BATCH = 50
#: Candidates of one query, at most, and when the query names no limit.
MAX_LIMIT, DEFAULT_LIMIT = 50, 10
#: Characters of a query's name, at most.
MAX_QUERY = 500
_MEMBERS = ("query", "type", "limit", "properties", "type_strict")


@bp.route(f"/{RECONCILE}", methods=["GET", "POST"])
def endpoint() -> Response:
    """The manifest, or the answer to ``queries=`` or ``extend=`` (in the URL or the form);
    each names things in the language asked for (``?lang=``, Accept-Language), so every answer
    of the service varies on Accept-Language."""
    varies(request.environ, "Accept-Language")
    # the URL's and the form's together: a batch in each is given twice (a 400)
    queries = single("queries", None, request.values)
    extend = single("extend", None, request.values)
    if queries is not None and extend is not None:
        raise HldgraphError("send queries (reconciliation) or extend (data extension), not "
                            "both: they are two requests", 400)
    if queries is not None:
        batch = parse_batch(queries)
        with in_turn:
            lang = choose_lang()
            return suggest.json_answer(reconcile(batch, finder(), lang), lang)
    if extend is not None:
        return suggest.json_answer(suggest.extend(extend), choose_lang())  # names in a language
    if request.method == "POST":
        raise HldgraphError("a POST to the reconciliation service needs a queries or an extend "
                            "parameter (form-encoded)", 400)
    index_file()  # no manifest of a service that cannot answer (a release issued before it)
    # not kept by the response cache: its URLs name the request's host
    rv = jsonify(manifest(lang := choose_lang()))
    rv.headers["Content-Language"] = lang
    return rv


def manifest(lang: str) -> dict[str, Any]:
    """The service manifest (API 0.2 §3): types, suggest, preview and extension services,
    named in ``lang``."""
    root = url("", external=True).rstrip("/")
    base = get_settings().base_iri
    services = {kind: {"service_url": root, "service_path": f"/{RECONCILE}/suggest/{kind}"}
                for kind in ("entity", "type", "property")}
    services["entity"]["flyout_service_path"] = f"/{RECONCILE}/flyout?id=${{id}}"
    return {
        "versions": ["0.2"],
        "name": translate("site", lang),
        "identifierSpace": base + "id/",
        "schemaSpace": base + "def/",
        "documentation": url("", lang=True, external=True),
        "serviceVersion": _version(),
        "view": {"url": "{{id}}"},  # the ids are the things' IRIs, which answer with a page
        "defaultTypes": [t.ref(lang) for t in TYPES],
        "suggest": services,
        "preview": {"url": url(f"{RECONCILE}/preview", external=True) + "?id={{id}}",
                    "width": suggest.PREVIEW_WIDTH, "height": suggest.PREVIEW_HEIGHT},
        "extend": {"propose_properties": {"service_url": root,
                                          "service_path": f"/{RECONCILE}/properties"},
                   "property_settings": []},
    }


def _version() -> str:
    try:
        return version("hldgraph")
    except PackageNotFoundError:
        return "0"


# --- the batch of queries --------------------------------------------------------------------

def parse_batch(raw: str) -> dict[str, dict[str, Any]]:
    """``queries`` (JSON text) -> the queries by key, checked as the API 0.2 schema
    reconciliation-query-batch.json asks. Raises a 400 naming the query and member at fault."""
    batch = suggest.json_parameter("queries", raw)
    if not isinstance(batch, dict):
        raise HldgraphError("queries must be a JSON object: each key names a query, e.g. "
                            '{"q0": {"query": "IOM"}}', 400)
    if len(batch) > MAX_BATCH:
        raise HldgraphError(f"queries holds {len(batch)} queries; at most {MAX_BATCH} a batch",
                            400)
    for key, query in batch.items():
        _check(key, query)
    return batch


def _check(key: str, q: Any) -> None:
    where = f"queries[{json.dumps(key)}]"

    def bad(message: str) -> HldgraphError:
        return HldgraphError(f"{where}: {message}", 400)

    if not isinstance(q, dict):
        raise bad("a query must be a JSON object")
    unknown = [m for m in q if m not in _MEMBERS]
    if unknown:
        raise bad(f"unknown member {unknown[0]!r}; a query has {', '.join(_MEMBERS)}")
    if "query" in q and not (isinstance(q["query"], str) and len(q["query"]) <= MAX_QUERY):
        raise bad(f"query must be a text of at most {MAX_QUERY} characters")
    types = q.get("type", [])
    if not (isinstance(types, str) or (isinstance(types, list)
            and all(isinstance(t, str) for t in types))):
        raise bad("type must be a type id or a list of them")
    try:
        limit_of(q)
    except ValueError as e:
        raise bad(str(e)) from None
    if q.get("type_strict", "any") not in ("any", "should", "all"):
        raise bad("type_strict must be one of any, should, all")
    properties = q.get("properties", [])
    if not isinstance(properties, list):
        raise bad("properties must be a list of {pid, v}")
    for n, p in enumerate(properties):
        if not (isinstance(p, dict) and isinstance(p.get("pid"), str) and "v" in p):
            raise bad(f"properties[{n}] must be an object with pid (a text) and v")
        if not all(isinstance(v, str | int | float | bool) or (
                isinstance(v, dict) and isinstance(v.get("id"), str)) for v in _list(p["v"])):
            raise bad(f"properties[{n}].v must be texts, numbers, booleans or {{id, name}}")
    if "query" not in q and not properties:
        raise bad("a query needs a query text or at least one property")


def limit_of(q: dict[str, Any]) -> int:
    """The candidates query ``q`` asks for at most: its ``limit``, a whole number of 1 or more
    (5.0 too: JSON Schema's integer), :data:`DEFAULT_LIMIT` where it has none, and never more
    than :data:`MAX_LIMIT` (a limit is a maximum: fewer is an answer). The API 0.2 schema says
    only "number": 0.5 gave no candidates and 0 the default, so neither is taken. Raises
    ValueError saying what a limit is."""
    limit = q.get("limit", DEFAULT_LIMIT)
    if (isinstance(limit, bool) or not isinstance(limit, int | float)
            or not math.isfinite(limit)  # 1e400 is read as inf
            or limit < 1 or limit != int(limit)):
        shown = f" (not {limit})" if isinstance(limit, int | float) else ""
        raise ValueError(f"limit must be a whole number of candidates, 1 or more{shown}; "
                         f"{MAX_LIMIT} at most are given")
    return min(int(limit), MAX_LIMIT)


def _list(v: Any) -> list[Any]:
    return v if isinstance(v, list) else [v]


def reconcile(batch: dict[str, dict[str, Any]], f: Finder, lang: str) -> dict[str, Any]:
    """The result batch (API 0.2 §4.3): ``{key: {"result": [candidates]}}``, names and
    descriptions in ``lang``."""
    return {key: {"result": candidates(q, f, lang)} for key, q in batch.items()}


def candidates(q: dict[str, Any], f: Finder, lang: str) -> list[dict[str, Any]]:
    """The candidates of one query, best first, with scores, features and ``match``; names and
    descriptions in ``lang``."""
    limit = limit_of(q)
    kinds, strict = _kinds(q)
    if kinds == 0:
        return []  # a type this service does not have: nothing is of it
    text, props = q.get("query", "").strip(), q.get("properties", [])
    if text:
        found = [(h.entry, h.score) for h in f.search(text, kinds, max(limit * 3, 20))]
    else:
        found = [(e, 0.0) for e in _by_properties(f, props, kinds)]
    scored = [_score(f, e, s, props, bool(text), lang) for e, s in found
              if not strict or all(t in e.types for t in strict)]
    scored.sort(key=lambda c: -c["score"])  # stable: ties keep the finder's order, as search
    scored = scored[:limit]
    if scored and scored[0]["score"] >= MATCH_SCORE and (
            len(scored) == 1 or scored[0]["score"] - scored[1]["score"] >= MATCH_LEAD):
        scored[0]["match"] = True
    return scored


def _kinds(q: dict[str, Any]) -> tuple[int, list[str]]:
    """The kind bits of a query's types, and the types a candidate must all have
    (``type_strict: all``). No type: every kind."""
    names = _list(q.get("type", []))
    if not names:
        return ANY, []
    types = [type_of(n) for n in names]
    known = [t for t in types if t is not None]
    bits = 0
    for t in known:
        bits |= t.kind
    strict = [t.id for t in known] if q.get("type_strict") == "all" else []
    if strict and len(known) < len(types):
        return 0, []
    return bits, strict


def _by_properties(f: Finder, props: list[dict[str, Any]], kinds: int) -> list[Entry]:
    """Candidates of a query without a name: by Wikidata or GeoNames id where given, else every
    thing of the kinds asked for that agrees with a property."""
    for p in props:
        if p["pid"] in ("wikidata", "geonames"):
            return [e for v in _list(p["v"]) for e in f.with_id(p["pid"], str(
                v.get("id") if isinstance(v, dict) else v))]
    return [e for e in f.of_kinds(kinds)
            if any(agrees(f, e, p["pid"], p["v"]) for p in props)]


def _score(f: Finder, e: Entry, name_score: float, props: list[dict[str, Any]],
           named: bool, lang: str) -> dict[str, Any]:
    verdicts = [(p["pid"], agrees(f, e, p["pid"], p["v"])) for p in props]
    told = [v for _, v in verdicts if v is not None]
    if named:
        score = name_score + AGREES * told.count(True) - DISAGREES * told.count(False)
    else:  # no name: the share of the properties that agree
        score = 100.0 * told.count(True) / len(props) if props else 0.0
    features = [{"id": "name", "value": round(name_score, 1)}] if named else []
    features += [{"id": pid, "value": v} for pid, v in verdicts if v is not None]
    return {"id": e.id, "name": e.name.get(lang, e.id),
            "score": round(max(0, min(100, score)), 1),
            "description": e.description.get(lang, ""), "match": False, "features": features,
            "type": [t.ref(lang) for t in TYPES if t.id in e.types]}
