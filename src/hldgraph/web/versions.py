"""What the web layer reads of the releases, once per application: the release log
(:class:`hldgraph.releases.ReleaseLog`), each release's dataset and labels, a resource's
mementos and history, and the dataset's licence.

Every page, header and feed that speaks of releases asks this module; it asks the release log,
never its files.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterable
from dataclasses import dataclass

from rdflib import Graph

from hldgraph.changes import History
from hldgraph.dist import MANIFEST
from hldgraph.errors import HldgraphError
from hldgraph.releases import Release, ReleaseLog, version_key
from hldgraph.web.http import get_settings, get_store
from hldgraph.web.links import iris, memento_path, served_release, site_url, timemap_url
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
    described = up_to_current(found.describes)
    if not described:
        return None
    removed = next((v for v, status in found.changes if status == "removed"
                    and versions().log.get(v).previous == described[-1]), None)
    return Gone(iri, described[-1], removed if removed and up_to_current([removed]) else None)


#: One Versions per release log, shared by the site's application and its releases' (each
#: release is served by an application of its own, see hldgraph.web.releases).
_SHARED: dict[tuple[str, str, str], Versions] = {}
_SHARED_LOCK = threading.Lock()


def versions() -> Versions:
    """The :class:`Versions` of the application's release log, made on first use."""
    s = get_settings()
    key = (str(s.data_dir), str(s.releases_dir), s.base_iri)
    with _SHARED_LOCK:
        if key not in _SHARED:
            _SHARED[key] = Versions(ReleaseLog(s))
        return _SHARED[key]


def current() -> Release | None:
    """The release the application serves: its own under /release/{version}/, else the
    latest; None where there is no release, or where the releases' folders are not made (then
    nothing is served under /release/, and no link may point there)."""
    version, log = served_release(), versions().log
    release = log.get(version) if version else log.latest()
    if release is None or not (log.folder(release.version) / MANIFEST).exists():
        return None
    return release


def up_to_current(found: Iterable[str]) -> list[str]:
    """The versions of ``found`` no later than the release served: a release's pages show
    the history as it stood when it was made."""
    last = current()
    return [v for v in found if last is not None and version_key(v) <= last.key]


@dataclass(frozen=True)
class Where:
    """An original resource's URL path (``doc/event/12.ttl``) and the IRI it is about (where
    Accept chose the document, the negotiation recorded Vary: Accept)."""

    path: str
    iri: str


def mementos(where: Where) -> Resource:
    """The original resource at ``where`` with its TimeGate, TimeMaps and mementos: one per
    release that describes its thing (RFC 7089 §1.1: URI-R, URI-G, URI-T, URI-M)."""
    v = versions()
    found = v.history(where.iri).describes
    issued = {r.version: r.issued for r in v.releases()}
    ms = tuple(Memento(version, issued[version],
                       site_url(memento_path(version, where.path), external=True))
               for version in found)
    original = site_url(where.path, external=True)
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
