"""Run queries in forked worker processes, so that a query can be stopped when it runs too long.

Neither rdflib nor pyoxigraph can interrupt a running query. Each worker is a fork of the process
that loaded the store (the data is shared copy-on-write) and talks to it over a pipe. The caller
waits for the answer at most the time limit; past it the worker is killed, a fresh one takes its
place on the next request, and the caller gets a 503. Other requests are answered by the other
workers meanwhile.

Workers are forked lazily, on the first query of each process: under gunicorn with ``--preload``
the store is loaded in the master and every gunicorn worker gets a pool of its own.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any

from hldgraph.errors import HldgraphError, QueryError

Task = Callable[[str, tuple[Any, ...]], Any]

_fork = multiprocessing.get_context("fork")


def _serve(conn: Connection, parent_end: Connection, task: Task) -> None:
    """The worker's loop: one (operation, arguments) in, one ("ok", value) or error out."""
    parent_end.close()  # so that the pipe ends, and this worker with it, when the parent dies
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is for the parent to handle
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    while True:
        try:
            op, args = conn.recv()
        except (EOFError, OSError):
            return
        try:
            reply: tuple[Any, ...] = ("ok", task(op, args))
        except HldgraphError as e:
            reply = ("error", e.status, e.message)
        except Exception as e:  # an engine failing on a strange query is still a bad query
            reply = ("error", 400, f"the query could not be evaluated: {type(e).__name__}: {e}")
        conn.send(reply)


class _Worker:
    def __init__(self, task: Task) -> None:
        self.conn, child = _fork.Pipe()
        self.process = _fork.Process(target=_serve, args=(child, self.conn, task), daemon=True,
                                     name="hldgraph-query")
        self.process.start()
        child.close()

    def kill(self) -> None:
        self.process.kill()
        self.process.join(5)
        self.conn.close()
        self.process.close()


class Executor:
    """A small pool of forked workers that run ``task(op, args)`` under a time limit."""

    def __init__(self, task: Task, time_limit: float, size: int = 4) -> None:
        self.task, self.time_limit, self.size = task, time_limit, size
        self._pid = -1
        self._reset()

    def _reset(self) -> None:
        # Workers forked by another process (before a fork of ours) are not ours to use.
        self._pid = os.getpid()
        self._idle: list[_Worker] = []
        self._lock = threading.Lock()
        self._slots = threading.BoundedSemaphore(self.size)

    def run(self, op: str, *args: Any) -> Any:
        """Run ``op`` in a worker; QueryError(503) if it takes longer than the time limit."""
        if os.getpid() != self._pid:
            self._reset()
        if not self._slots.acquire(timeout=self.time_limit):
            raise QueryError("the endpoint is busy: every query worker is in use", 503)
        try:
            worker = self._checkout()
            reply = self._ask(worker, op, args)
        finally:
            self._slots.release()
        if reply[0] == "ok":
            return reply[1]
        raise QueryError(reply[2], reply[1])

    def _checkout(self) -> _Worker:
        with self._lock:
            if self._idle:
                return self._idle.pop()
        return _Worker(self.task)

    def _ask(self, worker: _Worker, op: str, args: tuple[Any, ...]) -> tuple[Any, ...]:
        try:
            worker.conn.send((op, args))
            if worker.conn.poll(self.time_limit):
                reply = worker.conn.recv()
                with self._lock:
                    self._idle.append(worker)
                return reply
        except (EOFError, OSError):
            worker.kill()
            raise QueryError("the query worker stopped unexpectedly; try again", 503) from None
        worker.kill()
        raise QueryError(f"query exceeded the time limit of {self.time_limit:g} s", 503)

    def close(self) -> None:
        """Stop the idle workers of this process (busy ones stop when their owner is done)."""
        if os.getpid() != self._pid:
            return
        with self._lock:
            idle, self._idle = self._idle, []
        for worker in idle:
            worker.kill()
