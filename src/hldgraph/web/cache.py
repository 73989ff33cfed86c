"""Answers kept in memory: the published data changes only with a new build (or push).

One LRU per app holds the endpoint's answers (see ``hldgraph.web.sparql.answer_for`` for the
key); the headers of a response are made anew for every request, so that a cached answer is
finalised exactly as a fresh one.
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
