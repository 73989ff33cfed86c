"""What the in-process backends (rdflib, pyoxigraph) share: where a query runs.

A query runs in a forked worker under the time limit (:mod:`hldgraph.store.executor`) until it
has been measured there to be quick; then in this process, without the pipe (see
:mod:`hldgraph.store.measured` for why the time limit still holds).
"""

from __future__ import annotations

import time
from abc import abstractmethod
from collections.abc import Callable, Hashable, Iterable
from typing import TYPE_CHECKING, Any

from rdflib import Graph

from hldgraph.errors import HldgraphError, QueryError
from hldgraph.formats import MediaType
from hldgraph.store.base import Answer, QueryDataset, Result, Store
from hldgraph.store.executor import Chunked, Executor, Refused, Stream
from hldgraph.store.measured import QuickQueries

if TYPE_CHECKING:
    from hldgraph.settings import Settings


class LocalStore(Store):
    """A store held in this process; a query runs in a worker until it is known to be quick."""

    #: Whether the engine may evaluate queries in several threads of one process at once.
    THREAD_SAFE = False

    def __init__(self, settings: Settings, digest: str, graphs: Iterable[str]) -> None:
        super().__init__(settings, digest)
        self._graphs = sorted(graphs)
        self._executor = Executor(self._work, settings.query_time_limit_s, settings.query_workers)
        #: The queries that run in this process (measured quick in a worker first).
        self.quick = QuickQueries(settings.query_time_limit_s,
                                  settings.inline_queries and self.THREAD_SAFE)

    def graphs(self) -> list[str]:
        return list(self._graphs)

    def _query(self, text: str, dataset: QueryDataset) -> Result:
        key = ("query", text, dataset)
        if key in self.quick:
            return self._inline(key, self._run_query, text, dataset)
        value = self._measure(key, text, "query", text, dataset)
        kind, vars_, rows, boolean, triples, truncated = value
        graph = Graph()
        for triple in triples:
            graph.add(triple)
        return Result(kind, vars_, rows, boolean, graph, truncated)

    def _answer(self, text: str, media_type: MediaType, dataset: QueryDataset) -> Answer:
        key = ("answer", text, media_type, dataset)
        if key in self.quick:
            return self._inline(key, self._run_answer, text, media_type, dataset)
        value = self._measure(key, text, "answer", text, media_type, dataset)
        if isinstance(value, Stream):  # a large answer: sent on while it is read
            return Answer(value, media_type, value.meta)
        return Answer(value.data, media_type, value.meta)

    def _measure(self, key: Hashable, text: str, op: str, *args: Any) -> Any:
        """Run in a worker; remember a quick answer, and a quick refusal too (a syntax error is
        found again as quickly in this process: it need not wait for a worker)."""
        try:
            value, cpu = self._executor.measure(op, *args)
        except Refused as e:
            self.quick.measured(key, text, e.cpu_s)
            raise
        if not isinstance(value, Stream):
            self.quick.measured(key, text, cpu)
        return value

    def _inline(self, key: Hashable, run: Callable[..., Any], *args: Any) -> Any:
        """Run a query known to be quick here; one that was not (after all) goes back to the
        workers."""
        started = time.thread_time()  # the query runs in this thread, without the GIL or not
        try:
            return run(*args)
        except HldgraphError:
            raise
        except Exception as e:  # as a worker reports it: an engine failing is a bad query
            raise QueryError(f"the query could not be evaluated: {type(e).__name__}: {e}"
                             ) from None
        finally:
            if time.thread_time() - started > self.quick.threshold:
                self.quick.forget(key)

    def _work(self, op: str, args: tuple[Any, ...]) -> Any:
        """Runs in a worker: plain values only cross the pipe."""
        if op == "query":
            r = self._run_query(*args)
            return r.kind, r.vars, r.rows, r.boolean, list(r.graph), r.truncated
        if op == "answer":
            answer = self._run_answer(*args)
            assert isinstance(answer.body, bytes)  # the in-process writers give whole bytes
            return Chunked(answer.body, answer.truncated)
        raise ValueError(f"unknown operation {op!r}")

    @abstractmethod
    def _run_query(self, text: str, dataset: QueryDataset) -> Result:
        """Evaluate in this process, honouring max_result_rows."""

    @abstractmethod
    def _run_answer(self, text: str, media_type: MediaType, dataset: QueryDataset) -> Answer:
        """Evaluate and serialise in this process, honouring max_result_rows."""

    def close(self) -> None:
        self._executor.close()
