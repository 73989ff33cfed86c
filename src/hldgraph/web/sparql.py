"""The SPARQL 1.1 Protocol endpoint (queries only), its service description and query page.

``/sparql`` takes a query by GET (``?query=``), by POST of a form, or by POST of the query itself
(``application/sparql-query``); ``default-graph-uri`` and ``named-graph-uri`` name the dataset.
Without a query it describes itself (SPARQL 1.1 Service Description), or shows the query page to
a browser. Updates are refused: the endpoint is read-only.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

from flask import Blueprint, Response, current_app, render_template, request
from rdflib import RDF, Graph, Literal, URIRef
from werkzeug.datastructures import MultiDict
from werkzeug.wrappers import Request

from hldgraph.errors import QueryError
from hldgraph.formats import (
    BY_NAME,
    MEDIA_TYPES,
    MediaType,
    NotAcceptable,
    negotiate,
    prefixes,
    serialize_graph,
)
from hldgraph.store import Answer, Store, is_iri
from hldgraph.urls import SD, Iris, rebase
from hldgraph.web import links
from hldgraph.web.cache import keepable
from hldgraph.web.http import get_settings, get_store, name_vary, single, varies
from hldgraph.web.i18n import choose_lang
from hldgraph.web.search import MAX_LABELS

bp = Blueprint("sparql", __name__)

QUERIES_DIR = Path(__file__).parent / "queries"
_FORM = "application/x-www-form-urlencoded"
_DIRECT = "application/sparql-query"
_UPDATE = "application/sparql-update"


@dataclass(frozen=True)
class ProtocolRequest:
    """What a protocol request asks, whichever of the three ways it came."""

    query: str | None
    default_graphs: tuple[str, ...]
    named_graphs: tuple[str, ...]
    formats: tuple[str, ...]  # some clients send format= several times


@bp.route("/sparql/", methods=["GET", "POST"])
@bp.route("/sparql", methods=["GET", "POST"])
def endpoint() -> Response:
    rv = respond(current_app.extensions["hldgraph"], request)
    if isinstance(rv, Response):
        return rv
    if rv.query is not None:  # negotiated to HTML
        return query_page(rv)
    if request.method == "POST":
        raise QueryError("the request has no 'query' parameter")
    return service_description()  # or the query page, if the negotiation chooses HTML


def respond(state: dict[str, Any], req: Request) -> Response | ProtocolRequest:
    """The endpoint's answer to a request (parameters → negotiation → answer), made with the
    app's ``state`` (its store and settings) and no Flask context; or the
    request's parameters when the answer is a page (no query, or HTML asked for).

    Raises :class:`~hldgraph.errors.HldgraphError` (a 4xx, or 503 for a limit) as the
    protocol says."""
    varies(req.environ, "Accept", "Accept-Language")  # HTML is the query page, in a language
    params = protocol_request(req)
    if params.query is None:
        return params
    store: Store = state["store"]
    media = negotiate(req.headers.get("Accept"), store.check(params.query),
                      format=params.formats, html=True)
    if media.name == "html":
        return params
    answer = answer_for(store, params, media)
    rv = name_vary(Response(answer.body, 200, content_type=media.content_type), req.environ)
    keepable(rv)  # X-Cache: "hit" when sent again from the response cache (web.app)
    if answer.truncated:
        rv.headers["X-Result-Truncated"] = str(state["settings"].max_result_rows)
    return rv


@bp.route("/query")
def query_page(req: ProtocolRequest | None = None) -> Response:
    """The query page: YASGUI where JavaScript runs, a plain form and an HTML table otherwise.
    At ``/query`` it is the page whatever Accept asks, in the language chosen (its layout says
    so: Vary: Accept-Language); at ``/sparql`` the negotiation that chose it (:func:`respond`)
    records Accept too."""
    choose_lang()  # the layout's language (layout_lang): here a bad one is a 400
    if req is None:
        req = protocol_request(request)
    result, error = None, None
    if req.query:
        try:
            result = get_store().query(req.query, default_graphs=req.default_graphs,
                                       named_graphs=req.named_graphs)
        except QueryError as e:
            error = e
    html = render_template(
        "query.html", query=req.query or example_queries()[0]["query"], result=result,
        error=error, examples=example_queries(), prefixes=prefixes(),
        formats=[m for m in MEDIA_TYPES if m.serves("select") or m.serves("construct")],
        iris=Iris(get_settings().base_iri), url_for_iri=_local_url, labels_max=MAX_LABELS,
    )
    return Response(html, error.status if error else 200, content_type="text/html; charset=utf-8")


def protocol_request(req: Request) -> ProtocolRequest:
    """Read the protocol's parameters, refusing what the protocol calls an error (4xx)."""
    if req.method != "POST":
        return _url_params(req.query_string)
    params = parse_params(req.query_string, "the URL's query string")
    if req.method == "POST":
        mime = req.mimetype
        _check_charset(req)
        if mime == _FORM:
            params += parse_params(req.get_data(), "the form body")
        elif mime == _DIRECT:
            params.append(("query", _decode(req.get_data(), "the request body")))
        elif mime == _UPDATE:
            raise QueryError("this endpoint is read-only: SPARQL Update is not allowed", 403)
        else:
            raise QueryError(
                f"a POST must have Content-Type {_FORM} or {_DIRECT}, not "
                f"{mime or 'none'}", 415)
    return read_params(params)


@functools.lru_cache(maxsize=1024)
def _url_params(query_string: bytes) -> ProtocolRequest:
    # a pure function of the URL, asked on every GET: repeated queries are the common case
    return read_params(parse_params(query_string, "the URL's query string"))


def read_params(params: list[tuple[str, str]]) -> ProtocolRequest:
    """The protocol's parameters, however they came, refusing what the protocol calls an
    error (4xx)."""
    names = [k for k, _ in params]
    if "update" in names:
        raise QueryError("this endpoint is read-only: SPARQL Update is not allowed", 403)
    query = single("query", None, MultiDict(params))  # a second query is a 400
    for name, value in params:
        if name in ("default-graph-uri", "named-graph-uri") and not is_iri(value):
            raise QueryError(f"{name}={value!r} is not an IRI (with a scheme, such as "
                             "https://w3id.org/hld2006/graph/source)")
    return ProtocolRequest(
        query=query,
        default_graphs=tuple(v for k, v in params if k == "default-graph-uri"),
        named_graphs=tuple(v for k, v in params if k == "named-graph-uri"),
        formats=tuple(v for k, v in params if k == "format"),
    )


def parse_params(raw: bytes, where: str) -> list[tuple[str, str]]:
    """The parameters of a query string or form, read as UTF-8 text (RFC 3986 §2.5), or a 400
    saying ``where`` is not: for the endpoint, and for every route's URL (``web.app``)."""
    try:
        return parse_qsl(_decode(raw, where), keep_blank_values=True, errors="strict")
    except UnicodeDecodeError:
        raise QueryError(f"{where} is not valid UTF-8 once percent-decoded") from None


def _decode(raw: bytes, where: str) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as e:
        raise QueryError(f"{where} is not valid UTF-8 (byte {e.start})") from None


def _check_charset(req: Request) -> None:
    charset = req.mimetype_params.get("charset")
    if charset and charset.lower().replace("_", "-") not in {"utf-8", "utf8"}:
        raise QueryError(f"the request body must be UTF-8, not {charset}")


# ---- answers -------------------------------------------------------------------------------

def answer_for(store: Store, req: ProtocolRequest, media: MediaType) -> Answer:
    """The answer to a query in ``media``, evaluated by the store (a GET's response is kept
    whole by the one response cache, around this path: see ``hldgraph.web.cache``)."""
    assert req.query is not None
    return store.answer(req.query, media, default_graphs=req.default_graphs,
                        named_graphs=req.named_graphs)


# ---- service description -------------------------------------------------------------------

def service_description() -> Response:
    """SPARQL 1.1 Service Description of this endpoint, as Turtle, RDF/XML or JSON-LD; the
    query page where the one negotiation (:func:`~hldgraph.formats.negotiate`) chooses HTML,
    for GET and HEAD alike (RFC 9110 §9.3.2). Every representation says Vary: Accept,
    Accept-Language, the page's language included (RFC 9110 §12.5.5)."""
    varies(request.environ, "Accept", "Accept-Language")
    try:
        media = links.document_media()
    except NotAcceptable:
        media = BY_NAME["turtle"]  # a description is better than nothing at the endpoint
    if media.name == "html":
        return query_page()
    endpoint = links.url(links.SPARQL, external=True)  # under SCRIPT_NAME and base_path
    return Response(serialize_graph(describe_service(endpoint), media), 200,
                    content_type=media.content_type)


def describe_service(endpoint_url: str) -> Graph:
    g = Graph()
    service = URIRef(endpoint_url)
    dataset = URIRef(endpoint_url + "#dataset")
    default = URIRef(endpoint_url + "#default-graph")
    g.bind("sd", SD)
    g.add((service, RDF.type, SD.Service))
    g.add((service, SD.endpoint, service))
    g.add((service, SD.supportedLanguage, SD.SPARQL11Query))
    g.add((service, SD.feature, SD.UnionDefaultGraph))
    if get_settings().federation:
        g.add((service, SD.feature, SD.BasicFederatedQuery))
    for media in MEDIA_TYPES:
        if media.w3c and (media.serves("select") or media.serves("construct")):
            g.add((service, SD.resultFormat, URIRef(media.w3c)))
    g.add((service, SD.defaultDataset, dataset))
    g.add((dataset, RDF.type, SD.Dataset))
    g.add((dataset, SD.defaultGraph, default))
    g.add((default, RDF.type, SD.Graph))
    for i, name in enumerate(get_store().graphs(), 1):
        node = URIRef(f"{endpoint_url}#named-graph-{i}")
        g.add((dataset, SD.namedGraph, node))
        g.add((node, RDF.type, SD.NamedGraph))
        g.add((node, SD.name, URIRef(name)))
    g.add((service, URIRef("http://purl.org/dc/terms/title"),
           Literal("SPARQL endpoint of the HLD 2006 knowledge graph", lang="en")))
    return g


# ---- the query page ------------------------------------------------------------------------

def example_queries() -> list[dict[str, str]]:
    """The example queries of ``web/queries/*.rq``: a first line ``# title`` then the query.

    They are written with the default base IRI and rebased to the configured one.
    """
    examples = []
    for path in sorted(QUERIES_DIR.glob("*.rq")):
        text = rebase(path.read_text(encoding="utf-8"), get_settings().base_iri)
        first = text.partition("\n")[0]
        title = first.lstrip("#").strip() if first.startswith("#") else path.stem
        examples.append({"name": path.stem, "title": title, "query": text,
                         "url": links.url(links.SPARQL, {"query": text, "format": "html"},
                                          lang=True)})
    return examples


def _local_url(iri: str) -> str:
    """Where a browser can follow an IRI: local ones on this server, others as they are."""
    return links.iri_link(iri)
