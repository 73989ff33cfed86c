"""The web application: ``create_app(settings, store)`` builds it; each part is a blueprint.

What every response shares lives here: the JSON error shape ``{ok, error, status}`` (or a small
HTML page for browsers), CORS for reads, ETags derived from the build's digest, the request-size
limit, and the ``/-/health`` and ``/-/settings.json`` routes.
"""

from __future__ import annotations

import hashlib
import importlib
import logging
from types import ModuleType
from typing import Any

from flask import Flask, Response, current_app, jsonify, render_template, request
from werkzeug.exceptions import HTTPException
from werkzeug.http import http_date

from hldgraph.errors import HldgraphError
from hldgraph.settings import Settings, load_settings
from hldgraph.store import Store, open_store
from hldgraph.web.cache import RepeatedGets

log = logging.getLogger(__name__)

#: Modules whose ``bp`` blueprint is registered, in order; a missing module is skipped.
BLUEPRINTS = (
    "hldgraph.web.health",
    "hldgraph.web.sparql",
    "hldgraph.web.resources",
    "hldgraph.web.catalog",
)


def create_app(settings: Settings | None = None, store: Store | None = None) -> Flask:
    """The Flask application serving ``store`` (opened from ``settings`` when not given)."""
    settings = settings or load_settings()
    store = store or open_store(settings)
    app = Flask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = settings.max_request_bytes
    app.extensions["hldgraph"] = {"settings": settings, "store": store}
    for name in BLUEPRINTS:
        module = _optional_module(name)
        if module is not None:
            app.register_blueprint(module.bp)
    app.register_error_handler(HldgraphError, _error)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(Exception, _unexpected)
    app.before_request(_preflight)
    app.after_request(_cors)
    app.after_request(_etag)
    app.add_url_rule("/-/health", "health", _health)
    app.add_url_rule("/-/settings.json", "settings", _settings)
    from hldgraph.web.sparql import QueryLane

    app.wsgi_app = RepeatedGets(  # type: ignore[method-assign]
        QueryLane(app, app.wsgi_app), settings.cache_entries, lambda: store.digest)
    return app


def _optional_module(name: str) -> ModuleType | None:
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as e:
        if e.name != name:  # the module exists but something it imports does not
            raise
        return None


def get_store() -> Store:
    """The store of the running application."""
    return current_app.extensions["hldgraph"]["store"]


def get_settings() -> Settings:
    """The settings of the running application."""
    return current_app.extensions["hldgraph"]["settings"]


def wants_html() -> bool:
    """Whether the client is a browser: it prefers HTML to JSON."""
    accept = request.accept_mimetypes
    return accept.best_match(["application/json", "text/html"]) == "text/html" and (
        accept["text/html"] > accept["application/json"])


def error_response(message: str, status: int) -> Response:
    """The one error shape: JSON for machines, a small page for browsers."""
    if wants_html():
        rv = Response(render_template("error.html", message=message, status=status), status,
                      content_type="text/html; charset=utf-8")
    else:
        rv = jsonify({"ok": False, "error": message, "status": status})
        rv.status_code = status
    return rv


def _error(e: HldgraphError) -> Response:
    return error_response(e.message, e.status)


def _http_error(e: HTTPException) -> Response:
    status = e.code or 500
    message = e.description or e.name
    if status == 413:
        limit = get_settings().max_request_bytes
        message = f"the request body is larger than the limit of {limit} bytes"
        _drain_body()
    rv = error_response(message, status)
    if status == 405 and e.get_response().headers.get("Allow"):
        rv.headers["Allow"] = e.get_response().headers["Allow"]
    return rv


#: A refused body up to this size is read and dropped, so that its connection can be reused.
MAX_DRAINED_BYTES = 16 << 20


def _drain_body() -> None:
    """Reads the unread body of a refused request: left on a kept-alive connection, its bytes
    would be taken for the next request. A larger body is left; the client must reconnect."""
    stream, left = request.environ.get("wsgi.input"), request.content_length or 0
    if stream is None or left > MAX_DRAINED_BYTES:
        return
    while left > 0:
        chunk = stream.read(min(left, 1 << 16))
        if not chunk:
            return
        left -= len(chunk)


def _unexpected(e: Exception) -> Response:
    log.exception("unexpected error on %s %s", request.method, request.path)
    return Response("Internal Server Error\n", 500, content_type="text/plain; charset=utf-8")


def _preflight() -> Response | None:
    """Answer CORS preflight requests: reads (GET, HEAD, POST of a query) from any origin."""
    if request.method == "OPTIONS" and "Access-Control-Request-Method" in request.headers:
        rv = Response(status=204)
        rv.headers["Access-Control-Allow-Methods"] = "GET, HEAD, POST, OPTIONS"
        rv.headers["Access-Control-Allow-Headers"] = request.headers.get(
            "Access-Control-Request-Headers", "Accept, Content-Type")
        rv.headers["Access-Control-Max-Age"] = "86400"
        return rv
    return None


#: Every response may be read from any origin (the data is open; nothing needs credentials).
CORS_HEADERS = (("Access-Control-Allow-Origin", "*"),
                ("Access-Control-Expose-Headers", "ETag, Link, X-Result-Truncated, X-Cache"))


def _cors(rv: Response) -> Response:
    for name, value in CORS_HEADERS:
        rv.headers[name] = value
    return rv


#: Request headers that can turn a 200 into a 304, 412 or 206.
CONDITIONAL = frozenset({"HTTP_IF_NONE_MATCH", "HTTP_IF_MODIFIED_SINCE", "HTTP_IF_MATCH",
                          "HTTP_IF_UNMODIFIED_SINCE", "HTTP_RANGE"})


def _etag(rv: Response) -> Response:
    """ETag = build digest + the variant asked for, Last-Modified = the build's time; 304 when
    the client has it already.

    The data never changes while a build is served, so a URL, its query string and the
    negotiated media type identify a response.
    """
    if request.method not in {"GET", "HEAD"} or rv.status_code != 200:
        return rv
    if rv.direct_passthrough:  # static files set their own validators
        return rv
    for name, value in validators(get_store(), request.environ, rv.content_type or ""):
        rv.headers.setdefault(name, value)
    if CONDITIONAL.isdisjoint(request.environ):
        return rv
    return rv.make_conditional(request)


def validators(store: Store, environ: dict[str, Any], content_type: str) -> list[tuple[str, str]]:
    """ETag (the build's digest and the variant asked for) and Last-Modified (the build's time)
    of a 200 answer to a GET."""
    # the raw path and query: a URL and the negotiated media type identify a response
    variant = "\n".join((store.digest, environ.get("PATH_INFO", ""),
                          environ.get("QUERY_STRING", ""), content_type))
    rv = [("ETag", f'"{hashlib.sha256(variant.encode()).hexdigest()[:32]}"')]
    if store.modified:
        rv.append(("Last-Modified", http_date(store.modified)))
    return rv


def _health() -> Response:
    store = get_store()
    return jsonify({"ok": True, "digest": store.digest, "graphs": len(store.graphs())})


def _settings() -> Response:
    return jsonify(get_settings().public())
