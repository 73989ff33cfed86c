"""The build this front end serves: its manifest, its files, its catalogue record.

Two kinds, one interface (:class:`Build`):

- :class:`FolderBuild`: the last good build in ``dist_dir``, which ``hldgraph serve`` made or
  reused beside the data;
- :class:`StoreBuild`: for a front end without a build (``store=sparql``), the record that
  ``hldgraph push`` keeps in the store (:class:`hldgraph.dist.BuildRecord`), with the files read
  from ``published_url`` and checked against it (:mod:`hldgraph.web.fetch`).

The store's record comes first: it changes with the graphs in one step (``hldgraph push`` moves
them all in one request), so that any number of front ends over one store serve the same build.
"""

from __future__ import annotations

import os
import tempfile
import threading
from abc import ABC, abstractmethod
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

from rdflib import Graph
from werkzeug.exceptions import NotFound

from hldgraph import dist
from hldgraph.dist import MANIFEST, BuildRecord
from hldgraph.releases import ReleaseLog
from hldgraph.settings import Settings
from hldgraph.store.credentials import safe_url
from hldgraph.urls import PREFIXES, Iris
from hldgraph.web.fetch import Location, Mismatch, Unavailable, cache_folder, checked
from hldgraph.web.http import get_settings, get_store
from hldgraph.web.links import LEAFLET_IRI
from hldgraph.web.readmodel import RECORD, site

T = TypeVar("T")


class Build(ABC):
    """A build being served: ``manifest`` as in :func:`hldgraph.dist.read_manifest`."""

    manifest: dict[str, Any]

    def info(self, name: str) -> dict[str, Any] | None:
        """``{"sha256", "bytes", "media_type"}`` of a file listed in the manifest, else None."""
        return self.manifest.get("files", {}).get(name)

    @abstractmethod
    def file(self, name: str) -> Path:
        """A local path holding file ``name`` of the build: a listed file, its ``.gz`` or
        ``.sha256`` twin, the manifest or a page. NotFound (404) or Unavailable (503)."""

    @abstractmethod
    def gz_bytes(self, name: str) -> int | None:
        """The size of the ``.gz`` twin of listed file ``name`` (None: there is none)."""

    @abstractmethod
    def modified(self, path: Path) -> float:
        """The Last-Modified (POSIX time) of a file this build gave from :meth:`file`."""

    @abstractmethod
    def record(self) -> Graph:
        """graph/catalog with the leaflet's title and each file's size and checksum."""


class FolderBuild(Build):
    """A build folder beside this front end."""

    def __init__(self, folder: Path, manifest: dict[str, Any]) -> None:
        self.folder, self.manifest = folder, manifest

    def file(self, name: str) -> Path:
        path = self.folder / name
        if not path.exists():
            if self.info(name) is not None:  # the build is damaged, not the request wrong
                raise Unavailable(f"{name} is listed by the build served ({self.folder}) but "
                                  "missing from it: build again (`hldgraph build`)")
            raise NotFound(f"{name} is not in the build served ({self.folder})")
        return path

    def gz_bytes(self, name: str) -> int | None:
        path = self.folder / f"{name}.gz"
        return path.stat().st_size if path.exists() else None

    def modified(self, path: Path) -> float:
        return path.stat().st_mtime

    def record(self) -> Graph:
        manifest = self.folder / MANIFEST
        return _folder_record(self.folder, _mtime(manifest), get_settings())


@lru_cache(maxsize=16)
def _folder_record(folder: Path, mtime: float, settings: Settings) -> Graph:  # mtime: new build
    """The record, with the checksums of the releases' files from the release log."""
    return dist.read_record(folder, Iris(settings.base_iri), ReleaseLog(settings).releases())


@lru_cache(maxsize=4)
def _folder_manifest(path: Path, mtime: float) -> dict[str, Any]:  # mtime: a new build
    return dist.read_manifest(path.parent)


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except FileNotFoundError:
        raise NotFound("the build is being replaced; try again") from None


class StoreBuild(Build):
    """The build recorded in the store, its files read from where it was published."""

    def __init__(self, record: BuildRecord, location: Location | None) -> None:
        self.build, self.location = record, location
        self.manifest = record.manifest
        self._record: Graph | None = None
        self._lock = threading.Lock()

    def file(self, name: str) -> Path:
        base, _, suffix = name.rpartition(".")
        if name == MANIFEST:
            return self._written(f"{self.manifest['digest']}.{MANIFEST}",
                                 dist.manifest_text(self.manifest))
        if suffix == "sha256" and self.info(base):
            sha = self.build.sha256(base)
            assert sha is not None
            return self._written(f"{sha}.sha256", dist.checksum_text(base, sha))
        if suffix == "gz" and base in self.build.gz_bytes:
            return checked(self.location, base, self.build.sha256(base) or "", gzipped=True)
        sha = self.build.sha256(name)
        if sha is None:
            raise NotFound(f"{name} is not a file of the build served")
        return checked(self.location, name, sha)

    def _written(self, key: str, text: str) -> Path:
        """A file made from the record (no need to fetch it), kept in the cache by ``key``."""
        path = cache_folder() / key
        if not path.exists():
            fd, part = tempfile.mkstemp(dir=path.parent, suffix=".part")
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                f.write(text)
            os.replace(part, path)  # atomic: a reader sees the whole file or none
        return path

    def gz_bytes(self, name: str) -> int | None:
        return self.build.gz_bytes.get(name)

    def modified(self, path: Path) -> float:
        return self.build.made.timestamp()  # the same on every front end

    def record(self) -> Graph:
        with self._lock:
            if self._record is None:
                self._record = _store_record(self.manifest)
            return self._record


def _store_record(manifest: dict[str, Any]) -> Graph:
    """graph/catalog and the leaflet's title from the store, as :func:`dist.read_record`
    reads them from a build folder, with the manifest's sizes and checksums and those of the
    releases' files (from the release log this front end read, see ``hldgraph serve``)."""
    i = site().iris
    found = get_store().query(site().q(RECORD, graph=i.graph("catalog"), leaflet=i(LEAFLET_IRI)))
    g = Graph()
    for prefix, ns in {**PREFIXES, **dist.RECORD_PREFIXES}.items():
        g.bind(prefix, ns, override=True)
    for triple in found.graph:
        g.add(triple)
    return dist.with_checksums(g, manifest, i, ReleaseLog(get_settings()).releases())


_builds: dict[str, StoreBuild] = {}
_lock = threading.Lock()


def stored_build(fresh: bool = False) -> StoreBuild | None:
    """The build recorded in the store (None when it holds no record); ``fresh`` reads the
    record again now, not when the store next refreshes what it knows."""
    store = get_store()
    text = store.build_record(fresh=fresh)
    if text is None:
        return None
    with _lock:
        if text not in _builds:
            try:
                record = BuildRecord.from_json(text)
            except ValueError as e:
                raise Unavailable(f"the store's build record is unreadable ({e}): push the "
                                  "build again with hldgraph push") from None
            published = get_settings().published_url
            _builds.clear()
            _builds[text] = StoreBuild(record, Location(published) if published else None)
        return _builds[text]


def current_build() -> Build:
    """The build recorded in the store, else the last good build of ``dist_dir``.

    Raises Unavailable (503) for a front end on a remote store that holds no record and has no
    build of its own, NotFound (404) for one that simply has no build yet.
    """
    found = stored_build()
    if found is not None:
        return found
    folder = dist.last_good(Path(get_settings().dist_dir))
    if folder is None:
        settings = get_settings()
        if settings.store == "sparql":
            raise Unavailable(f"the store at {safe_url(settings.sparql_url)} holds no record of "
                              "a build and this front end has none of its own: load the build "
                              "with hldgraph push")
        raise NotFound("no build to serve: run `hldgraph build`")
    manifest = folder / MANIFEST
    return FolderBuild(folder, _folder_manifest(manifest, _mtime(manifest)))


def with_build(use: Callable[[Build], T]) -> T:
    """``use(current_build())``. Where the build is published may already hold a newer build
    than the store's record as this front end last read it (``hldgraph push`` publishes the
    files just before it switches the graphs): on a :class:`Mismatch` the record is read again,
    and if the store has moved on ``use`` is tried once more with its build."""
    build = current_build()
    try:
        return use(build)
    except Mismatch:
        if stored_build(fresh=True) in (None, build):
            raise
        return use(current_build())
