"""Reads the release log: the releases in order, the state of each, and what changed between them.

A release is an immutable, citable state of the dataset, made by ``hldgraph release VERSION``
(:mod:`hldgraph.release`, the writer). This module is the one reader: the web layer, the
catalogue and the command line all ask it, never the files.

The release log (kept in the repository, so the history travels with the data)
-------------------------------------------------------------------------------
``{data_dir}/release-log/{version}/``, one folder per release:

``release.json``
    ``{"version": "1.1", "issued": "2026-12-01T10:00:00Z", "notes": "...", "previous": "1.0",
    "source": {"title": ..., "as_of": "2006-08-08", "path": "id/document/calendar"},
    "digest": sha256 of the release's N-Quads, "triples": N,
    "graphs": {graph name: triples}, "files": {dump name: {"sha256", "bytes", "media_type"}},
    "base_iri": the base the files' checksums were taken at}``.
``data.nq``
    The whole dataset (first release only): sorted N-Quads, written with the base
    :data:`hldgraph.urls.WRITTEN_BASE`, like ontology/ and shapes/.
``changes.rdfp``
    Every later release: its change set from the previous release, as RDF Patch
    (https://afs.github.io/rdf-patch/, ``text/rdf-patch``). The log grows with the changes.
``context.jsonld``
    The JSON-LD context of the dumps, stored when it differs from the previous release's.

The releases folder (setting ``releases_dir``, made again from the log when missing)
------------------------------------------------------------------------------------
``{releases_dir}/{version}/``: a build folder like ``dist/`` (:mod:`hldgraph.dist`: every dump,
its ``.sha256`` and ``.gz``, ``manifest.json``) plus ``release.json`` and ``changes.rdfp``.

API
---
``log = ReleaseLog(settings)``

- ``log.releases()`` -> ``list[Release]``, oldest first; ``log.versions()``; ``log.latest()``
  (None without releases); ``log.get(version)`` (:class:`ReleaseNotFound`, status 404);
  ``log.previous(version)``; ``log.at(datetime)``: the release in force then (the last issued at
  or before it; None before the first).
- ``log.folder(version)`` -> Path of its dumps (read its manifest with
  ``hldgraph.dist.read_manifest(folder)``: ``files``: {name: {sha256, bytes, media_type}},
  ``digest``); ``release.files`` holds the same checksums, from the log.
- ``log.nquads(version)`` -> its N-Quads text (at ``settings.base_iri``); ``log.dataset(version)``
  -> an rdflib Dataset with its graphs under their usual IRIs (``{base}graph/source``).
- ``log.changes(old, new)`` -> :class:`hldgraph.changes.ChangeSet` (RDF Patch text and
  per-resource added/removed/changed statements); ``old=None``: everything ``new`` holds.
- ``log.history(iri)`` -> :class:`hldgraph.changes.History`: the releases that describe the
  resource and those in which it changed (added, changed, removed).

Graph IRIs: each release's graphs are in the store under ``Iris.release_graph(version, name)``,
``{base}release/{version}/graph/{source,editorial,ontology,catalog}``; see docs/releases.md.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import Any

from rdflib import Dataset

from hldgraph.changes import ChangeSet, History, Timeline, diff, patch_lines
from hldgraph.distributions import CHANGES
from hldgraph.errors import HldgraphError
from hldgraph.settings import Settings
from hldgraph.urls import WRITTEN_BASE, Iris, rebase

#: The release log's folder inside data_dir.
LOG = "release-log"
RELEASE = "release.json"
DATA = "data.nq"
PATCH = CHANGES
CONTEXT = "context.jsonld"
#: RFC 2046-style name of RDF Patch, as its specification registers it.
PATCH_MEDIA_TYPE = "text/rdf-patch"
#: Major.minor, optionally .patch: ``1.0``, ``1.1``, ``2.0.1``.
VERSION = re.compile(r"(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)(\.(0|[1-9][0-9]*))?")


class ReleaseError(HldgraphError):
    """A release cannot be made or read; the message says which and why."""

    status = 400


class ReleaseNotFound(ReleaseError):
    status = 404


def version_key(version: str) -> tuple[int, ...]:
    """``"1.10"`` -> ``(1, 10, 0)``: the order of versions, a missing PATCH being 0, so that
    ``1.0.0`` is ``1.0`` (the same version, not one after it). Raises ReleaseError for a bad
    one."""
    if not VERSION.fullmatch(version):
        raise ReleaseError(f"version {version!r} is not MAJOR.MINOR[.PATCH] (e.g. 1.0, 1.1, 2.0.1)")
    return (*(int(part) for part in version.split(".")), 0)[:3]


@dataclass(frozen=True)
class Source:
    """The state of the source that a release reflects: e.g. the leaflet's calendar as of
    2006-08-08."""

    title: str
    as_of: dt.date
    path: str  # IRI path of the source document, e.g. id/document/calendar


@dataclass(frozen=True)
class Release:
    """One entry of the release log (``release.json``)."""

    version: str
    issued: dt.datetime  # UTC
    notes: str
    source: Source
    digest: str  # sha256 of its N-Quads (at WRITTEN_BASE)
    previous: str | None
    triples: int
    graphs: dict[str, int] = field(default_factory=dict)
    files: dict[str, dict[str, Any]] = field(default_factory=dict)
    base_iri: str = WRITTEN_BASE

    @property
    def key(self) -> tuple[int, ...]:
        return version_key(self.version)

    def to_json(self) -> dict[str, Any]:
        return {"version": self.version, "issued": format_datetime(self.issued),
                "notes": self.notes, "previous": self.previous, "digest": self.digest,
                "source": {"title": self.source.title, "as_of": self.source.as_of.isoformat(),
                           "path": self.source.path},
                "triples": self.triples, "graphs": self.graphs, "files": self.files,
                "base_iri": self.base_iri}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Release:
        src = data["source"]
        return cls(version=data["version"], issued=parse_datetime(data["issued"]),
                   notes=data["notes"], previous=data.get("previous"), digest=data["digest"],
                   source=Source(src["title"], dt.date.fromisoformat(src["as_of"]), src["path"]),
                   triples=data["triples"], graphs=data.get("graphs", {}),
                   files=data.get("files", {}), base_iri=data.get("base_iri", WRITTEN_BASE))


def format_datetime(value: dt.datetime) -> str:
    """``2026-11-30T12:00:00Z``: UTC, whole seconds (RFC 3339)."""
    return value.astimezone(dt.UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_datetime(text: str) -> dt.datetime:
    """An RFC 3339 date-time (``Z`` or an offset; no offset is read as UTC), in UTC."""
    value = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    return (value if value.tzinfo else value.replace(tzinfo=dt.UTC)).astimezone(dt.UTC)


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def unbase(text: str, base: str) -> str:
    """The inverse of :func:`hldgraph.urls.rebase`: ``text`` written at ``base`` -> at
    WRITTEN_BASE, as the log stores it."""
    return text.replace(base, WRITTEN_BASE) if base != WRITTEN_BASE else text


class ReleaseLog:
    """The releases of ``settings.data_dir``'s log, and the dumps in ``settings.releases_dir``.

    Reads are cached on the instance: make a new one after a release is written.
    """

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.iris = Iris(settings.base_iri)
        self.log_dir = Path(settings.data_dir) / LOG
        self.releases_dir = Path(settings.releases_dir)
        self._lines: dict[str, frozenset[str]] = {}

    # -- the entries --------------------------------------------------------------------------

    @cached_property
    def _entries(self) -> dict[str, Release]:
        if not self.log_dir.is_dir():
            return {}
        found = {}
        for path in self.log_dir.glob(f"*/{RELEASE}"):
            if path.parent.name.startswith("."):  # a release being written (.{version}.new)
                continue
            try:
                release = Release.from_json(json.loads(path.read_text(encoding="utf-8")))
            except (ValueError, KeyError, TypeError) as e:
                raise ReleaseError(f"{path}: not a release record ({e})") from None
            if release.version != path.parent.name:
                raise ReleaseError(f"{path}: version {release.version!r} in folder "
                                   f"{path.parent.name!r}")
            found[release.version] = release
        return dict(sorted(found.items(), key=lambda kv: kv[1].key))

    def releases(self) -> list[Release]:
        """Every release, oldest first."""
        return list(self._entries.values())

    def versions(self) -> list[str]:
        return list(self._entries)

    def latest(self) -> Release | None:
        return next(reversed(self._entries.values()), None)

    def get(self, version: str) -> Release:
        try:
            return self._entries[version]
        except KeyError:
            known = ", ".join(self._entries) or "none yet"
            raise ReleaseNotFound(f"no release {version!r} (releases: {known})") from None

    def previous(self, version: str) -> Release | None:
        prev = self.get(version).previous
        return self.get(prev) if prev else None

    def at(self, when: dt.datetime) -> Release | None:
        """The release in force at ``when``: the last issued at or before it (RFC 7089's
        TimeGate picks it for an Accept-Datetime)."""
        rv = None
        for release in self._entries.values():
            if release.issued <= when.astimezone(dt.UTC):
                rv = release
        return rv

    # -- the published dumps ------------------------------------------------------------------

    def folder(self, version: str) -> Path:
        """``{releases_dir}/{version}``: its dumps (written by ``hldgraph release``, or made
        again from the log by ``hldgraph serve``)."""
        self.get(version)
        return self.releases_dir / version

    # -- the states ---------------------------------------------------------------------------

    def lines(self, version: str) -> frozenset[str]:
        """The release's quads, one N-Quads line each, at WRITTEN_BASE: its snapshot, or the
        release before it with its patch applied (back to a snapshot or a state in cache)."""
        chain = [self.get(version)]
        while chain[-1].version not in self._lines and not (
                self.log_dir / chain[-1].version / DATA).exists():
            if not chain[-1].previous:
                raise ReleaseError(f"{self.log_dir / chain[-1].version}: neither {DATA} nor "
                                   f"{PATCH}")
            chain.append(self.get(chain[-1].previous))
        state = self._lines.get(chain[-1].version) or self._snapshot(chain[-1].version)
        for release in reversed(chain[:-1]):
            path = self.log_dir / release.version / PATCH
            if not path.exists():
                raise ReleaseError(f"{path.parent}: neither {DATA} nor {PATCH}")
            added, removed = patch_lines(path.read_text(encoding="utf-8"))
            state = (state - removed) | added
        self._lines[version] = state
        while len(self._lines) > 3:  # states are read in order: keep the last few
            del self._lines[next(iter(self._lines))]
        return state

    def _snapshot(self, version: str) -> frozenset[str]:
        text = (self.log_dir / version / DATA).read_text(encoding="utf-8")
        return frozenset(line for line in text.splitlines() if line.strip())

    def graph_lines(self, version: str, name: str) -> frozenset[str]:
        """The triples of graph ``name`` (source, editorial, ontology, catalog) of the release,
        one N-Triples line each, at WRITTEN_BASE."""
        tail = f" <{Iris(WRITTEN_BASE).graph(name)}> ."
        return frozenset(line[: -len(tail)] + " ." for line in self.lines(version)
                         if line.endswith(tail))

    def canonical_nquads(self, version: str) -> str:
        """The release's N-Quads as the log stores them (WRITTEN_BASE); its sha256 is the
        release's digest."""
        return "\n".join(sorted(self.lines(version))) + "\n"

    def nquads(self, version: str) -> str:
        """The release's N-Quads at ``settings.base_iri``, sorted (byte-identical to its
        ``hld2006.nq`` dump)."""
        return rebase(self.canonical_nquads(version), self.settings.base_iri)

    def dataset(self, version: str) -> Dataset:
        """The release as an rdflib Dataset, its graphs under their usual IRIs."""
        ds = Dataset()
        ds.parse(data=self.nquads(version), format="nquads")
        return ds

    def context(self, version: str) -> str:
        """The JSON-LD context of the release's dumps (at WRITTEN_BASE)."""
        release: Release | None = self.get(version)
        while release:
            path = self.log_dir / release.version / CONTEXT
            if path.exists():
                return path.read_text(encoding="utf-8")
            release = self.previous(release.version)
        raise ReleaseError(f"{self.log_dir}: no {CONTEXT} at or before release {version}")

    def verify(self, version: str) -> None:
        """Raises ReleaseError unless the log gives back the release's N-Quads, byte for byte."""
        if sha256(self.canonical_nquads(version)) != self.get(version).digest:
            raise ReleaseError(f"{self.log_dir / version}: the log does not give back release "
                               f"{version} (its digest differs)")

    # -- changes ------------------------------------------------------------------------------

    def changes(self, old: str | None, new: str) -> ChangeSet:
        """What changed from release ``old`` to release ``new`` (any two, in either order;
        ``old=None``: from nothing). Statements at ``settings.base_iri``."""
        before = self.lines(old) if old else frozenset()
        return diff(before, self.lines(new), old, new, self.iris)

    def patch(self, old: str | None, new: str) -> str:
        """RDF Patch (``text/rdf-patch``) from ``old`` to ``new``."""
        return self.changes(old, new).patch

    @cached_property
    def _timeline(self) -> Timeline:
        timeline = Timeline()
        for release in self.releases():
            timeline.add(release.version, self.lines(release.version))
        return timeline

    def history(self, iri: str) -> History:
        """The releases that describe ``iri`` and those in which its description changed
        (its statements as subject); computed for every resource on the first call."""
        found = self._timeline.history(unbase(str(iri), self.settings.base_iri))
        return replace(found, iri=str(iri))
