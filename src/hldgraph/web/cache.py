"""Responses kept in memory: the published data changes only with a new build (or push).

One cache per app, :class:`Responses`, filled and read around the one request path of
``GET /sparql?query=…`` (``hldgraph.web.app.QueryShortcut``): it keeps what that path answered,
keyed by exactly what the answer depends on, the data's digest, the method, SCRIPT_NAME, the
path, the query string, and the request headers that the response itself names in Vary. A
request with preconditions or a range gets the kept answer through the one finaliser
(``hldgraph.web.http.finalise``) again; any other gets the finalised response it would get.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable
from typing import Any, NamedTuple, TypeVar

from werkzeug.wrappers import Response

#: Answers larger than this are not kept: they would crowd out many small ones.
MAX_CACHED_BYTES = 1 << 20
#: The header that marks an answer the cache may keep ("miss"), and says so when sent from it
#: ("hit").
MARK = "X-Cache"

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]
R = TypeVar("R", bound=Response)


class LRU:
    """The ``size`` last used values by key (``size`` 0 keeps nothing)."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._items: OrderedDict[Any, Any] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Any) -> Any:
        with self._lock:
            value = self._items.get(key)
            if value is not None:
                self._items.move_to_end(key)
            return value

    def put(self, key: Any, value: Any, nbytes: int) -> None:
        if self.size <= 0 or nbytes > MAX_CACHED_BYTES:
            return
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)


class Kept(NamedTuple):
    """A kept 200: its headers before and after the finaliser, and its body."""

    headers: list[tuple[str, str]]  # as the view made them (X-Cache: hit)
    final: list[tuple[str, str]]  # as sent to a request without preconditions
    body: bytes


class Responses:
    """The one response cache (see the module): ``size`` responses, 0 keeps nothing.

    The key is the URL's (:func:`url_key`), the request headers that the response's Vary names,
    and their values in the request. The names are those of the last response kept for the
    path (one path here, /sparql); they are part of the key, so that a response kept under
    other names is never taken for this one.
    """

    def __init__(self, size: int) -> None:
        self.size = size
        self._lru = LRU(size)
        self._names: dict[str, tuple[str, ...]] = {}  # path -> WSGI keys, e.g. HTTP_ACCEPT

    def get(self, environ: dict[str, Any], digest: str) -> Kept | None:
        """The response kept for this request, or None."""
        names = self._names.get(environ.get("PATH_INFO", ""))
        if names is None:
            return None
        # url_key, written out: this is all that a repeated GET costs
        return self._lru.get((digest, environ.get("REQUEST_METHOD"),
                              environ.get("SCRIPT_NAME", ""), environ.get("PATH_INFO", ""),
                              environ.get("QUERY_STRING", ""), names,
                              tuple(map(environ.get, names))))

    def put(self, environ: dict[str, Any], digest: str, vary: str, kept: Kept) -> None:
        """Keep a response whose Vary header is ``vary``."""
        names = tuple(sorted({"HTTP_" + v.strip().upper().replace("-", "_")
                              for v in vary.split(",") if v.strip()}))
        if self.size <= 0 or "HTTP_*" in names:  # RFC 9110 §12.5.5: not the request alone
            return
        self._names[environ.get("PATH_INFO", "")] = names
        self._lru.put((*url_key(environ, digest), names, tuple(map(environ.get, names))),
                      kept, len(kept.body))


    def body(self, key: tuple[Any, ...], make: Callable[[], bytes]) -> bytes:
        """``make()``, kept in the same LRU under ``key`` (which must name the data's digest):
        a body that costs more to make than to keep, such as a framed JSON-LD document, which
        the response it goes into then carries through the one finaliser."""
        full = ("body", *key)
        body = self._lru.get(full)
        if body is None:
            body = make()
            self._lru.put(full, body, len(body))
        return body


def keepable(rv: R) -> R:
    """``rv``, marked as an answer the cache may keep: one that depends on nothing but the
    data, the URL and the request headers its Vary names (no clock, no store state)."""
    rv.headers[MARK] = "miss"
    return rv


def url_key(environ: dict[str, Any], digest: str) -> tuple[Any, ...]:
    """What a response depends on besides its Vary headers: the data, method and URL."""
    return (digest, environ.get("REQUEST_METHOD"), environ.get("SCRIPT_NAME", ""),
            environ.get("PATH_INFO", ""), environ.get("QUERY_STRING", ""))


def conditional(environ: dict[str, Any]) -> bool:
    """Whether the request has preconditions or a range (If-Match, If-None-Match,
    If-Modified-Since, If-Unmodified-Since, Range), which the finaliser must evaluate."""
    # asked of every request the cache may answer: five lookups, not a walk over the environ
    return ("HTTP_IF_MATCH" in environ or "HTTP_IF_NONE_MATCH" in environ
            or "HTTP_IF_MODIFIED_SINCE" in environ or "HTTP_IF_UNMODIFIED_SINCE" in environ
            or "HTTP_RANGE" in environ)
