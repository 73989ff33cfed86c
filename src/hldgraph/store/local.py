"""What the in-process backends (rdflib, pyoxigraph) share: queries run in forked workers."""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from rdflib import Graph

from hldgraph.formats import MediaType
from hldgraph.store.base import Answer, QueryDataset, Result, Store
from hldgraph.store.executor import Chunked, Executor, Stream

if TYPE_CHECKING:
    from hldgraph.settings import Settings


class LocalStore(Store):
    """A store held in this process; each query runs in a worker under the time limit."""

    def __init__(self, settings: Settings, digest: str, graphs: Iterable[str]) -> None:
        super().__init__(settings, digest)
        self._graphs = sorted(graphs)
        self._executor = Executor(self._work, settings.query_time_limit_s, settings.query_workers)

    def graphs(self) -> list[str]:
        return list(self._graphs)

    def _query(self, text: str, dataset: QueryDataset) -> Result:
        kind, vars_, rows, boolean, triples, truncated = self._executor.run("query", text, dataset)
        graph = Graph()
        for triple in triples:
            graph.add(triple)
        return Result(kind, vars_, rows, boolean, graph, truncated)

    def _answer(self, text: str, media_type: MediaType, dataset: QueryDataset) -> Answer:
        value = self._executor.run("answer", text, media_type, dataset)
        if isinstance(value, Stream):  # a large answer: sent on while it is read
            return Answer(value, media_type, value.meta)
        return Answer(value.data, media_type, value.meta)

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
        """Evaluate in this process (a worker), honouring max_result_rows."""

    @abstractmethod
    def _run_answer(self, text: str, media_type: MediaType, dataset: QueryDataset) -> Answer:
        """Evaluate and serialise in this process (a worker), honouring max_result_rows."""

    def close(self) -> None:
        self._executor.close()
