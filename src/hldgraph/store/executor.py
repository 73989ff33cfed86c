"""Run queries in forked worker processes, so that a query can be stopped when it runs too long.

Neither rdflib nor pyoxigraph can interrupt a running query. Each worker is a fork of the process
that loaded the store (the data is shared copy-on-write) and talks to it over a pipe. The caller
waits for the answer at most the time limit; past it the worker is killed, a fresh one takes its
place on the next request, and the caller gets a 503. Other requests are answered by the other
workers meanwhile.

Workers are forked lazily, on the first query of each process: ``hldgraph serve`` loads the store
before its web workers fork, and every web worker gets a pool of its own.

A large answer (:class:`Chunked`) crosses the pipe as raw chunks, not pickled whole, and is
handed on as a :class:`Stream` that the web layer sends while it reads: the web process never
holds more than a chunk of it. The worker stays busy until the stream is read to its end.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any

from hldgraph.errors import HldgraphError, QueryError

Task = Callable[[str, tuple[Any, ...]], Any]

#: Size of the pieces a large answer is sent in.
CHUNK = 1 << 20

#: A query still running after this long is a long one. Long queries may hold all workers of a
#: pool but one, which stays for quick queries: a burst of slow queries cannot make every quick
#: one wait for the time limit. One long query too many is refused (503) at once. A long query's
#: process yields the CPU to quick ones (its nice value is raised to LONG_NICE, which only root
#: could lower again, so the process is retired afterwards).
LONG_S = 0.1
LONG_NICE = 10


class Refused(QueryError):
    """A query the worker answered with an error (a syntax error, …), and the CPU it took."""

    def __init__(self, message: str, status: int = 400, *, cpu_s: float) -> None:
        super().__init__(message, status)
        self.cpu_s = cpu_s


@dataclass(frozen=True)
class Chunked:
    """A task's value to send as raw chunks: ``data``, and small picklable ``meta`` before it."""

    data: bytes
    meta: Any = None

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
        started = time.thread_time()
        try:
            value = task(op, args)
            reply: tuple[Any, ...] = ("ok", value, time.thread_time() - started)
        except HldgraphError as e:
            reply = ("error", e.status, e.message, time.thread_time() - started)
        except Exception as e:  # an engine failing on a strange query is still a bad query
            reply = ("error", 400, f"the query could not be evaluated: {type(e).__name__}: {e}",
                     time.thread_time() - started)
        if reply[0] == "ok" and isinstance(value, Chunked) and len(value.data) > CHUNK:
            _send_chunks(conn, value)
        else:
            conn.send(reply)


def _send_chunks(conn: Connection, value: Chunked) -> None:
    view = memoryview(value.data)
    conn.send(("chunks", value.meta, (len(view) + CHUNK - 1) // CHUNK))
    for start in range(0, len(view), CHUNK):
        conn.send_bytes(view[start:start + CHUNK])


#: Starting and reaping processes from several threads at once races in multiprocessing's
#: bookkeeping (a start reaps finished children that a join is waiting for): one at a time.
_LIFECYCLE = threading.Lock()


class _Worker:
    def __init__(self, task: Task) -> None:
        self.conn, child = _fork.Pipe()
        self.process = _fork.Process(target=_serve, args=(child, self.conn, task), daemon=True,
                                     name="hldgraph-query")
        with _LIFECYCLE:
            self.process.start()
        child.close()
        #: Set once it has run a long query: it then runs at a lower priority, and is not reused.
        self.retired = False

    def lower_priority(self) -> None:
        """Let quick queries have the CPU first (the process is retired after this query)."""
        self.retired = True
        with _LIFECYCLE:  # see kill: the pid is this worker's until it is reaped
            pid = self.process.pid
            if pid and self.process.exitcode is None:  # never 0, which would be this process
                with contextlib.suppress(OSError):
                    os.setpriority(os.PRIO_PROCESS, pid, LONG_NICE)

    def kill(self) -> None:
        """Stop the worker and reap it. Its pid is its own only until it is reaped, and a
        worker started in another thread reaps finished ones (multiprocessing's ``_cleanup``):
        signalled outside the lock, a pid reaped and given to a new worker meanwhile would
        kill that one, mid-query."""
        with _LIFECYCLE:
            self.process.kill()
            self.process.join(5)
            self.process.close()
        self.conn.close()


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
        self._long = 0  # queries running for over LONG_S

    def run(self, op: str, *args: Any) -> Any:
        """Run ``op`` in a worker: its value, or a :class:`Stream` for a large :class:`Chunked`.

        QueryError(503) if it takes longer than the time limit.
        """
        return self.measure(op, *args)[0]

    def measure(self, op: str, *args: Any) -> tuple[Any, float | None]:
        """As :meth:`run`, and the CPU time the worker took (None for a stream): unlike the
        time waited, it does not grow with the machine's load."""
        if os.getpid() != self._pid:
            self._reset()
        if not self._slots.acquire(timeout=self.time_limit):
            raise QueryError("the endpoint is busy: every query worker is in use", 503)
        try:
            worker = self._checkout()
            reply = self._ask(worker, op, args)
        except BaseException:
            self._slots.release()
            raise
        if reply[0] == "chunks":
            return Stream(self, worker, reply[1], reply[2]), None
        self._give_back(worker)
        if reply[0] == "ok":
            return reply[1], reply[2]
        raise Refused(reply[2], reply[1], cpu_s=reply[3])

    def _checkout(self) -> _Worker:
        with self._lock:
            if self._idle:
                return self._idle.pop()
        return _Worker(self.task)

    def _give_back(self, worker: _Worker, reusable: bool = True) -> None:
        """Return a worker's slot; keep the worker for the next query if it can serve one."""
        if reusable and not worker.retired:
            with self._lock:
                self._idle.append(worker)
        else:
            worker.kill()
        self._slots.release()

    def _ask(self, worker: _Worker, op: str, args: tuple[Any, ...]) -> tuple[Any, ...]:
        try:
            worker.conn.send((op, args))
            if worker.conn.poll(min(LONG_S, self.time_limit)):
                return worker.conn.recv()
            if self.time_limit > LONG_S and self._wait_long(worker):
                return worker.conn.recv()
        except (EOFError, OSError):
            worker.kill()
            raise QueryError("the query worker stopped unexpectedly; try again", 503) from None
        worker.kill()
        raise QueryError(f"query exceeded the time limit of {self.time_limit:g} s", 503)

    def _wait_long(self, worker: _Worker) -> bool:
        """Wait out a long query, unless the others already hold all workers but one."""
        with self._lock:
            crowded = self._long >= max(self.size - 1, 1)
            if not crowded:
                self._long += 1
        if crowded:
            worker.kill()
            raise QueryError("the endpoint is busy with long queries; try again later", 503)
        worker.lower_priority()
        try:
            return worker.conn.poll(self.time_limit - LONG_S)
        finally:
            with self._lock:
                self._long -= 1

    def close(self) -> None:
        """Stop the idle workers of this process (busy ones stop when their owner is done)."""
        if os.getpid() != self._pid:
            return
        with self._lock:
            idle, self._idle = self._idle, []
        for worker in idle:
            worker.kill()


class Stream:
    """A large answer coming from a worker in chunks: iterate it once, or close it.

    The worker (and its slot in the pool) is held until the last chunk is read; a stream closed
    early (the client went away) kills the worker, which is mid-answer.
    """

    def __init__(self, executor: Executor, worker: _Worker, meta: Any, count: int) -> None:
        self.meta = meta
        self._executor, self._left = executor, count
        self._worker: _Worker | None = worker

    def __iter__(self) -> Iterator[bytes]:
        try:
            while self._left and self._worker:
                # the answer is complete in the worker: a chunk waits only on the pipe
                if not self._worker.conn.poll(self._executor.time_limit):
                    return
                chunk = self._worker.conn.recv_bytes()
                self._left -= 1
                yield chunk
        except (EOFError, OSError):
            return
        finally:
            self.close()

    def close(self) -> None:
        worker, self._worker = self._worker, None
        if worker is not None:  # a worker left mid-answer cannot serve another query
            self._executor._give_back(worker, reusable=not self._left)

    __del__ = close  # a stream dropped unread still frees its worker
