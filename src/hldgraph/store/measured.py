"""Which queries run in the web process itself, and which in a forked query worker.

Neither rdflib nor pyoxigraph can stop a running query: only a process can be killed. Running
every query in a forked worker (see :mod:`hldgraph.store.executor`) costs a pipe, pickling and a
second process's Python on both sides: for a cheap query, several times the query itself. So a
query runs in a worker until it has been seen to finish there quickly; from then on it runs in
the web process, directly.

Why that holds the time limit: the data never changes while a build is served, so a query's
cost is a function of its text and dataset. Its cost is measured as CPU time (the time waited
grows with the machine's load, the work does not). One measured in the worker at under
:data:`QUICK_S` of CPU (at most a tenth of the time limit) cannot reach the limit when run
again, short of the machine stalling; if a run in the web process ever takes longer than
:data:`QUICK_S` of CPU all the same, the query goes back to the workers. What is not a function
of the text is never trusted: a query that calls RAND, NOW, UUID, STRUUID or BNODE (whose cost may
vary from one run to the next) always runs in a worker, as does an answer too large to be sent
whole (streamed from its worker).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable

from hldgraph.store.guard import keywords

#: A query seen to finish within this many seconds (and a tenth of the time limit) is quick.
QUICK_S = 0.05
#: Query texts remembered as quick, per process (the least recently used are forgotten).
REMEMBERED = 4096
#: Functions whose value changes from one evaluation to the next: their cost may too.
NONDETERMINISTIC = frozenset({"RAND", "NOW", "UUID", "STRUUID", "BNODE"})


class QuickQueries:
    """The queries (by key: operation, text, dataset) measured to run quickly, as an LRU."""

    def __init__(self, time_limit_s: float, enabled: bool = True) -> None:
        self.threshold = min(QUICK_S, time_limit_s / 10)
        self.enabled = enabled
        self._known: OrderedDict[Hashable, None] = OrderedDict()
        self._lock = threading.Lock()

    def __contains__(self, key: Hashable) -> bool:
        """Whether the query of ``key`` may run in this process."""
        if not self.enabled:
            return False
        with self._lock:
            if key in self._known:
                self._known.move_to_end(key)
                return True
        return False

    def measured(self, key: Hashable, text: str, seconds: float | None) -> None:
        """Record a run of ``key``'s query that took ``seconds`` of CPU (None: unknown): quick
        ones are remembered, a slow one is forgotten (it runs in a worker from now on)."""
        quick = (self.enabled and seconds is not None and seconds <= self.threshold
                 and deterministic(text))
        with self._lock:
            if not quick:
                self._known.pop(key, None)
                return
            self._known[key] = None
            self._known.move_to_end(key)
            while len(self._known) > REMEMBERED:
                self._known.popitem(last=False)

    def forget(self, key: Hashable) -> None:
        """The query of ``key`` runs in a worker again (it was slow in this process)."""
        with self._lock:
            self._known.pop(key, None)


def deterministic(text: str) -> bool:
    """Whether the query calls none of the functions whose value (and so cost) may change
    between two runs (SPARQL 1.1 Query §17.4: RAND, NOW, UUID, STRUUID, BNODE)."""
    return NONDETERMINISTIC.isdisjoint(keywords(text))
