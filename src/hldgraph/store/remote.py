"""The ``sparql`` backend: any SPARQL 1.1 server (Oxigraph server, Fuseki, Virtuoso, GraphDB…).

Requests are built by SPARQLWrapper (protocol parameters, dataset, headers) and sent over a
keep-alive connection held per thread and per process, with the query time limit as timeout.
The guard's rules (read-only, no SERVICE, size limit) are checked before anything is sent.

The union default graph is asked for explicitly: unless the query has FROM, every request names
the store's named graphs (found at start-up, and again every minute) as both ``default-graph-uri``
and ``named-graph-uri``. The remote store thus needs no union-default-graph option, and must not
have one: Oxigraph's ``--union-default-graph`` makes it ignore FROM (0.5). Graphs that
``hldgraph push`` is still filling are left out, and so are the graphs Virtuoso keeps for itself.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import time
from collections.abc import Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, Any, NamedTuple
from urllib.parse import unquote, urlsplit

import pyoxigraph as ox
import urllib3
from rdflib import BNode, Literal, URIRef
from SPARQLWrapper import POST, SELECT, URLENCODED, SPARQLWrapper

from hldgraph.errors import QueryError
from hldgraph.formats import MediaType, ensure_carried
from hldgraph.store.base import Answer, QueryDataset, Result, Store, take
from hldgraph.store.guard import (
    QUERY_FORMS,
    column_order,
    has_relative_iri,
    keywords,
    names_dataset,
    query_form,
)
from hldgraph.store.native import XSD_STRING, to_rdflib, write_graph
from hldgraph.store.serialize import serialize_result
from hldgraph.store.syntax import diagnose

if TYPE_CHECKING:
    from hldgraph.settings import Settings

RESULTS_JSON = "application/sparql-results+json"
N_TRIPLES = "application/n-triples"
#: What names a graph that `hldgraph push` is still filling: never part of the dataset.
STAGING = "/staging-"
#: How long a store's digest (its ETag seed) is trusted before the graph sizes are asked again.
DIGEST_TTL_S = 60.0
#: Connections kept alive per remote host and process (one per thread that queries at once).
POOL_SIZE = 8
#: Graphs that Virtuoso keeps for itself, not data: its RDF views' metadata, the LDP classes, and
#: its service description and DAV folders, named after its ``[URIQA] DefaultHost``.
VIRTUOSO_GRAPHS = re.compile(r"http://www\.openlinksw\.com/schemas/virtrdf#"
                             r"|http://www\.w3\.org/ns/ldp#"
                             r"|https?://[^/]+/(sparql|DAV/.*)")
#: Virtuoso reports its own query time limit as a 500 with the ODBC state S1T00 (timeout).
VIRTUOSO_TIMEOUT = re.compile(r"Virtuoso S1T00 ")
#: Virtuoso 7.2 answers ASK as a SELECT of this one variable: a row (1) for true, none for false.
VIRTUOSO_ASK = "__ASK_RETVAL"
_AGENT = "hldgraph (+https://w3id.org/hld2006/)"


class RemoteError(QueryError):
    """The remote server answered with an error status (kept in ``remote_status``)."""

    def __init__(self, message: str, status: int, remote_status: int) -> None:
        super().__init__(message, status)
        self.remote_status = remote_status


def safe_url(url: str) -> str:
    """``url`` without user name and password, fit for a message."""
    parts = urlsplit(url)
    if parts.username is None and parts.password is None:
        return url
    netloc = (parts.hostname or "") + (f":{parts.port}" if parts.port else "")
    return parts._replace(netloc=netloc).geturl()


def auth_headers(url: str) -> dict[str, str]:
    """HTTP Basic credentials given in a URL (``http://user:password@host/``) as a header."""
    parts = urlsplit(url)
    if parts.username is None:
        return {}
    credentials = f"{unquote(parts.username)}:{unquote(parts.password or '')}"
    return urllib3.make_headers(basic_auth=credentials)


class SparqlClient:
    """A SPARQL 1.1 Protocol client with keep-alive connections, safe to share between threads."""

    def __init__(self, url: str, timeout: float, name: str = "the remote store") -> None:
        self.url, self.timeout, self.name = url, timeout, name
        self._pool: urllib3.PoolManager | None = None
        self._pid = -1
        #: The ``Server`` header of the last answer (the store's product, e.g. ``Virtuoso/07.20``).
        self.server = ""

    def pool(self) -> urllib3.PoolManager:
        """The connection pool of this process: a forked worker must not reuse its parent's."""
        if self._pid != os.getpid():
            self._pool = urllib3.PoolManager(maxsize=POOL_SIZE, retries=False,
                                             timeout=urllib3.Timeout(
                                                 connect=min(self.timeout, 5.0),
                                                 read=self.timeout))
            self._pid = os.getpid()
        assert self._pool is not None
        return self._pool

    def send(self, text: str, accept: str, *, default_graphs: Sequence[str] = (),
             named_graphs: Sequence[str] = ()) -> Response:
        """POST ``text`` (a form, which every server takes) and return the successful response.

        Raises :class:`QueryError`: 503 when the server cannot be reached or is too slow,
        :class:`RemoteError` with the server's own message when it answers with an error.
        """
        wrapper = SPARQLWrapper(self.url, agent=_AGENT)
        # Set directly, not with setQuery(): its guess of the query's form warns on stderr
        # when a typo hides the form; sent as query= whatever the form.
        wrapper.queryString, wrapper.queryType = text, SELECT
        wrapper.setMethod(POST)
        wrapper.setRequestMethod(URLENCODED)
        wrapper.setOnlyConneg(True)  # no format= parameter: servers read it differently
        for graph in default_graphs:
            wrapper.addDefaultGraph(graph)
        for graph in named_graphs:
            wrapper.addNamedGraph(graph)
        wrapper.addCustomHttpHeader("Accept", accept)
        # SPARQLWrapper sends through urllib, which opens a new connection for every request;
        # the request it builds is sent through a pool of kept-alive connections instead.
        request = wrapper._createRequest()
        rv = self.request("POST", request.full_url, body=request.data,
                          headers=dict(request.header_items()))
        if rv.status >= 400:
            raise _remote_error(rv, self.url, self.name)
        return rv

    def request(self, method: str, url: str, *, body: Any = None,
                headers: dict[str, str] | None = None) -> Response:
        """One HTTP request on a kept-alive connection; QueryError(503) if it cannot be made.

        Credentials in ``url`` (``http://user:password@host/``) are sent as HTTP Basic.
        """
        where = safe_url(url)
        try:
            raw = self.pool().request(method, where, body=body,
                                      headers={**(headers or {}), **auth_headers(url)})
        except urllib3.exceptions.NewConnectionError as e:  # a subclass of TimeoutError
            raise self._unreachable(where, e) from None
        except urllib3.exceptions.TimeoutError:
            raise QueryError(f"{self.name} at {where} did not answer within the time "
                             f"limit of {self.timeout:g} s", 503) from None
        except urllib3.exceptions.HTTPError as e:
            raise self._unreachable(where, e) from None
        self.server = raw.headers.get("Server", "")
        return Response(raw.status, raw.reason or "", raw.headers.get("Content-Type", ""),
                        raw.data)

    def _unreachable(self, where: str, e: BaseException) -> QueryError:
        cause: BaseException = e
        while cause.__context__ is not None and cause.__context__ is not cause:
            cause = cause.__context__
        reason = str(cause).split(": ")[-1] or type(e).__name__
        return QueryError(f"{self.name} at {where} cannot be reached: {reason}", 503)

    def close(self) -> None:
        if self._pool is not None and self._pid == os.getpid():
            self._pool.clear()


class Response(NamedTuple):
    status: int
    reason: str
    content_type: str
    content: bytes


def remote_message(rv: Response, limit: int = 500) -> str:
    """The error text of a response: hldgraph's JSON ``error``, or the body's first line(s)."""
    text = rv.content.decode("utf-8", "replace").strip()
    try:
        data = json.loads(text)
    except ValueError:
        data = None
    if isinstance(data, dict) and isinstance(data.get("error"), str):
        text = data["error"]
    if "<html" in text[:200].lower():
        # an HTML error page: its preformatted part (Virtuoso's <xmp>) if any, else the reason
        found = re.search(r"<(xmp|pre)>(.*?)</\1>", text, re.S | re.I)
        text = found.group(2).strip() if found else rv.reason or "error page"
    return text[:limit] or (rv.reason or "")


def _remote_error(rv: Response, url: str, name: str) -> RemoteError:
    """Map a remote status to ours: the client's fault stays 4xx, the server's becomes 502."""
    code, message, where = rv.status, remote_message(rv), safe_url(url)
    if code in {400, 413, 414}:
        return RemoteError(f"{name} rejected the query ({code}): {message}",
                           400 if code == 400 else 413, code)
    if code in {401, 403}:
        return RemoteError(f"{where} refused the request ({code}): {message}", 502, code)
    if code == 404:
        return RemoteError(f"there is no SPARQL endpoint at {where} (404): check sparql_url",
                           502, code)
    if code in {503, 504} or VIRTUOSO_TIMEOUT.match(message):
        return RemoteError(f"{name} at {where} is unavailable or too slow "
                           f"({code}): {message}", 503, code)
    return RemoteError(f"{name} at {where} failed ({code}): {message}", 502, code)


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
        self._graphs: list[str] = []
        self._digest, self._due = "", 0.0
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

    def _refresh(self) -> None:
        if time.monotonic() < self._due:
            return
        try:
            sizes = self.graph_sizes()
        except QueryError:  # unreachable for now: keep what is known, ask again soon
            self._digest = self._digest or "remote-unavailable"
            self._due = time.monotonic() + 5
            return
        self._graphs = sorted(g for g in sizes if STAGING not in g and not self._own(g))
        seed = "\n".join([safe_url(self.settings.sparql_url),
                          *sorted(f"{g} {n}" for g, n in sizes.items())])
        self._digest = "remote:" + hashlib.sha256(seed.encode()).hexdigest()[:20]
        self._due = time.monotonic() + DIGEST_TTL_S

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
