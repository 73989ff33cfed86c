"""The rdflib backend: the whole dataset in memory, queried with rdflib's SPARQL engine."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import rdflib.plugins.sparql
from rdflib import Dataset, URIRef
from rdflib.plugins.sparql.algebra import translateQuery, traverse
from rdflib.plugins.sparql.evaluate import evalQuery
from rdflib.plugins.sparql.parser import parseQuery
from rdflib.plugins.sparql.processor import SPARQLResult
from rdflib.plugins.sparql.sparql import Query
from rdflib.query import ResultRow

from hldgraph.errors import QueryError
from hldgraph.formats import MediaType
from hldgraph.store.base import Answer, QueryDataset, Result, dataset_digest, file_digest, take
from hldgraph.store.guard import column_order, names_dataset
from hldgraph.store.local import LocalStore
from hldgraph.store.serialize import serialize_result
from hldgraph.store.syntax import check_prefixes, syntax_error

if TYPE_CHECKING:
    from hldgraph.settings import Settings

# FROM and FROM NAMED must name graphs of the dataset, never make rdflib fetch a URL.
rdflib.plugins.sparql.SPARQL_LOAD_GRAPHS = False

_FORMATS = {".trig": "trig", ".nq": "nquads", ".ttl": "turtle", ".nt": "nt", ".jsonld": "json-ld"}


class MemoryStore(LocalStore):
    def __init__(self, settings: Settings, dataset: Dataset, digest: str) -> None:
        dataset.default_union = True
        self.dataset = dataset
        names = [str(g.identifier) for g in dataset.graphs()
                 if isinstance(g.identifier, URIRef) and len(g)]
        super().__init__(settings, digest, names)
        # with releases' graphs, the default graph is the union of the others only
        self._main = (self._view(QueryDataset.of(self.union_graphs(), self.graphs()))
                      if self.holds_releases() else None)

    @classmethod
    def from_file(cls, settings: Settings, path: Path) -> MemoryStore:
        ds = Dataset(default_union=True)
        ds.parse(path, format=_FORMATS.get(path.suffix, "trig"))
        return cls(settings, ds, file_digest(path))

    @classmethod
    def from_dataset(cls, settings: Settings, dataset: Dataset) -> MemoryStore:
        return cls(settings, dataset, dataset_digest(dataset))

    def _evaluate(self, text: str, dataset: QueryDataset) -> SPARQLResult:
        query = self._parse(text)
        graph = self._main if self._main is not None and not names_dataset(text) else self.dataset
        if dataset.given:
            graph = self._view(dataset)
            query.algebra["datasetClause"] = None  # the protocol's dataset overrides FROM
        return SPARQLResult(evalQuery(graph, query, {}))

    def _parse(self, text: str) -> Query:
        check_prefixes(text)  # rdflib would take some well-known prefixes undeclared
        try:
            query = translateQuery(parseQuery(text), base=self.settings.base_iri)
        except Exception as e:  # pyparsing and rdflib raise several types
            raise syntax_error(text, str(e)) from None
        if not self.settings.federation:
            traverse(query.algebra, visitPre=_refuse_service)
        return query

    def _view(self, dataset: QueryDataset) -> Dataset:
        """A dataset made of the graphs the request names (copies: the data is small)."""
        view = Dataset(default_union=False)
        for name in dataset.default_graphs or ():
            view.default_graph += self.dataset.graph(URIRef(name))
        for name in dataset.named_graphs or ():
            named = view.graph(URIRef(name))
            named += self.dataset.graph(URIRef(name))
        return view

    def _run_query(self, text: str, dataset: QueryDataset) -> Result:
        rv = self._evaluate(text, dataset)
        limit = self.settings.max_result_rows
        if rv.type == "ASK":
            return Result("ask", boolean=bool(rv.askAnswer))
        if rv.type == "SELECT":
            names = column_order(text, [str(v) for v in rv.vars or ()])
            rows, truncated = take(({str(k): v for k, v in cast(ResultRow, row).asdict().items()}
                                    for row in rv), limit)
            return Result("select", names, rows, truncated=truncated)
        triples, truncated = take(iter(rv.graph or ()), limit)
        result = Result("construct", truncated=truncated)
        for triple in triples:
            result.graph.add(triple)
        return result

    def _run_answer(self, text: str, media_type: MediaType, dataset: QueryDataset) -> Answer:
        result = self._run_query(text, dataset)
        return Answer(serialize_result(result, media_type), media_type, result.truncated)


def _refuse_service(node: Any) -> None:
    if getattr(node, "name", None) == "ServiceGraphPattern":
        raise QueryError("SERVICE is not allowed: this endpoint makes no requests to other "
                         "endpoints", 403)
