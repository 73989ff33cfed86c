"""The pyoxigraph backend: fast loading, fast queries, answers serialised natively."""

from __future__ import annotations

import io
import shutil
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, cast

import pyoxigraph as ox

from hldgraph.errors import HldgraphError, QueryError
from hldgraph.formats import MediaType, ensure_carried
from hldgraph.store.base import Answer, QueryDataset, Result, dataset_digest, file_digest, take
from hldgraph.store.guard import column_order, names_dataset, projected
from hldgraph.store.local import LocalStore
from hldgraph.store.native import RESULT_FORMATS, to_rdflib, write_graph
from hldgraph.store.serialize import serialize_result
from hldgraph.store.syntax import syntax_error

if TYPE_CHECKING:
    from rdflib import Dataset

    from hldgraph.settings import Settings

#: Bytes a solution may take on average before an answer is checked row by row.
_MAX_ROW_BYTES = 4096
#: In an on-disk store made by hldgraph: the digest of the dump it was loaded from.
DIGEST_FILE = "hldgraph-digest"


class OxigraphStore(LocalStore):
    def __init__(self, settings: Settings, store: ox.Store, digest: str) -> None:
        self.store = store
        super().__init__(settings, digest, (g.value for g in store.named_graphs()
                                            if isinstance(g, ox.NamedNode)))
        self._releases = self.holds_releases()  # then the union is named, graph by graph

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
        return cls(settings, store, dataset_digest(dataset))

    @classmethod
    def on_disk(cls, settings: Settings, path: Path, dump: Path) -> OxigraphStore:
        """The on-disk store at ``path``, opened read-only, first (re)loaded from ``dump`` when
        it holds another build. A store that hldgraph did not make is opened as it is."""
        marker = path / DIGEST_FILE
        if dump.exists() and (marker.exists() or not path.exists()):
            digest = file_digest(dump)
            if not marker.exists() or marker.read_text() != digest:
                _load_on_disk(path, dump, digest)
        if not path.is_dir():
            raise QueryError(f"{path}: no Oxigraph store there (store_path), and no dump "
                             f"at {dump} to load into it", 500)
        digest = marker.read_text() if marker.exists() else f"store:{path.stat().st_mtime_ns}"
        return cls(settings, ox.Store.read_only(str(path)), digest)

    def _evaluate(self, text: str, dataset: QueryDataset) -> Any:
        # Oxigraph lets the union flag win over FROM: set it only where the query has no FROM.
        options: dict[str, Any] = {"use_default_graph_as_union": not names_dataset(text)}
        if not dataset.given and options["use_default_graph_as_union"] and self._releases:
            dataset = QueryDataset.of(self.union_graphs(), self.graphs())
        if dataset.given:  # the protocol's dataset overrides FROM / FROM NAMED
            options = {"default_graph": [ox.NamedNode(g) for g in dataset.default_graphs or ()],
                       "named_graphs": [ox.NamedNode(g) for g in dataset.named_graphs or ()]}
        try:
            return self.store.query(text, base_iri=self.settings.base_iri, **options)
        except SyntaxError as e:
            raise syntax_error(text, str(e)) from None
        except ValueError as e:  # a malformed IRI in default-graph-uri and the like
            raise QueryError(str(e)) from None

    def _run_query(self, text: str, dataset: QueryDataset) -> Result:
        rv = self._evaluate(text, dataset)
        limit = self.settings.max_result_rows
        if isinstance(rv, ox.QueryBoolean):
            return Result("ask", boolean=bool(rv))
        if isinstance(rv, ox.QuerySolutions):
            names = column_order(text, [v.value for v in rv.variables])
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
            return Answer(bytes(rv.serialize(format=RESULT_FORMATS[media_type.name]) or b""),
                          media_type)
        if isinstance(rv, ox.QuerySolutions):
            names = [v.value for v in rv.variables]
            if column_order(text, names) != names:  # SELECT *: Oxigraph sorts the columns
                rv = self._evaluate(projected(text, column_order(text, names)), dataset)
            body = native_results(rv, media_type.name, limit)
            if body is not None:
                ensure_carried(media_type, "select", body)
                return Answer(body, media_type)
            # rare: more rows than allowed; cut the answer at the limit through rdflib
            result = self._run_query(text, dataset)
            return Answer(serialize_result(result, media_type), media_type, result.truncated)
        triples, truncated = take(rv, limit)
        body = write_graph(triples, media_type)
        ensure_carried(media_type, "construct", body)
        return Answer(body, media_type, truncated)


def _load_on_disk(path: Path, dump: Path, digest: str) -> None:
    """Load ``dump`` into a new on-disk store beside ``path``, then swap it in: a failed load
    leaves the store that was there."""
    staging, old = path.with_name(path.name + ".loading"), path.with_name(path.name + ".old")
    shutil.rmtree(staging, ignore_errors=True)
    try:
        store = ox.Store(str(staging))
        store.bulk_load(path=dump, format=ox.RdfFormat.N_QUADS)
        store.flush()
        del store  # closes the database, so that its folder can move
    except (OSError, SyntaxError) as e:
        shutil.rmtree(staging, ignore_errors=True)
        raise HldgraphError(f"{dump}: could not be loaded into the on-disk store {path} "
                            f"({e}); the store there is unchanged") from None
    (staging / DIGEST_FILE).write_text(digest)
    shutil.rmtree(old, ignore_errors=True)
    if path.exists():
        path.rename(old)
    staging.rename(path)
    shutil.rmtree(old, ignore_errors=True)


class _Capped(io.RawIOBase):
    """A byte buffer that stops the writer (and so Oxigraph's evaluation) past ``cap`` bytes."""

    def __init__(self, cap: int) -> None:
        self.data, self.cap = bytearray(), cap

    def writable(self) -> bool:
        return True

    def write(self, chunk: Any) -> int:
        self.data += chunk
        if len(self.data) > self.cap:
            raise _TooLong
        return len(chunk)


class _TooLong(Exception):
    pass


def native_results(solutions: ox.QuerySolutions, fmt: str, limit: int) -> bytes | None:
    """The solutions written by Oxigraph in ``fmt``, or None if there may be more than ``limit``.

    Oxigraph writes an answer several times faster than Python could; the row limit is then
    checked on the bytes, by a count that is exact or, where a literal mimics the syntax, high.
    The writer is stopped early when the answer outgrows what ``limit`` rows could take.
    """
    out = _Capped(limit * _MAX_ROW_BYTES)
    try:
        solutions.serialize(cast(IO[bytes], out), format=RESULT_FORMATS[fmt])
    except _TooLong:
        return None
    body = bytes(out.data)
    return body if _rows_at_most(body, fmt) <= limit else None


def _rows_at_most(body: bytes, fmt: str) -> int:
    """How many solutions a serialised answer holds, at most."""
    if fmt == "json":  # each solution object follows "[" or ","; a term object follows ":"
        return body.count(b"[{") + body.count(b",{")
    if fmt == "xml":  # "<" in a literal is written "&lt;"
        return body.count(b"<result>")
    return body.count(b"\n") - 1  # csv, tsv: one line per solution after the header
