"""The pyoxigraph backend: fast loading, fast queries, answers serialised natively."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef

from hldgraph.errors import QueryError
from hldgraph.formats import MediaType, prefixes, serialize_result
from hldgraph.store import Answer, QueryDataset, Result, file_digest, take
from hldgraph.store.guard import keywords
from hldgraph.store.local import LocalStore

if TYPE_CHECKING:
    from rdflib import Dataset

    from hldgraph.settings import Settings

_RESULT_FORMATS = {"json": ox.QueryResultsFormat.JSON, "xml": ox.QueryResultsFormat.XML,
                   "csv": ox.QueryResultsFormat.CSV, "tsv": ox.QueryResultsFormat.TSV}
_RDF_FORMATS = {"turtle": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES,
                "rdfxml": ox.RdfFormat.RDF_XML, "jsonld": ox.RdfFormat.JSON_LD}
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


class OxigraphStore(LocalStore):
    def __init__(self, settings: Settings, store: ox.Store, digest: str) -> None:
        self.store = store
        super().__init__(settings, digest, (g.value for g in store.named_graphs()
                                            if isinstance(g, ox.NamedNode)))

    @classmethod
    def from_file(cls, settings: Settings, path: Path) -> OxigraphStore:
        store = ox.Store()
        fmt = ox.RdfFormat.from_extension(path.suffix.lstrip("."))
        if fmt is None:
            raise QueryError(f"{path}: unknown RDF format", 500)
        store.bulk_load(path=path, format=fmt)
        return cls(settings, store, file_digest(path))

    @classmethod
    def from_dataset(cls, settings: Settings, dataset: Dataset) -> OxigraphStore:
        store = ox.Store()
        data = dataset.serialize(format="nquads", encoding="utf-8")
        store.bulk_load(data, format=ox.RdfFormat.N_QUADS)
        from hldgraph.store import dataset_digest

        return cls(settings, store, dataset_digest(dataset))

    @classmethod
    def open_read_only(cls, settings: Settings, path: Path) -> OxigraphStore:
        if not path.is_dir():
            raise QueryError(f"{path}: no Oxigraph store there (store_path)", 500)
        return cls(settings, ox.Store.read_only(str(path)), f"store:{path.stat().st_mtime_ns}")

    def _evaluate(self, text: str, dataset: QueryDataset) -> Any:
        # Oxigraph lets the union flag win over FROM: set it only where the query has no FROM.
        options: dict[str, Any] = {"use_default_graph_as_union": "FROM" not in keywords(text)}
        if dataset.given:  # the protocol's dataset overrides FROM / FROM NAMED
            options = {"default_graph": [ox.NamedNode(g) for g in dataset.default_graphs or ()],
                       "named_graphs": [ox.NamedNode(g) for g in dataset.named_graphs or ()]}
        try:
            return self.store.query(text, base_iri=self.settings.base_iri, **options)
        except SyntaxError as e:
            raise QueryError(f"syntax error: {e}") from None
        except ValueError as e:  # a malformed IRI in default-graph-uri and the like
            raise QueryError(str(e)) from None

    def _run_query(self, text: str, dataset: QueryDataset) -> Result:
        rv = self._evaluate(text, dataset)
        limit = self.settings.max_result_rows
        if isinstance(rv, ox.QueryBoolean):
            return Result("ask", boolean=bool(rv))
        if isinstance(rv, ox.QuerySolutions):
            names = [v.value for v in rv.variables]
            solutions, truncated = take(rv, limit)
            rows = [{n: to_rdflib(s[n]) for n in names if s[n] is not None} for s in solutions]
            return Result("select", names, rows, truncated=truncated)
        triples, truncated = take(rv, limit)
        result = Result("construct", truncated=truncated)
        for t in triples:
            result.graph.add((to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object)))
        return result

    def _run_answer(self, text: str, media_type: MediaType, dataset: QueryDataset) -> Answer:
        rv = self._evaluate(text, dataset)
        limit = self.settings.max_result_rows
        if isinstance(rv, ox.QueryBoolean):
            return Answer(rv.serialize(format=_RESULT_FORMATS[media_type.name]), media_type)
        if isinstance(rv, ox.QuerySolutions):
            if media_type.name == "json":  # the usual case: written from the one evaluation
                body, truncated = json_results(rv, limit)
                return Answer(body, media_type, truncated)
            _, truncated = take(rv, limit)
            if truncated:  # rare: serialise the cut answer through rdflib
                result = self._run_query(text, dataset)
                return Answer(serialize_result(result, media_type), media_type, True)
            # Small enough: evaluate again and let Oxigraph write it, much faster than rdflib.
            rv = self._evaluate(text, dataset)
            return Answer(rv.serialize(format=_RESULT_FORMATS[media_type.name]), media_type)
        triples, truncated = take(rv, limit)
        body = ox.serialize(triples, format=_RDF_FORMATS[media_type.name], prefixes=prefixes())
        return Answer(body, media_type, truncated)


def json_results(solutions: ox.QuerySolutions, limit: int) -> tuple[bytes, bool]:
    """SPARQL 1.1 Query Results JSON of at most ``limit`` solutions, and whether there were more.

    Each solution is written as it comes, so a large answer is held once, as text, not also
    as Python objects.
    """
    names = [v.value for v in solutions.variables]
    rows, truncated = [], False
    for n, s in enumerate(solutions):
        if n == limit:
            truncated = True
            break
        row = {name: _json_term(s[name]) for name in names if s[name] is not None}
        rows.append(json.dumps(row, ensure_ascii=False, separators=(",", ":")))
    head = json.dumps({"vars": names}, ensure_ascii=False, separators=(",", ":"))
    body = '{"head":' + head + ',"results":{"bindings":[' + ",".join(rows) + "]}}"
    return body.encode(), truncated


def _json_term(term: Any) -> dict[str, str]:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        if term.language:
            return {"type": "literal", "value": term.value, "xml:lang": term.language}
        if term.datatype.value == _XSD_STRING:
            return {"type": "literal", "value": term.value}
        return {"type": "literal", "value": term.value, "datatype": term.datatype.value}
    raise QueryError("RDF-star triple terms are not supported in answers")


def to_rdflib(term: Any) -> Any:
    """A pyoxigraph term as the rdflib term the web layer works with."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        return Literal(term.value, datatype=None if datatype == _XSD_STRING else URIRef(datatype))
    raise QueryError("RDF-star triple terms are not supported in answers")
