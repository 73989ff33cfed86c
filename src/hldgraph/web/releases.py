"""Every release served under ``/release/{version}/``, through the same application.

Release ``1.0`` is served by an application of its own, made by :func:`hldgraph.web.create_app`
from the release's folder (``{releases_dir}/1.0``: its dumps, manifest and record) and a store
loaded from its N-Quads, and mounted at ``/release/1.0``: its landing page is
``/release/1.0/``, its downloads ``/release/1.0/download/...``, its pages and data documents
``/release/1.0/doc/event/7.html``, its SPARQL endpoint ``/release/1.0/sparql`` (that release
alone). The mount is the WSGI application root (``SCRIPT_NAME``), so that every link the
release's pages write stays in the release (:mod:`hldgraph.web.links`); each request takes the
one request path of that application (views, then :func:`hldgraph.web.http.finalise`).

The main store holds every release's graphs too, under ``{base}release/{version}/graph/...``
(:meth:`hldgraph.urls.Iris.release_graph`), so that one query at ``/sparql`` compares releases.

A release's application is made on its first request and kept. An unknown version, or a
release whose folder has not been made (``hldgraph serve`` makes it from the release log), is
left to the main application, which answers 404 in the one error shape.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from hldgraph.dist import MANIFEST
from hldgraph.distributions import NAME
from hldgraph.releases import ReleaseError, ReleaseLog
from hldgraph.settings import Settings
from hldgraph.store import Store, open_store

WSGI = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]
#: Makes a release's application from its settings, store and version.
AppMaker = Callable[[Settings, Store, str], WSGI]
PREFIX = "/release/"


def release_settings(settings: Settings, version: str) -> Settings:
    """The settings a release's application runs with: its folder as the build served, its
    store in memory (a remote or on-disk store holds the latest build), one query worker."""
    store = "memory" if settings.store == "memory" else "oxigraph"
    return settings.with_(dist_dir=Path(settings.releases_dir) / version, store=store,
                          store_path="", query_workers=1)


class ReleaseMount:
    """WSGI: ``/release/{version}/...`` to the release's application, the rest to ``main``."""

    def __init__(self, main: WSGI, settings: Settings, make_app: AppMaker) -> None:
        self.main, self.settings, self.make_app = main, settings, make_app
        self.apps: dict[str, WSGI] = {}
        self.lock = threading.Lock()

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]
                 ) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        if not path.startswith(PREFIX):
            return self.main(environ, start_response)
        version, _, rest = path[len(PREFIX):].partition("/")
        app = self.app(version)
        if app is None:
            return self.main(environ, start_response)
        root = environ.get("SCRIPT_NAME", "").rstrip("/") or self.settings.base_path
        environ = {**environ, "SCRIPT_NAME": f"{root}{PREFIX}{version}", "PATH_INFO": f"/{rest}"}
        return app(environ, start_response)

    def app(self, version: str) -> WSGI | None:
        """The application of release ``version``, made once; None if there is none."""
        if version in self.apps:
            return self.apps[version]
        with self.lock:
            if version not in self.apps:
                settings = release_settings(self.settings, version)
                folder = Path(settings.dist_dir)
                try:
                    ReleaseLog(self.settings).get(version)
                except ReleaseError:
                    return None
                if not (folder / MANIFEST).exists():
                    return None
                store = open_store(settings, folder / f"{NAME}.nq")
                self.apps[version] = self.make_app(settings, store, version)
        return self.apps[version]
