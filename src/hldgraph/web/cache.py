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
from collections.abc import Callable, Iterable, Sequence
from typing import Any, NamedTuple

#: Answers larger than this are not kept: they would crowd out many small ones.
MAX_CACHED_BYTES = 1 << 20

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


class LRU:
    """The ``size`` last used values by key (``size`` 0 keeps nothing)."""

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


#: Request headers that make the finaliser answer differently (304, 412, 206, 416).
CONDITIONAL = ("HTTP_IF_MATCH", "HTTP_IF_NONE_MATCH", "HTTP_IF_MODIFIED_SINCE",
               "HTTP_IF_UNMODIFIED_SINCE", "HTTP_RANGE")


class Kept(NamedTuple):
    """A kept 200: its headers before and after the finaliser, and its body."""

    headers: list[tuple[str, str]]  # as the view made them (X-Cache: hit)
    final: list[tuple[str, str]]  # as sent to a request without preconditions
    body: bytes


class Responses:
    """The one response cache (see the module): ``size`` responses, 0 keeps nothing."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._lru = LRU(size)

    def key(self, environ: dict[str, Any], digest: str) -> tuple[Any, ...] | None:
        """The key of a request's response, or None when it cannot be known yet (the
        response's Vary, which names the request headers it depends on, is not known)."""
        if self.size <= 0:
            return None
        url = (digest, environ.get("REQUEST_METHOD"), environ.get("SCRIPT_NAME", ""),
               environ.get("PATH_INFO", ""), environ.get("QUERY_STRING", ""))
        varies: Sequence[str] | None = self._lru.get(("vary", url))
        if varies is None:
            return None
        return (*url, *(environ.get(name) for name in varies))

    def get(self, key: tuple[Any, ...] | None) -> Kept | None:
        return None if key is None else self._lru.get(key)

    def put(self, environ: dict[str, Any], digest: str, vary: str, kept: Kept) -> None:
        """Keep a response whose Vary header is ``vary``."""
        names = tuple(sorted({"HTTP_" + v.strip().upper().replace("-", "_")
                              for v in vary.split(",") if v.strip()}))
        if "HTTP_*" in names:  # RFC 9110 §12.5.5: it depends on more than the request
            return
        url = (digest, environ.get("REQUEST_METHOD"), environ.get("SCRIPT_NAME", ""),
               environ.get("PATH_INFO", ""), environ.get("QUERY_STRING", ""))
        self._lru.put(("vary", url), names, 0)
        key = self.key(environ, digest)
        if key is not None:
            self._lru.put(key, kept, len(kept.body))


def conditional(environ: dict[str, Any]) -> bool:
    """Whether the request has preconditions or a range, for the finaliser to evaluate."""
    return any(name in environ for name in CONDITIONAL)
