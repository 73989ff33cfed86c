"""What the web layer reads of the releases, once per application: the release log
(:class:`hldgraph.releases.ReleaseLog`), each release's dataset and labels, a resource's
mementos and history, and the dataset's licence.

Every page, header and feed that speaks of releases asks this module; it asks the release log,
never its files.
"""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass
from typing import Any

from flask import current_app
from rdflib import Graph

from hldgraph.changes import History
from hldgraph.errors import HldgraphError
from hldgraph.releases import Release, ReleaseLog
from hldgraph.web.http import get_settings, get_store
from hldgraph.web.links import iris, memento_path, release_path, timemap_url, url
from hldgraph.web.memento import Memento, Resource
from hldgraph.web.whatchanged import Change, Snapshot, describe

_LICENCE = """PREFIX dct: <http://purl.org/dc/terms/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?licence ?page WHERE { <{dataset}> dct:license ?licence
  OPTIONAL { ?licence rdfs:seeAlso ?page } } LIMIT 1"""


class Versions:
    """The releases of one application, read lazily and kept (a release is immutable)."""

    def __init__(self, log: ReleaseLog) -> None:
        self.log = log
        self.lock = threading.Lock()
        self._snapshots: dict[str, Snapshot] = {}
        self._changes: dict[str, list[Change]] = {}
        self._histories: dict[str, History] = {}

    def releases(self) -> list[Release]:
        return self.log.releases()

    def snapshot(self, version: str) -> Snapshot:
        """The union graph and labels of a release."""
        with self.lock:
            if version not in self._snapshots:
                ds = self.log.dataset(version)
                union = Graph()
                for s, p, o, _ in ds.quads():
                    union.add((s, p, o))
                self._snapshots[version] = Snapshot.of(union)
            return self._snapshots[version]

    def changes(self, version: str) -> list[Change]:
        """What changed in ``version`` from the release before it (everything, for the first)."""
        if version not in self._changes:
            previous = self.log.get(version).previous
            after = self.snapshot(version)
            before = self.snapshot(previous) if previous else Snapshot.of(Graph())
            found = describe(self.log.changes(previous, version), before.graph, after.graph,
                             self.log.iris)
            self._changes[version] = found
        return self._changes[version]

    def history(self, iri: str) -> History:
        if iri not in self._histories:
            self._histories[iri] = self.log.history(iri)
        return self._histories[iri]


class Gone(HldgraphError):
    """A thing that a release removed: 410 Gone, naming the last release that described it."""

    status = 410

    def __init__(self, iri: str, last: str, removed: str | None) -> None:
        by = f"release {removed}" if removed else "the data since"
        super().__init__(f"<{iri}> was removed by {by}; release {last} was the last to "
                         "describe it")
        self.iri, self.last, self.removed = iri, last, removed


def gone(iri: str) -> Gone | None:
    """The Gone error of a thing that the served data no longer holds but a release described
    (``removed``: the release that removed it, None while no release has), else None."""
    if current() is None:
        return None
    found = versions().history(iri)
    if not found.last:
        return None
    removed = next((v for v, status in found.changes if status == "removed"
                    and versions().log.get(v).previous == found.last), None)
    return Gone(iri, found.last, removed)


def versions() -> Versions:
    """The application's :class:`Versions`, made on first use."""
    state: dict[str, Any] = current_app.extensions["hldgraph"]
    if "versions" not in state:
        state["versions"] = Versions(ReleaseLog(get_settings()))
    return state["versions"]


def current() -> Release | None:
    """The release the site serves by default: the latest."""
    return versions().log.latest()


@dataclass(frozen=True)
class Where:
    """An original resource's URL path (``doc/event/12.ttl``) and the IRI it is about."""

    path: str
    iri: str


def mementos(where: Where) -> Resource:
    """The original resource at ``where`` with its TimeGate, TimeMaps and mementos: one per
    release that describes its thing (RFC 7089 §1.1: URI-R, URI-G, URI-T, URI-M)."""
    v = versions()
    found = v.history(where.iri).describes
    issued = {r.version: r.issued for r in v.releases()}
    ms = tuple(Memento(version, issued[version],
                       url(memento_path(version, where.path), external=True))
               for version in found)
    original = url(where.path, external=True)
    return Resource(original, original, timemap_url(where.path, "link"),
                    timemap_url(where.path, "json"), ms)


def memento_datetime(version: str) -> dt.datetime:
    return versions().log.get(version).issued


def licence() -> str:
    """The URL of the dataset's licence (its page where the record names one)."""
    i = iris()
    rows = get_store().query(_LICENCE.replace("{dataset}", str(i("id/dataset/hld2006")))).rows
    if not rows:
        return ""
    return str(rows[0].get("page") or rows[0]["licence"])


def release_url(version: str, path: str = "") -> str:
    """Where release ``version`` serves ``path`` (its landing page for "")."""
    return url(release_path(version, path))
