"""Runs the app under Granian: HTTP handled in Rust, the WSGI app called in Python threads.

The app (and its store) is made once, before the worker processes fork, so that they share it
copy-on-write; each worker then serves it with a thread per query worker, so that a cheap
request is answered while other threads wait on slow queries.

Stopping: SIGTERM (a process manager, a container runtime) drains the requests in flight and
stops; SIGINT (Ctrl-C, sent to the whole process group) also stops the query workers at once, so
that the server is gone within a couple of seconds even while slow queries run.
"""

from __future__ import annotations

import errno
import logging
import multiprocessing
import os
import signal
import socket
import sys
import threading
from collections.abc import Callable
from typing import Any

from flask import Flask
from granian.constants import HTTPModes, Interfaces
from granian.server import MPServer
from werkzeug.exceptions import NotFound
from werkzeug.middleware.dispatcher import DispatcherMiddleware

from hldgraph.errors import SettingsError
from hldgraph.settings import Settings
from hldgraph.web.cache import WSGIApp
from hldgraph.web.search import preload

#: Seconds a Ctrl-C waits for a worker before killing it.
INTERRUPT_KILL_S = 2


class _IntendedThreads(logging.Filter):
    """Drops Granian's warning that there are more Python threads than cores: ours mostly
    wait on query worker processes (see the ``inline_threads`` setting), so the count is meant."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "Python threads" not in record.getMessage()


def server(settings: Settings) -> MPServer:
    # processes: the store is shared copy-on-write, and a query worker is a forked process
    return MPServer(
        "hldgraph",  # a name only: the app is handed over already made (see run)
        address=settings.host,
        port=settings.port,
        interface=Interfaces.WSGI,
        workers=settings.workers,
        # a thread per query worker (it waits on it), and some for the quick queries that run
        # in the web process, which a burst of long ones must not keep waiting
        blocking_threads=settings.query_workers + settings.inline_threads,
        http=HTTPModes.http1,
        websockets=False,
        log_access=settings.access_log,
        respawn_failed_workers=True,
        # a draining worker finishes its queries within the time limit
        workers_kill_timeout=int(settings.query_time_limit_s) + 5,
    )


def mounted(app: WSGIApp) -> WSGIApp:
    """The app under the path in SCRIPT_NAME (e.g. /hld2006 behind a proxy), 404 elsewhere."""
    prefix = os.environ.get("SCRIPT_NAME", "").rstrip("/")
    return DispatcherMiddleware(NotFound(), {prefix: app}) if prefix else app


def url_to_open(settings: Settings) -> str:
    """The address a person opens in a browser: loopback when every interface is listened on."""
    host = {"0.0.0.0": "127.0.0.1", "::": "[::1]", "": "127.0.0.1"}.get(
        settings.host, f"[{settings.host}]" if ":" in settings.host else settings.host)
    return f"http://{host}:{settings.port}{os.environ.get('SCRIPT_NAME', '').rstrip('/')}/"


def check_port(settings: Settings) -> None:
    """SettingsError if another program (or another hldgraph) listens on the host and port.

    Granian binds with SO_REUSEPORT, which lets a second server share a port with the first and
    split its requests: this plain bind (SO_REUSEADDR only, which a listening socket still
    blocks on Linux) is refused while anyone listens there.
    """
    family = socket.AF_INET6 if ":" in settings.host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((settings.host, settings.port))
        except OSError as e:
            if e.errno == errno.EADDRINUSE:
                raise SettingsError(
                    f"port {settings.port} on {settings.host} is already in use (another server "
                    f"listens there): choose another port with --port or HLDGRAPH_PORT") from None
            raise SettingsError(
                f"cannot listen on {settings.host} port {settings.port}: {e.strerror} "
                f"(see --host/HLDGRAPH_HOST and --port/HLDGRAPH_PORT)") from None


def relay_signals(on_signal: Callable[[int], None] | None = None) -> None:
    """Make SIGINT and SIGTERM reach this process's main thread, whichever thread they hit.

    The kernel hands a process's signal to any of its threads. Python runs its handler only in
    the main thread, when that thread next runs Python code; a Granian process's main thread
    waits on a lock with no timeout, so a signal that hit one of the Rust threads was handled
    only when something else woke it (or never). The C-level handler also writes the signal's
    number to the wakeup file descriptor (``signal.set_wakeup_fd``): a thread reads it, calls
    ``on_signal`` and sends the signal once more, to the main thread itself, whose wait then
    ends and runs the handler. Call it from the main thread, in each process.
    """
    reader, writer = socket.socketpair()
    writer.setblocking(False)
    signal.set_wakeup_fd(writer.fileno(), warn_on_full_buffer=False)
    main = threading.main_thread().ident
    assert main is not None
    relayed = {int(signal.SIGINT), int(signal.SIGTERM)}

    def relay() -> None:
        sent = False
        with reader, writer:
            while data := reader.recv(64):
                for signum in data:
                    if signum not in relayed:
                        continue
                    if not sent:  # once: the resent signal comes back here
                        sent = True
                        signal.pthread_kill(main, signum)
                    if on_signal:
                        try:
                            on_signal(signum)
                        except Exception as e:  # the signal is relayed: stopping goes on
                            print(f"hldgraph: on signal {signum}: {e!r}", file=sys.stderr)

    threading.Thread(target=relay, name="hldgraph-signals", daemon=True).start()


def _signal_once() -> Any:
    """Granian's worker signal set up, but its shutdown event set once only.

    Setting it again blocks its caller for good (granian 2.8), and a worker gets two signals
    on Ctrl-C: SIGINT from the terminal, then SIGTERM from the main process stopping it.
    """
    from granian import _signals

    event = _signals.WorkerSignal()
    fired = threading.Lock()

    def handler(signum: int, frame: object) -> None:
        if fired.acquire(blocking=False):
            event.set()

    _signals.set_main_signals(handler)
    return event


def _stop_query_workers(signum: int) -> None:
    """On Ctrl-C, kill this web worker's query workers: their requests end at once (503)."""
    if signum == signal.SIGINT:
        for child in multiprocessing.active_children():
            child.kill()


def run(app: Flask, settings: Settings) -> None:
    """Serve ``app`` until SIGINT or SIGTERM (see the module's docstring)."""
    wsgi = mounted(app)

    def in_worker() -> WSGIApp:
        # runs in each forked worker's main thread, before Granian starts its threads
        from granian import _signals

        _signals.set_sync_signals = _signal_once  # what the worker calls next, in this process
        relay_signals(_stop_query_workers)
        return wsgi

    preload(app)  # before the workers fork: one copy of the name index, shared
    relay_signals()
    logging.getLogger("_granian").addFilter(_IntendedThreads())
    granian = server(settings)
    graceful = granian.signal_handler_interrupt

    def on_signal(signum: int, frame: object) -> None:
        if signum == signal.SIGINT:  # Ctrl-C: no draining, a stuck worker is killed soon
            granian.workers_kill_timeout = INTERRUPT_KILL_S
        graceful(signum, frame)

    granian.signal_handler_interrupt = on_signal  # type: ignore[method-assign]
    granian.serve(target_loader=in_worker, wrap_loader=False)
