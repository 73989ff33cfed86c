"""Runs the app under Granian: HTTP handled in Rust, the WSGI app called in Python threads.

The app (and its store) is made once, before the worker processes fork, so that they share it
copy-on-write; each worker then serves it with a thread per query worker, so that a cheap
request is answered while other threads wait on slow queries.
"""

from __future__ import annotations

import os

from flask import Flask
from granian.constants import HTTPModes, Interfaces
from granian.server import Server
from werkzeug.exceptions import NotFound
from werkzeug.middleware.dispatcher import DispatcherMiddleware

from hldgraph.settings import Settings
from hldgraph.web.cache import WSGIApp


def server(settings: Settings) -> Server:
    return Server(
        "hldgraph",  # a name only: the app is handed over already made (see run)
        address=settings.host,
        port=settings.port,
        interface=Interfaces.WSGI,
        workers=settings.workers,
        # a thread mostly waits on its forked query worker: one each (more threads only
        # queue inside the process, and doubled the p99 of uncached queries here)
        blocking_threads=settings.query_workers,
        http=HTTPModes.http1,
        websockets=False,
        log_access=settings.access_log,
        respawn_failed_workers=True,
        workers_kill_timeout=int(settings.query_time_limit_s) + 30,
    )


def mounted(app: WSGIApp) -> WSGIApp:
    """The app under the path in SCRIPT_NAME (e.g. /hld2006 behind a proxy), 404 elsewhere."""
    prefix = os.environ.get("SCRIPT_NAME", "").rstrip("/")
    return DispatcherMiddleware(NotFound(), {prefix: app}) if prefix else app


def run(app: Flask, settings: Settings) -> None:
    # Workers are forked from this process (Linux's default start method), so the made app
    # needs no import by name.
    wsgi = mounted(app)
    server(settings).serve(target_loader=lambda: wsgi, wrap_loader=False)
