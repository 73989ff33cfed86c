"""``/-/health``: is the server up, which build does it serve, and did a newer build fail?

The build is the one ``hldgraph serve`` made or reused, or on a front end without one (a remote
store) the one that ``hldgraph push`` recorded in the store.

A monitor alerts on ``"ok": false``. The status stays 200 while the server answers queries: a
load balancer that checks it must not take away the one copy of the last good build. It is 503
while the store cannot answer (a remote store that is down or refuses: every data page would be
a 503 too), with the store's reason, and 200 again once it can: the store is asked each time
(:meth:`hldgraph.store.Store.unreachable`; a store in this process is never asked anything).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from flask import Blueprint, Response, current_app, jsonify

from hldgraph.web.builds import stored_build
from hldgraph.web.fetch import Unavailable
from hldgraph.web.http import get_store

bp = Blueprint("health", __name__)


@dataclass(frozen=True)
class Served:
    """The build a server was started on, and the newer build that failed instead, if any.

    ``nquads_sha256`` is the checksum of its N-Quads dump (as in its manifest), ``made`` when
    it was written; ``failure`` the message of the build that failed (None when the served
    build is up to date with data/, ontology/ and shapes/).
    """

    nquads_sha256: str | None
    made: dt.datetime | None
    triples: int | None
    failure: str | None = None
    failed_at: dt.datetime | None = None
    #: Why what is served is not what it should be, when not a failed build (None: it is).
    behind: str | None = None

    @property
    def stale(self) -> bool:
        """Whether what is served is not the newest: a newer build failed, or it is behind."""
        return self.failure is not None or self.behind is not None

    def report(self) -> dict[str, Any]:
        """``{"build": {...}, "stale": bool[, "error": str, "failed_at": iso]}``."""
        rv: dict[str, Any] = {
            "build": {"nquads_sha256": self.nquads_sha256, "triples": self.triples,
                      "made": self.made.isoformat() if self.made else None},
            "stale": self.stale,
        }
        if self.failure is not None:
            rv["error"] = f"the newer build failed, the last good build is served: {self.failure}"
            rv["failed_at"] = self.failed_at.isoformat() if self.failed_at else None
        elif self.behind is not None:
            rv["error"] = self.behind
        return rv


def served() -> Served | None:
    """What ``hldgraph serve`` recorded about its build (None for an app made otherwise)."""
    value = current_app.extensions["hldgraph"].get("served")
    return value if isinstance(value, Served) else None


#: Key of the app's extensions: the SHA-256 of the release log's index that a front end read
#: at start-up (None: the record named none). Absent: not a front end started by ``serve``.
RELEASE_LOG = "release_log"


def recorded() -> Served | None:
    """The build that the store's record names (a front end without a build of its own), read
    afresh: a push since start-up that names another release log makes it stale, since a front
    end reads the release log only at start-up."""
    try:
        found = stored_build(fresh=True)
    except Unavailable:  # an unreadable record: the routes that need it say so
        return None
    if found is None:
        return None
    manifest, now = found.manifest, found.build.release_log
    behind = None
    if current_app.extensions["hldgraph"].get(RELEASE_LOG, now) != now:
        behind = ("the store's build was pushed with another release log since this front end "
                  "started, and a front end reads the releases at start-up: restart it")
    return Served(manifest.get("digest"), found.build.made, manifest.get("triples"),
                  behind=behind)


@bp.route("/-/health")
def health() -> Response:
    """``{"ok", "digest", "graphs", "build", "stale"[, "error", "failed_at"]}``; 503 with
    ``"ok": false``, the store's reason as ``error`` and no digest or graphs while the store
    cannot answer."""
    store = get_store()
    down = store.unreachable()
    if down is None:
        info = served() or recorded() or Served(None, store.modified, None)
        body = {"ok": not info.stale, "digest": store.digest,
                "graphs": len(store.graphs()), **info.report()}
    else:  # what the store would say of its build or graphs is not asked
        info = served() or Served(None, store.modified, None)
        body = {"ok": False, "digest": None, "graphs": None, **info.report(),
                "error": f"the store cannot answer: {down}"}
    rv = jsonify(body)
    rv.status_code = 200 if down is None else 503
    rv.headers["Cache-Control"] = "no-store"
    return rv
