"""Answers kept in memory: the published data changes only with a new build (or push).

Two layers share one LRU: the endpoint keeps answers by normalised query, dataset and media type
(so a POST and a GET of the same query share one); in front of Flask, ``RepeatedGets`` sends a
repeated ``GET /sparql?query=…`` its stored response without routing, parsing or negotiating
again, the cheapest thing a Python server can do for a request.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable
from typing import Any

#: Answers larger than this are not kept: they would crowd out many small ones.
MAX_CACHED_BYTES = 1 << 20

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


class LRU:
    """The ``size`` last used values by key; values are (…, body bytes) or have ``.body``."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._items: OrderedDict[Any, Any] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Any) -> Any:
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        return None

    def put(self, key: Any, value: Any, nbytes: int) -> None:
        if self.size <= 0 or nbytes > MAX_CACHED_BYTES:
            return
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)


class RepeatedGets:
    """WSGI middleware: a GET /sparql query answered 200 once is answered again from memory.

    The key is everything the response depends on: the query string, Accept, Accept-Language
    and the store's digest. Conditional requests go through, so that they still get a 304.
    """

    def __init__(self, app: WSGIApp, size: int, digest: Callable[[], str]) -> None:
        self.app, self.cache, self.digest = app, LRU(size), digest

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]
                 ) -> Iterable[bytes]:
        if (environ.get("REQUEST_METHOD") != "GET" or environ.get("PATH_INFO") != "/sparql"
                or "query=" not in environ.get("QUERY_STRING", "")
                or "HTTP_IF_NONE_MATCH" in environ or "HTTP_IF_MODIFIED_SINCE" in environ):
            return self.app(environ, start_response)
        key = (self.digest(), environ.get("QUERY_STRING"), environ.get("HTTP_ACCEPT"),
               environ.get("HTTP_ACCEPT_LANGUAGE"))
        hit = self.cache.get(key)
        if hit is not None:
            status, headers, body = hit
            start_response(status, headers)
            return [body]
        return self._remember(key, environ, start_response)

    def _remember(self, key: Any, environ: dict[str, Any], start_response: Callable[..., Any]
                  ) -> Iterable[bytes]:
        seen: list[Any] = []

        def capture(status: str, headers: list[tuple[str, str]], *exc: Any) -> Any:
            seen[:] = [status, headers]
            return start_response(status, headers, *exc)

        chunks = self.app(environ, capture)
        status, headers = seen
        if not any(k.lower() == "content-length" for k, _ in headers):
            return chunks  # streamed: too large to keep, and sent as it comes
        try:
            body = b"".join(chunks)
        finally:
            close = getattr(chunks, "close", None)
            if close:
                close()
        if status.startswith("200 "):
            stored = [(k, "hit" if k == "X-Cache" else v) for k, v in headers]
            self.cache.put(key, (status, stored, body), len(body))
        return [body]
