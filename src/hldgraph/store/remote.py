"""The ``sparql`` backend: any SPARQL 1.1 server (Oxigraph server, Fuseki, Virtuoso, GraphDB…).

Requests are built by SPARQLWrapper (protocol parameters, dataset, headers) and sent over a
keep-alive connection held per thread and per process, with the query time limit as timeout.
The guard's rules (read-only, no SERVICE, size limit) are checked before anything is sent.

The union default graph is asked for explicitly: unless the query has FROM, every request names
the store's named graphs (found at start-up, and again every minute) as both ``default-graph-uri``
and ``named-graph-uri``. The remote store thus needs no union-default-graph option, and must not
have one: Oxigraph's ``--union-default-graph`` makes it ignore FROM (0.5). Graphs that
``hldgraph push`` is still filling are left out, and so are the graph where it records the build
(``BUILD_GRAPH``) and the graphs Virtuoso keeps for itself.
"""

from __future__ import annotations

import hashlib
import json
import re
import time
from collections.abc import Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef

from hldgraph.errors import QueryError
from hldgraph.formats import MediaType, ensure_carried
from hldgraph.store.base import Answer, QueryDataset, Result, Store, take
from hldgraph.store.credentials import safe_url
from hldgraph.store.guard import (
    QUERY_FORMS,
    column_order,
    has_relative_iri,
    keywords,
    names_dataset,
    query_form,
)
from hldgraph.store.native import XSD_STRING, to_rdflib, write_graph
from hldgraph.store.protocol import RESULTS_JSON, RemoteError, Response, SparqlClient
from hldgraph.store.serialize import serialize_result
from hldgraph.store.syntax import diagnose
from hldgraph.urls import BUILD_GRAPH, Iris

if TYPE_CHECKING:
    from hldgraph.settings import Settings

N_TRIPLES = "application/n-triples"
RDF_VALUE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#value"
#: What names a graph that `hldgraph push` is still filling: never part of the dataset.
STAGING = "/staging-"
#: How long a store's digest (its ETag seed) is trusted before the graph sizes are asked again.
DIGEST_TTL_S = 60.0
#: Graphs that Virtuoso keeps for itself, not data: its RDF views' metadata, the LDP classes, and
#: its service description and DAV folders, named after its ``[URIQA] DefaultHost``.
VIRTUOSO_GRAPHS = re.compile(r"http://www\.openlinksw\.com/schemas/virtrdf#"
                             r"|http://www\.w3\.org/ns/ldp#"
                             r"|https?://[^/]+/(sparql|DAV/.*)")
#: How long ``/-/health`` waits for the remote store's answer to ``ASK {}``.
HEALTH_TIMEOUT_S = 2.0
#: Virtuoso 7.2 answers ASK as a SELECT of this one variable: a row (1) for true, none for false.
VIRTUOSO_ASK = "__ASK_RETVAL"


@lru_cache(maxsize=1024)
def _shape(text: str) -> tuple[str | None, bool]:
    """The query's form (SELECT…) and whether it names its own dataset (FROM / FROM NAMED)."""
    return query_form(keywords(text)), names_dataset(text)


def _kind(text: str) -> str:
    return QUERY_FORMS.get(_shape(text)[0] or "", "select")


class RemoteStore(Store):
    """Queries a remote SPARQL server; the limits are enforced here, before and after it."""

    def __init__(self, settings: Settings) -> None:
        self.client = SparqlClient(settings.sparql_url, settings.query_time_limit_s)
        self._probe = SparqlClient(settings.sparql_url, HEALTH_TIMEOUT_S)
        self._graphs: list[str] = []
        self._digest, self._due = "", 0.0
        self._iris = Iris(settings.base_iri)
        self._record: str | None = None
        super().__init__(settings, "")

    # The store's named graphs and digest (the ETag seed) are asked for at first use and again
    # now and then, since `hldgraph push` can change them while this process runs.

    @property
    def digest(self) -> str:
        self._refresh()
        return self._digest

    @digest.setter
    def digest(self, value: str) -> None:
        if value:
            self._digest = value

    def graphs(self) -> list[str]:
        self._refresh()
        return list(self._graphs)

    def build_record(self, fresh: bool = False) -> str | None:
        if fresh:
            self._due = 0.0
        self._refresh()
        return self._record

    def unreachable(self) -> str | None:
        """The remote store's own answer to ``ASK {}`` within :data:`HEALTH_TIMEOUT_S`: the
        reason it cannot be reached or refused (its URL without credentials), or None."""
        try:
            self._probe.send("ASK {}", RESULTS_JSON)
        except QueryError as e:
            return e.message
        return None

    def _refresh(self) -> None:
        if time.monotonic() < self._due:
            return
        try:
            sizes = self.graph_sizes()
        except QueryError:  # unreachable for now: keep what is known, ask again soon
            self._digest = self._digest or "remote-unavailable"
            self._due = time.monotonic() + 5
            return
        record = str(self._iris.graph(BUILD_GRAPH))
        self._graphs = sorted(g for g in sizes
                              if STAGING not in g and g != record and not self._own(g))
        self._record = self._read_record(record) if record in sizes else None
        # the record names the build: two builds of equal graph sizes differ in their digest
        seed = "\n".join([safe_url(self.settings.sparql_url),
                          *sorted(f"{g} {n}" for g, n in sizes.items()), self._record or ""])
        self._digest = "remote:" + hashlib.sha256(seed.encode()).hexdigest()[:20]
        self._due = time.monotonic() + DIGEST_TTL_S

    def _read_record(self, graph: str) -> str | None:
        """The build record that ``hldgraph push`` wrote (:class:`hldgraph.dist.BuildRecord`)."""
        text = f"SELECT ?v WHERE {{ GRAPH <{graph}> {{ ?s <{RDF_VALUE}> ?v }} }}"
        rows = self._result(text, self._results(text, QueryDataset(), own=True)[1]).rows
        return str(rows[0]["v"]) if rows else None

    def _own(self, graph: str) -> bool:
        """Whether ``graph`` is one that the store keeps for itself (only Virtuoso has some)."""
        return (self.client.server.startswith("Virtuoso/")
                and VIRTUOSO_GRAPHS.fullmatch(graph) is not None)

    def graph_sizes(self, graphs: Sequence[str] | None = None) -> dict[str, int]:
        """The number of triples of each named graph (or of ``graphs``) that holds some."""
        values = " ".join(f"<{g}>" for g in graphs or ())
        text = ("SELECT ?g (COUNT(*) AS ?n) WHERE { "
                + (f"VALUES ?g {{ {values} }} " if graphs else "")
                + "GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
        dataset = QueryDataset((), tuple(graphs)) if graphs else QueryDataset()
        rows = self._result(text, self._results(text, dataset, own=True)[1]).rows
        return {str(row["g"]): int(row["n"]) for row in rows}

    # ---- queries --------------------------------------------------------------------------

    def check(self, text: str) -> str:
        kind = super().check(text)
        # A remote parser may take vendor extensions (Virtuoso's DEFINE can fetch URLs).
        if _shape(text)[0] not in QUERY_FORMS:
            raise QueryError("not a SPARQL query: after BASE and PREFIX declarations it must "
                             "start with SELECT, ASK, CONSTRUCT or DESCRIBE")
        return kind

    def _dataset(self, text: str, dataset: QueryDataset,
                 own: bool) -> tuple[Sequence[str], Sequence[str]]:
        if dataset.given:  # the protocol's dataset overrides FROM / FROM NAMED
            return dataset.default_graphs or (), dataset.named_graphs or ()
        if own or _shape(text)[1]:
            return (), ()
        return self.union_graphs(), self.graphs()

    def _send(self, text: str, dataset: QueryDataset, accept: str,
              own: bool = False) -> Response:
        """``own``: a query of this store's, sent without a dataset (the store's own)."""
        default_graphs, named_graphs = self._dataset(text, dataset, own)
        sent = text
        if has_relative_iri(text):  # resolved against base_iri, as the local backends do
            sent = f"BASE <{self.settings.base_iri}> {text}"
        try:
            return self.client.send(sent, accept, default_graphs=default_graphs,
                                    named_graphs=named_graphs)
        except RemoteError as e:  # a syntax error is explained as the local backends do
            found = diagnose(text) if e.remote_status == 400 else None
            raise found or e from None

    def _results(self, text: str, dataset: QueryDataset,
                 own: bool = False) -> tuple[bytes, dict[str, Any]]:
        rv = self._send(text, dataset, RESULTS_JSON, own)
        try:
            data = json.loads(rv.content)
            if not isinstance(data, dict) or ("boolean" not in data and "results" not in data):
                raise ValueError("no results")
            if _kind(text) == "ask" and "boolean" not in data:
                data = _boolean(data)
                return json.dumps(data).encode(), data
        except (ValueError, KeyError, TypeError, AttributeError):
            raise QueryError(f"the remote store at {safe_url(self.client.url)} sent an "
                             "incomplete or unreadable answer (it may have hit its own time "
                             "limit)", 502) from None
        return rv.content, data

    def _triples(self, text: str, dataset: QueryDataset) -> tuple[list[ox.Triple], bool]:
        rv = self._send(text, dataset, N_TRIPLES)
        try:
            triples = ox.parse(rv.content, format=ox.RdfFormat.N_TRIPLES)
            return take(triples, self.settings.max_result_rows)
        except SyntaxError as e:
            raise QueryError(f"the remote store at {safe_url(self.client.url)} sent "
                             f"unreadable N-Triples: {e}", 502) from None

    def _query(self, text: str, dataset: QueryDataset) -> Result:
        if _kind(text) == "construct":
            triples, truncated = self._triples(text, dataset)
            result = Result("construct", truncated=truncated)
            for t in triples:
                result.graph.add((to_rdflib(t.subject), to_rdflib(t.predicate),
                                  to_rdflib(t.object)))
            return result
        return self._result(text, self._results(text, dataset)[1])

    def _result(self, text: str, data: dict[str, Any]) -> Result:
        if "boolean" in data:
            return Result("ask", boolean=bool(data["boolean"]))
        names = column_order(text, list(data.get("head", {}).get("vars", [])))
        bindings, truncated = take(data["results"]["bindings"], self.settings.max_result_rows)
        rows = [{k: from_json(v) for k, v in b.items()} for b in bindings]
        return Result("select", names, rows, truncated=truncated)

    def _answer(self, text: str, media_type: MediaType, dataset: QueryDataset) -> Answer:
        if _kind(text) == "construct":
            triples, truncated = self._triples(text, dataset)
            body = write_graph(triples, media_type)
            ensure_carried(media_type, "construct", body)
            return Answer(body, media_type, truncated)
        body, data = self._results(text, dataset)
        result = self._result(text, data)
        if (media_type.name == "json" and not result.truncated
                and result.vars == data.get("head", {}).get("vars", [])):
            return Answer(body, media_type)  # as the server wrote it: no need to write it again
        return Answer(serialize_result(result, media_type), media_type, result.truncated)

    def close(self) -> None:
        self.client.close()
        self._probe.close()


def _boolean(data: dict[str, Any]) -> dict[str, Any]:
    """The answer to an ASK that Virtuoso wrote as a SELECT of ``__ASK_RETVAL``, as a boolean."""
    if data["head"]["vars"] != [VIRTUOSO_ASK]:
        raise ValueError("an answer to ASK without a boolean")
    rows = data["results"]["bindings"]
    value = bool(rows) and rows[0][VIRTUOSO_ASK]["value"] not in {"0", "false"}
    return {"head": {}, "boolean": value}


def from_json(term: dict[str, str]) -> Any:
    """A term of the SPARQL 1.1 JSON results format as an rdflib term."""
    kind, value = term.get("type"), term.get("value", "")
    if kind == "uri":
        return URIRef(value)
    if kind == "bnode":
        return BNode(value)
    if kind in {"literal", "typed-literal"}:
        if "xml:lang" in term:
            return Literal(value, lang=term["xml:lang"])
        datatype = term.get("datatype")
        if not datatype or datatype == XSD_STRING:  # as the other backends give plain strings
            return Literal(value)
        return Literal(value, datatype=URIRef(datatype))
    raise QueryError(f"the remote store sent a term of unknown type {kind!r}", 502)
