"""The one interface the web layer uses to reach the graph, whatever holds it.

This package only names what the rest of hldgraph uses and opens the configured backend:
the interface and its values are in :mod:`hldgraph.store.base`, the serialisers of answers in
:mod:`hldgraph.store.serialize`, the backends in ``memory``, ``oxigraph`` and ``remote``.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

from hldgraph.errors import HldgraphError
from hldgraph.store.base import (
    Answer,
    QueryDataset,
    Result,
    Store,
    dataset_digest,
    file_digest,
    is_iri,
    take,
)

if TYPE_CHECKING:
    from rdflib import Dataset as RdfDataset

    from hldgraph.settings import Settings
    from hldgraph.store.memory import MemoryStore
    from hldgraph.store.oxigraph import OxigraphStore


def open_store(settings: Settings, source: Path | RdfDataset | None = None) -> Store:
    """The store chosen by ``settings.store``, loaded from a dump file or an rdflib Dataset.

    ``source`` defaults to the N-Quads dump in ``settings.dist_dir``; with ``store=oxigraph``
    and ``store_path`` set, the dump is loaded into an on-disk store there (once per build),
    which is then opened read-only, so that every worker process shares it through the page
    cache; so is a dump over ``memory_store_max_mb`` (see :func:`on_disk_store`). Raises
    HldgraphError when the dump is missing.
    """
    if settings.store == "sparql":
        from hldgraph.store.remote import RemoteStore  # written for store=sparql

        return RemoteStore(settings)
    backend: type[MemoryStore | OxigraphStore]
    if settings.store == "oxigraph":
        from hldgraph.store.oxigraph import OxigraphStore as backend
    else:
        from hldgraph.store.memory import MemoryStore as backend
    if source is None:
        source = settings.dist_dir / "hld2006.nq"
    if not isinstance(source, Path | str):
        return backend.from_dataset(settings, source)
    path = Path(source)
    store: Store
    on_disk = on_disk_store(settings, path)
    if on_disk is not None:
        from hldgraph.store.oxigraph import OxigraphStore

        store = OxigraphStore.on_disk(settings, on_disk, path)
    elif not path.exists():
        raise HldgraphError(f"{path}: no such dump; run `hldgraph build` first")
    else:
        store = backend.from_file(settings, path)
    if path.exists():
        store.modified = dt.datetime.fromtimestamp(int(path.stat().st_mtime), dt.UTC)
    return store


#: Where a dump too large for memory is loaded (beside it, once per build).
AUTO_STORE = ".oxigraph-store"


def on_disk_store(settings: Settings, dump: Path) -> Path | None:
    """The on-disk store to serve ``dump`` from, or None to hold it in memory.

    ``store_path`` when set; else, for a dump larger than ``memory_store_max_mb``, a store
    beside it: a process that reads pyoxigraph's in-memory store writes to the pages it reads,
    so each worker process ends up with a copy of its own, where the pages of an on-disk store
    are shared through the page cache.
    """
    if settings.store != "oxigraph":
        return None
    if settings.store_path:
        return Path(settings.store_path)
    if dump.exists() and dump.stat().st_size > settings.memory_store_max_mb * 2**20:
        return dump.parent / AUTO_STORE
    return None


__all__ = ["AUTO_STORE", "Answer", "QueryDataset", "Result", "Store", "dataset_digest",
           "file_digest", "is_iri", "on_disk_store", "open_store", "take"]
