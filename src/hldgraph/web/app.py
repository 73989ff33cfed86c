"""The web application: ``create_app(settings, store)`` builds it; each part is a blueprint.

Every request takes one path: a view (parse parameters → negotiate → answer), then
:func:`hldgraph.web.http.finalise`. A ``GET /sparql?query=…`` skips only Flask's routing: the
:class:`QueryShortcut` calls the endpoint's own function and then the same finaliser, and hands
every error to the app's error handlers, as Flask would.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable, Iterable
from functools import partial
from types import ModuleType
from typing import Any

from flask import Flask, Response, current_app, jsonify, request
from werkzeug.exceptions import HTTPException

from hldgraph.errors import HldgraphError
from hldgraph.settings import Settings, load_settings
from hldgraph.store import Store, open_store
from hldgraph.web import sparql
from hldgraph.web.cache import MARK, Kept, Responses, conditional
from hldgraph.web.http import error_response, finalise, get_settings, get_store
from hldgraph.web.json_encoding import OrjsonProvider
from hldgraph.web.releases import ReleaseMount

log = logging.getLogger(__name__)

#: Modules whose ``bp`` blueprint is registered, in order; a missing module is skipped.
BLUEPRINTS = (
    "hldgraph.web.health",
    "hldgraph.web.sparql",
    "hldgraph.web.resources",
    "hldgraph.web.catalog",
    "hldgraph.web.search",
    "hldgraph.web.reconcile",
    "hldgraph.web.timegate",
    "hldgraph.web.history",
)


def create_app(settings: Settings | None = None, store: Store | None = None,
               release: str | None = None) -> Flask:
    """The Flask application serving ``store`` (opened from ``settings`` when not given).

    ``release``: the version this application serves, mounted at ``/release/{version}`` by
    the main application (:mod:`hldgraph.web.releases`), which serves the latest build; the
    version is ``app.extensions["hldgraph"]["release"]`` (None for the main application).
    """
    settings = settings or load_settings()
    store = store or open_store(settings)
    app = Flask("hldgraph.web")
    app.json = OrjsonProvider(app)
    app.config["MAX_CONTENT_LENGTH"] = settings.max_request_bytes
    app.extensions["hldgraph"] = {"settings": settings, "store": store, "release": release,
                                  "cache": Responses(settings.cache_entries)}
    # Flask runs after-request functions last registered first: the finaliser, registered
    # before the blueprints' own, runs after them all
    app.after_request(_finalise)
    for name in BLUEPRINTS:
        module = _optional_module(name)
        if module is not None:
            app.register_blueprint(module.bp)
    app.register_error_handler(HldgraphError, _error)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(Exception, _unexpected)
    app.before_request(_readable_url)
    app.before_request(_preflight)
    app.add_url_rule("/-/settings.json", "settings", _settings)
    app.wsgi_app = QueryShortcut(app)  # type: ignore[method-assign]
    if release is None:
        app.wsgi_app = ReleaseMount(  # type: ignore[method-assign]
            app.wsgi_app, settings, lambda s, st, v: create_app(s, st, v).wsgi_app)
    return app


def _optional_module(name: str) -> ModuleType | None:
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as e:
        if e.name != name:  # the module exists but something it imports does not
            raise
        return None


def _finalise(rv: Response) -> Response:
    return finalise(rv, request.environ, get_store(), error_response)


class QueryShortcut:
    """WSGI: a ``GET`` or ``HEAD /sparql?query=…`` without Flask's routing, which costs more
    than a cached answer; the one response cache is filled and read here, for every ``GET``
    whose view marked its answer :func:`~hldgraph.web.cache.keepable` too (search, suggest).

    It calls :func:`hldgraph.web.sparql.respond` (the endpoint's own function) and then
    :func:`~hldgraph.web.http.finalise`, as the Flask view and its after-request hook do; when
    ``respond`` answers with a page (the query page) Flask renders it. Any exception goes to the
    app's error handlers in a request context, so that it is shaped and logged as in Flask.
    A 200 to a GET is kept (:class:`~hldgraph.web.cache.Responses`): sent again as finalised,
    or finalised again when the request has preconditions or a range.
    """

    def __init__(self, app: Flask) -> None:
        self.app, self.flask = app, app.wsgi_app
        self.state = app.extensions["hldgraph"]

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]
                 ) -> Iterable[bytes]:
        if environ.get("REQUEST_METHOD") not in {"GET", "HEAD"}:
            return self.flask(environ, start_response)
        store, cache = self.state["store"], self.state["cache"]
        kept = cache.get(environ, store.digest)
        if kept is not None and not conditional(environ):
            start_response("200 OK", kept.final)
            return [kept.body]
        if (environ.get("PATH_INFO") != "/sparql"
                or "query=" not in environ.get("QUERY_STRING", "")):
            return self._flask_kept(environ, start_response)
        try:
            if kept is not None:  # the kept answer, through the finaliser again
                rv = Response(kept.body, 200, headers=kept.headers)
            else:
                made = sparql.respond(self.state, sparql.Request(environ))
                if not isinstance(made, Response):  # a page: Flask's view renders it
                    return self.flask(environ, start_response)
                rv, kept = made, _keepable(made, environ) if cache.size > 0 else None
            rv = finalise(rv, environ, store, partial(self._error, environ))
        except Exception as e:  # shaped (and logged) by the app's handlers, as in Flask
            rv, kept = self._handled(environ, e), None
        if kept is None or kept.final or rv.status_code != 200:
            return rv(environ, start_response)
        app_iter, status, headers = rv.get_wsgi_response(environ)
        final = list(headers)  # werkzeug gives them as a WSGI list
        cache.put(environ, store.digest, rv.headers.get("Vary", ""),
                  kept._replace(final=[(k, "hit" if k == MARK else v) for k, v in final]))
        start_response(status, final)
        return app_iter

    def _flask_kept(self, environ: dict[str, Any], start_response: Callable[..., Any]
                    ) -> Iterable[bytes]:
        """Flask's answer; a 200 to a GET that its view marked :func:`~hldgraph.web.cache.
        keepable` is kept as sent (a request with preconditions or a range goes to Flask)."""
        store, cache = self.state["store"], self.state["cache"]
        if cache.size <= 0 or environ.get("REQUEST_METHOD") != "GET" or conditional(environ):
            return self.flask(environ, start_response)
        digest, sent = store.digest, dict[str, Any]()

        def capture(status: str, headers: list[tuple[str, str]], *exc: Any) -> Any:
            sent.update(status=status, headers=headers)
            return start_response(status, headers, *exc)

        app_iter = self.flask(environ, capture)
        status, headers = sent.get("status", ""), sent.get("headers", [])
        if not status.startswith("200") or (MARK, "miss") not in headers:
            return app_iter
        try:
            body = b"".join(app_iter)
        finally:
            getattr(app_iter, "close", lambda: None)()
        vary = ", ".join(v for k, v in headers if k.lower() == "vary")
        cache.put(environ, digest, vary, Kept([], [(k, "hit" if k == MARK else v)
                                                   for k, v in headers], body))
        return [body]

    def _error(self, environ: dict[str, Any], message: str, status: int) -> Response:
        with self.app.request_context(environ):
            return error_response(message, status)

    def _handled(self, environ: dict[str, Any], error: Exception) -> Response:
        with self.app.request_context(environ):
            return self.app.finalize_request(self.app.handle_user_exception(error),
                                             from_error_handler=True)


def _keepable(rv: Response, environ: dict[str, Any]) -> Kept | None:
    """What the cache keeps of a view's 200 to a GET without preconditions (its headers as
    the view made them, its body), or None: a streamed answer is too large to keep."""
    if (rv.status_code != 200 or not rv.is_sequence or environ.get("REQUEST_METHOD") != "GET"
            or conditional(environ)):
        return None
    headers = [(k, "hit" if k == MARK else v) for k, v in rv.headers.items()]
    return Kept(headers, [], rv.get_data())


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
    allow = e.get_response().headers.get("Allow") if status == 405 else None
    if allow:  # RFC 9110 §15.5.6: a 405 says which methods the resource has
        rv.headers["Allow"] = allow
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


def _readable_url() -> None:
    """Every route's parameters are UTF-8 text: werkzeug reads a bad percent-escape (%FF) as
    '%FF' or U+FFFD, and a view would answer for a text nobody sent (a 400, as the endpoint)."""
    if request.query_string:
        sparql.parse_params(request.query_string, "the URL's query string")


def _preflight() -> Response | None:
    """Answer CORS preflight requests from any origin, with the methods the path allows (a POST
    only where it is a read: a query, a reconciliation batch); a path that is no route is
    left to its 404."""
    if request.method == "OPTIONS" and "Access-Control-Request-Method" in request.headers:
        adapter = current_app.create_url_adapter(request)
        allowed = adapter.allowed_methods() if adapter is not None else []
        if not allowed:
            return None
        rv = Response(status=204)
        rv.headers["Access-Control-Allow-Methods"] = ", ".join(sorted(allowed))
        rv.headers["Access-Control-Allow-Headers"] = request.headers.get(
            "Access-Control-Request-Headers", "Accept, Content-Type")
        rv.headers["Access-Control-Max-Age"] = "86400"
        return rv
    return None


def _settings() -> Response:
    return jsonify(get_settings().public())
