"""What every response shares: the one finaliser and the one error shape.

Every request goes through one sequence: parse parameters → negotiate → answer (a view) →
:func:`finalise` (validators, preconditions, the headers a status requires, CORS). Flask calls
:func:`finalise` after every view; the endpoint's fast path (see ``web.app``) calls the same
view function and then the same :func:`finalise`.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import math
import re
from collections.abc import Callable
from typing import Any, overload

from flask import Response, current_app, jsonify, render_template, request
from werkzeug.datastructures import Headers
from werkzeug.http import (
    http_date,
    parse_date,
    parse_etags,
    parse_range_header,
    remove_entity_headers,
)

from hldgraph.errors import HldgraphError
from hldgraph.formats import quality
from hldgraph.qvalues import MalformedQvalue
from hldgraph.settings import Settings
from hldgraph.store import Store
from hldgraph.web.cache import conditional

#: Makes the error response of a status from its message (``error_response`` in a request).
ErrorMaker = Callable[[str, int], Response]

#: Every response may be read from any origin (the data is open; nothing needs credentials),
#: with the headers a script needs beyond the safelisted ones: Memento-Datetime says which
#: release a memento is (RFC 7089 §2.1.1).
CORS_HEADERS = (("Access-Control-Allow-Origin", "*"),
                ("Access-Control-Expose-Headers",
                 "ETag, Link, Memento-Datetime, X-Result-Truncated, X-Cache"))

_READS = frozenset({"GET", "HEAD"})

#: Statuses whose answers carry no content: No Content and the redirects (a 304 is made apart).
_WITHOUT_CONTENT = frozenset({204, 300, 301, 302, 303, 307, 308})

#: Where a request records the request headers that its answer depends on (:func:`varies`).
_VARY = "hldgraph.vary"


def get_store() -> Store:
    """The store of the running application."""
    return current_app.extensions["hldgraph"]["store"]


def get_settings() -> Settings:
    """The settings of the running application."""
    return current_app.extensions["hldgraph"]["settings"]


_WHOLE = re.compile(r"[0-9]{1,15}")


def whole_number(raw: str, low: int = 0, high: int | None = None) -> int | None:
    """A whole-number parameter's value from ``low`` to ``high``, or None (its view names it in
    a 400). ASCII digits only: ``str.isdigit`` also takes '²', which ``int`` refuses, and
    ``int`` refuses more than 4,300 digits."""
    if not _WHOLE.fullmatch(raw):
        return None
    n = int(raw)
    return n if low <= n and (high is None or n <= high) else None


@overload
def single(name: str, default: str, args: Any = None) -> str: ...
@overload
def single(name: str, default: None = None, args: Any = None) -> str | None: ...


def single(name: str, default: str | None = None, args: Any = None) -> str | None:
    """The one value of the single-valued parameter ``name`` of ``args`` (a MultiDict; by
    default the request's query string), ``default`` where it is absent. Given twice or more
    it is a 400 naming it: a second value is refused, never dropped, on every route. Parameters
    that repeat by design (search's ``type``, ``iri``, a SPARQL dataset's graphs, ``format``)
    are read with ``getlist``."""
    given = (request.args if args is None else args).getlist(name)
    if len(given) > 1:
        raise HldgraphError(f"{name} is given {len(given)} times: give it once (it takes one "
                            "value)", 400)
    return given[0] if given else default


def varies(environ: dict[str, Any], *names: str) -> None:
    """Record that the answer to this request depends on the request headers ``names``: the
    finaliser names them in Vary on whatever response the request gets, each representation
    and each error alike, as a cache keys on them (RFC 9110 §12.5.5). A view declares them
    before it branches, where it decides what the resource varies on, not per answer."""
    environ.setdefault(_VARY, {}).update(dict.fromkeys(names))  # in order: the same bytes


def name_vary(rv: Response, environ: dict[str, Any]) -> Response:
    """``rv`` with the request headers recorded by :func:`varies` named in its Vary."""
    named = environ.get(_VARY)
    if named:
        rv.vary.update(named)
    return rv


def wants_html() -> bool:
    """Whether the client is a browser: its Accept prefers HTML to JSON (ties go to JSON).
    The answer varies on Accept, and on Accept-Language, the language of the page."""
    varies(request.environ, "Accept", "Accept-Language")
    accept = request.headers.get("Accept")
    return quality(accept, "text/html") > quality(accept, "application/json")


def error_response(message: str, status: int) -> Response:
    """The one error shape: ``{ok: false, error, status}`` for machines, a small page (in the
    language Accept-Language chooses) for browsers. Either way it depends on Accept and
    Accept-Language, which :func:`wants_html` records (:func:`varies`) for the finaliser to
    name in Vary with what the resource's view recorded before it failed (RFC 9110 §12.5.5):
    every error is made in a request that the finaliser ends. An Accept too malformed to
    read (its own 400) gets JSON."""
    try:
        html = wants_html()
    except MalformedQvalue:
        html = False
    if html:
        rv = Response(render_template("error.html", message=message, status=status), status,
                      content_type="text/html; charset=utf-8")
    else:
        rv = jsonify({"ok": False, "error": message, "status": status})
        rv.status_code = status
    return rv


def finalise(rv: Response, environ: dict[str, Any], store: Store, error: ErrorMaker
             ) -> Response:
    """The last step of every request: for a 200 to a GET or HEAD, the validators and the
    preconditions (→ 304, 412, 206 or 416); then the headers the status requires, the
    request headers the answer depends on in Vary (:func:`varies`), and CORS.

    ``error`` makes the error response of a precondition that fails.
    """
    if environ.get("REQUEST_METHOD") in _READS and rv.status_code == 200:
        if not rv.direct_passthrough:  # a file carries its own validators (its SHA-256)
            for name, value in validators(store, environ, rv.headers):
                rv.headers.setdefault(name, value)
        rv = _conditional(rv, environ, error)
    if rv.status_code == 503 and "Retry-After" not in rv.headers:
        # RFC 9110 §15.6.4: a query turned away now may be answered once the others are done
        rv.headers["Retry-After"] = str(max(1, math.ceil(store.settings.query_time_limit_s)))
    if rv.status_code in _WITHOUT_CONTENT or (
            environ.get("REQUEST_METHOD") == "OPTIONS" and rv.status_code == 200):
        _without_content(rv)
    name_vary(rv, environ)
    for name, value in CORS_HEADERS:
        rv.headers[name] = value
    return rv


def _without_content(rv: Response) -> None:
    """An answer with no content has no Content-Type: a 204 (RFC 9110 §15.3.5), an OPTIONS
    answer whose header fields say it all (§9.3.7), and a redirect, whose Location and Link say
    where to go (§15.4: the short note werkzeug writes into a routing redirect is left out, as
    every redirect of the site's own has none)."""
    if rv.is_sequence and rv.get_data():
        rv.set_data(b"")
    elif not rv.is_sequence:  # a file or a stream: not ours to send here
        rv.close()
        rv.response = []
        rv.headers["Content-Length"] = "0"
    rv.headers.pop("Content-Type", None)
    if rv.status_code == 204:
        rv.headers.pop("Content-Length", None)


def validators(store: Store, environ: dict[str, Any], headers: Headers
               ) -> tuple[tuple[str, str], ...]:
    """ETag and Last-Modified of a 200 answer to a GET.

    The data never changes while a build is served, so the build's digest, the URL and the
    representation's own dimensions (its Content-Type, Content-Language and Content-Encoding)
    identify a response: each negotiated representation has its own entity tag (RFC 9110
    §8.8.3). Last-Modified is the build's time.
    """
    return _validators(store.digest, store.modified, environ.get("SCRIPT_NAME", ""),
                       environ.get("PATH_INFO", ""), environ.get("QUERY_STRING", ""),
                       headers.get("Content-Type", ""), headers.get("Content-Language", ""),
                       headers.get("Content-Encoding", ""))


@functools.lru_cache(maxsize=1024)
def _validators(digest: str, modified: dt.datetime | None, *variant: str
                ) -> tuple[tuple[str, str], ...]:
    # a pure function of its arguments, asked for every 200: repeated requests are common
    tag = hashlib.sha256("\n".join((digest, *variant)).encode()).hexdigest()[:32]
    if modified:
        return ("ETag", f'"{tag}"'), ("Last-Modified", http_date(modified))
    return (("ETag", f'"{tag}"'),)


def preconditions(environ: dict[str, Any], etag: str | None, modified: str | None) -> int:
    """200 when the request's preconditions hold for a representation with ``etag`` and
    Last-Modified ``modified``, else 304 or 412; evaluated in RFC 9110 §13.2.2's order:
    If-Match, If-Unmodified-Since, If-None-Match, If-Modified-Since."""
    read = environ.get("REQUEST_METHOD") in _READS
    tag = (etag or "").removeprefix("W/").strip('"')
    weak = (etag or "").startswith("W/")
    last = parse_date(modified)
    if "HTTP_IF_MATCH" in environ:
        wanted = parse_etags(environ["HTTP_IF_MATCH"])
        if not (wanted.star_tag or (not weak and wanted.is_strong(tag))):  # strong comparison
            return 412
    elif (since := parse_date(environ.get("HTTP_IF_UNMODIFIED_SINCE"))) and last and (
            last > since):
        return 412
    if "HTTP_IF_NONE_MATCH" in environ:
        if etag is not None and parse_etags(environ["HTTP_IF_NONE_MATCH"]).contains_weak(tag):
            return 304 if read else 412
    elif read and (since := parse_date(environ.get("HTTP_IF_MODIFIED_SINCE"))) and last and (
            last <= since):
        return 304
    return 200


def _conditional(rv: Response, environ: dict[str, Any], error: ErrorMaker) -> Response:
    if conditional(environ):  # most requests have nothing to evaluate: skip parsing dates
        status = preconditions(environ, rv.headers.get("ETag"), rv.headers.get("Last-Modified"))
        if status == 304:
            return _not_modified(rv)
        if status == 412:
            rv.close()
            return error("a precondition of the request (If-Match or If-Unmodified-Since) "
                         "does not hold for the current representation", 412)
    if rv.is_sequence or _file(rv):
        rv.headers["Accept-Ranges"] = "bytes"
        return _range(rv, environ, error)
    return rv


def _file(rv: Response) -> bool:
    """Whether ``rv`` sends a file of known length that can be read from any byte (send_file
    called with ``conditional=False``: its preconditions and ranges are decided here)."""
    seekable = getattr(rv.response, "seekable", None)
    return bool(rv.direct_passthrough and rv.content_length is not None and callable(seekable)
                and seekable())


def _not_modified(rv: Response) -> Response:
    """RFC 9110 §15.4.5: a 304 keeps ETag, Vary, Last-Modified and the like, and has no body."""
    rv.close()
    rv.status_code = 304
    rv.response = []
    remove_entity_headers(rv.headers)
    rv.headers.pop("Content-Length", None)
    return rv


def _range(rv: Response, environ: dict[str, Any], error: ErrorMaker) -> Response:
    """206 for a satisfiable single byte range, 416 for an unsatisfiable one (RFC 9110 §14);
    a Range whose If-Range does not match, or one not understood (its syntax, or a unit other
    than bytes, which §14.2 says MUST be ignored), is ignored (a 200)."""
    asked = parse_range_header(environ.get("HTTP_RANGE"))
    if (environ.get("REQUEST_METHOD") != "GET" or asked is None or asked.units != "bytes"
            or len(asked.ranges) != 1):
        return rv
    if_range = environ.get("HTTP_IF_RANGE")
    if if_range is not None and if_range not in {rv.headers.get("ETag"),
                                                 rv.headers.get("Last-Modified")}:
        return rv
    size = len(rv.get_data()) if rv.is_sequence else rv.content_length or 0
    span = asked.range_for_length(size)
    if span is None:
        rv.close()
        failed = error(f"the range {environ['HTTP_RANGE']} is outside the {size} bytes "
                       "of this representation", 416)
        failed.headers["Content-Range"] = f"bytes */{size}"
        return failed
    start, stop = span
    if rv.is_sequence:
        rv.set_data(rv.get_data()[start:stop])
    else:
        rv.response = _Slice(rv.response, start, stop - start)
        rv.content_length = stop - start
    rv.status_code = 206
    rv.headers["Content-Range"] = f"bytes {start}-{stop - 1}/{size}"
    return rv


class _Slice:
    """``length`` bytes from ``start`` of a file's body (a seekable WSGI file wrapper), read
    as it is sent; closing it closes the file."""

    def __init__(self, body: Any, start: int, length: int) -> None:
        self.body, self.left = body, length
        body.seek(start)

    def __iter__(self) -> _Slice:
        return self

    def __next__(self) -> bytes:
        if self.left <= 0:
            raise StopIteration
        chunk = next(self.body)[:self.left]
        self.left -= len(chunk)
        return chunk

    def close(self) -> None:
        getattr(self.body, "close", lambda: None)()
