"""Load a build into a remote store: ``hldgraph push``.

Each named graph of the build is uploaded through the SPARQL 1.1 Graph Store HTTP Protocol to a
staging graph (PUT for the first chunk, POST for the next ones), its size is checked where a
query URL is known, and only once every graph is complete are they all moved into place by one
SPARQL Update request (``MOVE``), which the stores run as one transaction. Until then the old
graphs stay as they were; on failure the staging graphs are dropped.

Without an update URL each graph is replaced by a single PUT to its own name, which a store
applies only once it has read the whole body.

Beside the build's graphs, the graph ``BUILD_GRAPH`` records the build they come from (its
manifest, checksums included), moved into place with them; with ``published_url`` the build
folder is published there just before the move, with the release log of ``data_dir`` beside it
(``release-log/``, see :mod:`hldgraph.published_log`; the record names its index), so that
front ends without a build of their own (``store=sparql``) read every file and fact, the
releases included, from the store and that place.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import shutil
import tempfile
import uuid
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote, urlsplit

import pyoxigraph as ox
from rdflib.namespace import RDF

from hldgraph import published_log
from hldgraph.dist import MANIFEST, BuildRecord, read_manifest
from hldgraph.distributions import NAME
from hldgraph.dump import finish, stage
from hldgraph.errors import HldgraphError, QueryError, SettingsError
from hldgraph.releases import LOG
from hldgraph.store.credentials import safe_url
from hldgraph.store.protocol import Response, SparqlClient, remote_message
from hldgraph.store.remote import STAGING
from hldgraph.urls import BUILD_GRAPH, Iris

if TYPE_CHECKING:
    from hldgraph.settings import Settings

#: Triples per upload request: a bound on what one request asks the store to hold.
CHUNK_TRIPLES = 200_000
#: Seconds an upload or update request may take (a large graph takes a while to index).
TIMEOUT_S = 600.0
N_TRIPLES = "application/n-triples"


class PushError(HldgraphError):
    """The remote store refused or failed part of a push; the message names URL and status."""

    status = 502


@dataclass
class GraphUpload:
    """One named graph of the build, as N-Triples chunk files."""

    name: str
    index: int  # names its chunk files
    triples: int = 0
    chunks: list[Path] = field(default_factory=list)


def check(settings: Settings) -> None:
    """Raises SettingsError where ``settings`` name no store to push to: asked before a build,
    so that a build is not made for nothing."""
    if not settings.graph_store_url:
        raise SettingsError("push needs graph_store_url, the store's Graph Store Protocol URL "
                            "(--graph-store-url or HLDGRAPH_GRAPH_STORE_URL, e.g. "
                            "http://localhost:7878/store)")


def push(settings: Settings, folder: Path, quads: Path | None = None) -> dict[str, int]:
    """Push the build in ``folder`` to the remote store; return the size of each graph pushed.

    ``quads``: the N-Quads to push instead of the build's own dump (``hldgraph push`` gives
    the build's with every release's graphs, :func:`hldgraph.release_folders.store_quads`).

    With ``published_url`` the release log of ``settings.data_dir`` (if it holds a release) is
    published with the build's files and named in the build's record. Raises PushError (the
    store or the published place refused), SettingsError or HldgraphError (no dump).
    """
    check(settings)
    dump = quads or Path(folder) / f"{NAME}.nq"
    if not dump.exists():
        raise HldgraphError(f"{dump}: no such dump; run `hldgraph build` first")
    client = SparqlClient(settings.graph_store_url, TIMEOUT_S)
    log = release_log_index(settings)
    with tempfile.TemporaryDirectory(prefix="hldgraph-push-") as tmp:
        graphs = split_graphs(dump, Path(tmp))
        uploads = [*graphs, record_upload(settings, Path(folder), Path(tmp), log)]
        if settings.sparql_update_url:
            _staged(client, settings, uploads,
                    lambda: publish_files(settings, Path(folder), log))
        else:
            publish_files(settings, Path(folder), log)
            for upload in uploads:
                _upload(client, settings, upload, upload.name, single=True)
    return {u.name: u.triples for u in graphs}


def release_log_index(settings: Settings) -> bytes | None:
    """The index of the release log that a push publishes (:func:`hldgraph.published_log.
    index` of ``data_dir/release-log``): None without ``published_url`` or without a release."""
    if not settings.published_url:
        return None
    return published_log.index(Path(settings.data_dir) / LOG)


def record_upload(settings: Settings, folder: Path, tmp: Path,
                  log: bytes | None = None) -> GraphUpload:
    """The graph ``BUILD_GRAPH``: one triple whose value is the build's record (its manifest
    and what front ends without the folder need), as :class:`hldgraph.dist.BuildRecord`;
    ``log``: the index of the release log published with it, named by its SHA-256."""
    iris = Iris(settings.base_iri)
    record = BuildRecord.of_folder(folder, hashlib.sha256(log).hexdigest() if log else None)
    triple = ox.Triple(ox.NamedNode(iris(f"download/{MANIFEST}")), ox.NamedNode(str(RDF.value)),
                       ox.Literal(record.to_json(), datatype=ox.NamedNode(str(RDF.JSON))))
    upload = GraphUpload(iris.graph(BUILD_GRAPH), index=-1, triples=1, chunks=[tmp / "record.nt"])
    ox.serialize([triple], upload.chunks[0], format=ox.RdfFormat.N_TRIPLES)
    return upload


def publish_files(settings: Settings, folder: Path, log: bytes | None = None) -> None:
    """Put the build folder where front ends read its files (``published_url``): copied to a
    folder, with the release log beside it when ``log`` (its index) is given, which is replaced
    only once the copy is complete; a URL is only checked to serve this build's manifest, since
    it is published by other means (rsync, an object store…), the release log included.
    Raises PushError."""
    where = settings.published_url
    if not where:
        return
    digest = read_manifest(folder)["digest"]
    if urlsplit(where).scheme in {"http", "https"}:
        url = f"{where.rstrip('/')}/{MANIFEST}"
        rv = _call(SparqlClient(where, TIMEOUT_S, "the published build"), "GET", url, None, {})
        _expect(rv, "GET", url, {200})
        try:
            found = json.loads(rv.content).get("digest")
        except (ValueError, AttributeError):
            found = None
        if found != digest:
            raise PushError(f"{safe_url(url)} is not the manifest of this build (digest "
                            f"{str(found)[:16]}…, not {digest[:16]}…): copy the build folder "
                            f"{folder} there first")
        return
    target = Path(where.removeprefix("file://"))
    try:
        staging = stage(target)
        shutil.copytree(folder, staging, dirs_exist_ok=True)
        if log is not None:
            published_log.write(Path(settings.data_dir) / LOG, log, staging)
        finish(staging, target)
    except OSError as e:
        raise PushError(f"cannot publish the build in {target}: {e}") from None


def split_graphs(dump: Path, tmp: Path, chunk: int | None = None) -> list[GraphUpload]:
    """The named graphs of an N-Quads dump, each written as chunks of N-Triples."""
    chunk = chunk or CHUNK_TRIPLES
    uploads: dict[str, GraphUpload] = {}
    pending: dict[str, list[ox.Triple]] = defaultdict(list)
    for quad in ox.parse(path=dump, format=ox.RdfFormat.N_QUADS):
        if not isinstance(quad.graph_name, ox.NamedNode):
            raise HldgraphError(f"{dump}: a triple outside any named graph "
                                f"({quad.subject} {quad.predicate} …); every triple of a build "
                                "belongs to a named graph")
        name = quad.graph_name.value
        pending[name].append(quad.triple)
        if len(pending[name]) >= chunk:
            _flush(uploads, pending, name, tmp)
    for name in list(pending):
        _flush(uploads, pending, name, tmp)
    return sorted(uploads.values(), key=lambda u: u.name)


def _flush(uploads: dict[str, GraphUpload], pending: dict[str, list[ox.Triple]], name: str,
           tmp: Path) -> None:
    triples = pending.pop(name)
    if name not in uploads:
        uploads[name] = GraphUpload(name, index=len(uploads))
    upload = uploads[name]
    path = tmp / f"{upload.index}-{len(upload.chunks)}.nt"
    ox.serialize(triples, path, format=ox.RdfFormat.N_TRIPLES)
    upload.chunks.append(path)
    upload.triples += len(triples)


def _staged(client: SparqlClient, settings: Settings, uploads: list[GraphUpload],
            publish: Callable[[], None]) -> None:
    """Upload every graph to a staging name, check it, ``publish`` the files, then move the
    graphs all in one request (the files change just before the graphs that name them)."""
    token = uuid.uuid4().hex[:12]
    staging = {u.name: f"{u.name}{STAGING}{token}" for u in uploads}
    try:
        for upload in uploads:
            _upload(client, settings, upload, staging[upload.name])
        _check_sizes(settings, {staging[u.name]: u.triples for u in uploads})
        publish()
        moves = " ;\n".join(f"MOVE <{staging[u.name]}> TO <{u.name}>" for u in uploads)
        _update(client, settings.sparql_update_url, moves)
    except HldgraphError:
        _drop(client, settings, list(staging.values()))
        raise


def _upload(client: SparqlClient, settings: Settings, upload: GraphUpload, graph: str,
            single: bool = False) -> None:
    """PUT the first chunk (replacing what the graph held), POST (add) the others."""
    url = graph_url(settings.graph_store_url, graph)
    chunks = [_joined(upload.chunks)] if single else upload.chunks
    for i, chunk in enumerate(chunks):
        method = "PUT" if i == 0 else "POST"
        headers = {"Content-Type": N_TRIPLES, "Content-Length": str(chunk.stat().st_size)}
        with open(chunk, "rb") as body:
            rv = _call(client, method, url, body, headers)
        _expect(rv, method, url, {200, 201, 204})


def _joined(chunks: list[Path]) -> Path:
    """One file of all chunks (a graph replaced by a single PUT)."""
    if len(chunks) == 1:
        return chunks[0]
    out = chunks[0].with_suffix(".all.nt")
    with open(out, "wb") as f:
        for chunk in chunks:
            f.write(chunk.read_bytes())
    return out


def graph_url(graph_store_url: str, graph: str) -> str:
    """The Graph Store Protocol URL of a named graph (indirect identification, ``?graph=``)."""
    sep = "&" if "?" in graph_store_url else "?"
    return f"{graph_store_url}{sep}graph={quote(graph, safe='')}"


def _update(client: SparqlClient, url: str, update: str) -> None:
    rv = _call(client, "POST", url, update.encode("utf-8"),
               {"Content-Type": "application/sparql-update"})
    _expect(rv, "POST (SPARQL Update)", url, {200, 204})


def _call(client: SparqlClient, method: str, url: str, body: object,
          headers: dict[str, str]) -> Response:
    try:
        return client.request(method, url, body=body, headers=headers)
    except QueryError as e:
        raise PushError(f"{method} {safe_url(url)}: {e.message}") from None


def _expect(rv: Response, what: str, url: str, ok: set[int]) -> None:
    if rv.status not in ok:
        raise PushError(f"{what} {safe_url(url)} answered {rv.status} {rv.reason}: "
                        f"{remote_message(rv, 300)}")


def _check_sizes(settings: Settings, expected: dict[str, int]) -> None:
    """Where a query URL is known, check that the store holds every triple uploaded."""
    if not settings.sparql_url:
        return
    got = graph_sizes(settings, list(expected))
    for graph, size in expected.items():
        if got.get(graph, 0) != size:
            raise PushError(f"{safe_url(settings.sparql_url)}: graph <{graph}> holds "
                            f"{got.get(graph, 0)} triples after the upload, not {size}")


def graph_sizes(settings: Settings, graphs: list[str]) -> dict[str, int]:
    """The number of triples in each of ``graphs`` in the remote store."""
    from hldgraph.store.remote import RemoteStore

    store = RemoteStore(settings.with_(store="sparql", query_time_limit_s=TIMEOUT_S))
    with store:
        try:
            return store.graph_sizes(graphs)
        except QueryError as e:
            raise PushError(e.message) from None


def _drop(client: SparqlClient, settings: Settings, graphs: list[str]) -> None:
    """Best effort: remove staging graphs after a failure (a 404 means it was never made)."""
    for graph in graphs:
        with contextlib.suppress(QueryError):
            client.request("DELETE", graph_url(settings.graph_store_url, graph))
