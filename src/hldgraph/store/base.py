"""The store interface: what every backend offers, and the values it answers with.

A :class:`Store` answers read-only SPARQL queries over a dataset whose default graph is the union
of its named graphs. Every backend enforces the same rules (see :mod:`hldgraph.store.guard`):
no updates, no outbound requests, a time limit and a result-size limit.

- :meth:`Store.query` gives rdflib values, for pages built by hldgraph itself;
- :meth:`Store.answer` gives serialised bytes, for the SPARQL protocol;
- :meth:`Store.describe` gives what the graph says of one IRI, with labels of its neighbours.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar

from rdflib import Graph

from hldgraph.formats import MediaType, NotAcceptable
from hldgraph.store.guard import check as check_query
from hldgraph.urls import Iris

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator, Sequence

    from rdflib import Dataset as RdfDataset

    from hldgraph.settings import Settings

T = TypeVar("T")

# What SPARQL allows between < and > (IRIREF), with a scheme.
_IRI = re.compile(r'[A-Za-z][A-Za-z0-9+.\-]*:[^<>"{}|^`\\\x00-\x20]*')


def is_iri(text: str) -> bool:
    """Whether ``text`` is an IRI a query can name: what SPARQL allows between < and >, with
    a scheme (the protocol's ``default-graph-uri`` and ``named-graph-uri``, a thing to
    describe)."""
    return _IRI.fullmatch(text) is not None

#: Properties whose values name a thing: describe() adds them for the things an IRI links to.
LABEL_PROPERTIES = (
    "http://www.w3.org/2000/01/rdf-schema#label",
    "http://www.w3.org/2004/02/skos/core#prefLabel",
    "http://schema.org/name",
)


@dataclass
class Result:
    """A query answer as rdflib values.

    ``kind`` is ``select``, ``ask`` or ``construct`` (also for DESCRIBE). ``rows`` are dicts from
    variable name to term (unbound variables are absent). ``truncated`` says that the answer was
    cut at the ``max_result_rows`` setting.
    """

    kind: str
    vars: list[str] = field(default_factory=list)
    rows: list[dict[str, Any]] = field(default_factory=list)
    boolean: bool | None = None
    graph: Graph = field(default_factory=Graph)
    truncated: bool = False

    def __iter__(self) -> Iterator[Any]:
        """Rows for SELECT, triples for CONSTRUCT."""
        return iter(self.graph if self.kind == "construct" else self.rows)

    def __len__(self) -> int:
        return len(self.graph) if self.kind == "construct" else len(self.rows)


class Answer(NamedTuple):
    """A serialised query answer, ready to send: bytes, or for a large one chunks to stream."""

    body: bytes | Iterable[bytes]
    media_type: MediaType
    truncated: bool = False


@dataclass(frozen=True)
class QueryDataset:
    """The RDF dataset a request names: None means the store's own (union default graph).

    Set by the protocol's ``default-graph-uri`` / ``named-graph-uri``; it overrides FROM and
    FROM NAMED in the query text. A graph the store does not hold is simply empty.
    """

    default_graphs: tuple[str, ...] | None = None
    named_graphs: tuple[str, ...] | None = None

    @classmethod
    def of(cls, default_graphs: Iterable[str] | None,
           named_graphs: Iterable[str] | None) -> QueryDataset:
        dflt = tuple(default_graphs) if default_graphs else None
        named = tuple(named_graphs) if named_graphs else None
        if dflt is None and named is None:
            return cls()
        return cls(dflt or (), named or ())

    @property
    def given(self) -> bool:
        return self.default_graphs is not None


class Store(ABC):
    """A read-only SPARQL store with hldgraph's limits. Subclasses implement the ``_`` methods."""

    def __init__(self, settings: Settings, digest: str) -> None:
        self.settings = settings
        #: Identifies the loaded build: part of every ETag.
        self.digest = digest
        #: When the loaded build was written, where known: every response's Last-Modified.
        self.modified: dt.datetime | None = None

    def check(self, text: str) -> str:
        """Refuse what is never run (updates, SERVICE, too long); return the query's kind."""
        return check_query(text, max_chars=self.settings.max_query_chars,
                           federation=self.settings.federation)

    def query(self, text: str, *, default_graphs: Sequence[str] | None = None,
              named_graphs: Sequence[str] | None = None) -> Result:
        """Run a query and return rdflib values (raises QueryError with a status)."""
        self.check(text)
        return self._query(text, QueryDataset.of(default_graphs, named_graphs))

    def answer(self, text: str, media_type: MediaType, *,
               default_graphs: Sequence[str] | None = None,
               named_graphs: Sequence[str] | None = None) -> Answer:
        """Run a query and serialise its answer in ``media_type`` (from formats.negotiate)."""
        kind = self.check(text)
        if not media_type.serves(kind):
            raise NotAcceptable(f"{media_type.mime} cannot carry a {kind} answer")
        return self._answer(text, media_type, QueryDataset.of(default_graphs, named_graphs))

    def describe(self, iri: str) -> Graph:
        """Triples with ``iri`` as subject or object, plus the labels of the things it links to."""
        if not is_iri(iri):
            return Graph()  # not an IRI the graph could hold
        labels = ", ".join(f"<{p}>" for p in LABEL_PROPERTIES)
        text = f"""CONSTRUCT {{ <{iri}> ?p ?o . ?o ?lp ?ol . ?s ?q <{iri}> . ?s ?sp ?sl }}
WHERE {{
  {{ <{iri}> ?p ?o OPTIONAL {{ ?o ?lp ?ol FILTER(?lp IN ({labels})) }} }}
  UNION
  {{ ?s ?q <{iri}> OPTIONAL {{ ?s ?sp ?sl FILTER(?sp IN ({labels})) }} }}
}}"""
        return self.query(text).graph

    @abstractmethod
    def graphs(self) -> list[str]:
        """The names of the named graphs, sorted."""

    def union_graphs(self) -> list[str]:
        """The named graphs whose union is the default graph: all but the graphs of releases
        (``{base}release/{version}/graph/...``), which a query names (GRAPH, FROM) to read."""
        return Iris(self.settings.base_iri).served_graphs(self.graphs())

    def holds_releases(self) -> bool:
        return len(self.union_graphs()) < len(self.graphs())

    def unreachable(self) -> str | None:
        """Why the store cannot answer now, in a sentence naming it; None when it can. Asked
        by ``/-/health`` each time: a store in this process always can."""
        return None

    def build_record(self, fresh: bool = False) -> str | None:
        """The JSON record of the build that ``hldgraph push`` loaded into a remote store
        (:class:`hldgraph.dist.BuildRecord`), read again now if ``fresh``; None for a store
        loaded from a local build."""
        return None

    @abstractmethod
    def _query(self, text: str, dataset: QueryDataset) -> Result: ...

    @abstractmethod
    def _answer(self, text: str, media_type: MediaType, dataset: QueryDataset) -> Answer: ...

    def close(self) -> None:  # noqa: B027 - most stores hold nothing to release
        """Release what the store holds (worker processes, files)."""

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def take(items: Iterable[T], limit: int) -> tuple[list[T], bool]:
    """At most ``limit`` items, and whether there were more."""
    got = list(islice(items, limit + 1))
    return got[:limit], len(got) > limit


def file_digest(*paths: Path) -> str:
    h = hashlib.sha256()
    for path in paths:
        with open(path, "rb") as f:
            h.update(hashlib.file_digest(f, "sha256").digest())
    return h.hexdigest()[:20]


def dataset_digest(dataset: RdfDataset) -> str:
    """A digest of a dataset's quads, independent of their order."""
    lines = sorted(dataset.serialize(format="nquads").splitlines())
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()[:20]
