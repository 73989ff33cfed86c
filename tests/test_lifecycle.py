"""The real `hldgraph serve` process: start, stop (Ctrl-C, SIGTERM), port clashes, health."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import requests

ROOT = Path(__file__).resolve().parents[1]
#: A query that runs far longer than any time limit here (a triple cross product).
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def port_free(port: int) -> bool:
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


class Served:
    """A `hldgraph serve` in a process group of its own (as a terminal would start it)."""

    def __init__(self, dist: Path, *args: str, env: dict[str, str] | None = None) -> None:
        self.port = free_port()
        self.out = self.err = ""
        self.url = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen(
            [sys.executable, "-m", "hldgraph", "--dist", str(dist), *args, "serve",
             "--port", str(self.port)],
            env={**os.environ, **(env or {})}, start_new_session=True,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                requests.get(self.url + "/-/health", timeout=2)
                return
            except requests.ConnectionError:
                if self.process.poll() is not None:
                    pytest.fail(f"the server stopped: {self.process.communicate()}")
                time.sleep(0.1)
        self.kill()
        pytest.fail("the server did not start")

    def stopped_within(self, sig: int, seconds: float, group: bool = True) -> float:
        """Send ``sig``; the seconds until every process is gone and the port free."""
        start = time.monotonic()
        if group:
            os.killpg(self.process.pid, sig)
        else:
            self.process.send_signal(sig)
        # poll() reaps the main process, which kill(pid, 0) would see as a zombie
        while (self.process.poll() is None or group_alive(self.process.pid)
               or not port_free(self.port)):
            if time.monotonic() - start > seconds:
                self.kill()
                pytest.fail(f"still running {seconds} s after signal {sig}")
            time.sleep(0.05)
        elapsed = time.monotonic() - start
        self.out, self.err = self.process.communicate(timeout=10)
        return elapsed

    def kill(self) -> None:
        if group_alive(self.process.pid):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.out, self.err = self.process.communicate(timeout=10)


def slow_query(url: str, into: list[requests.Response | Exception]) -> threading.Thread:
    def ask() -> None:
        try:
            into.append(requests.post(url + "/sparql", data={"query": SLOW}, timeout=60))
        except requests.RequestException as e:
            into.append(e)

    thread = threading.Thread(target=ask)
    thread.start()
    time.sleep(1.5)  # the query is running in a query worker
    return thread


@pytest.mark.parametrize("attempt", range(3))
def test_ctrl_c_stops_an_idle_server(dist, attempt):
    server = Served(dist, env={"HLDGRAPH_WORKERS": "2"})
    requests.post(server.url + "/sparql", data={"query": "ASK {}"}, timeout=10)  # query workers
    time.sleep(1)  # idle
    server.stopped_within(signal.SIGINT, 6)
    assert server.process.returncode == 0


@pytest.mark.parametrize("attempt", range(2))
def test_ctrl_c_stops_a_server_with_a_slow_query(dist, attempt):
    server = Served(dist, env={"HLDGRAPH_QUERY_TIME_LIMIT_S": "60"})
    answers: list[requests.Response | Exception] = []
    thread = slow_query(server.url, answers)
    server.stopped_within(signal.SIGINT, 6)  # not the 60 s of the query
    thread.join(10)
    assert answers


def test_sigterm_drains_the_requests_in_flight(dist):
    server = Served(dist, env={"HLDGRAPH_QUERY_TIME_LIMIT_S": "4"})
    answers: list[requests.Response | Exception] = []
    thread = slow_query(server.url, answers)
    server.stopped_within(signal.SIGTERM, 20, group=False)
    thread.join(10)
    answer = answers[0]
    # the query was answered (here: its time limit), not cut off with the connection
    assert isinstance(answer, requests.Response), answer
    assert answer.status_code == 503 and "time limit" in answer.text


def test_a_second_server_on_the_same_port_fails_at_once(dist):
    first = Served(dist)
    try:
        second = subprocess.run(
            [sys.executable, "-m", "hldgraph", "--dist", str(dist), "serve",
             "--port", str(first.port)], capture_output=True, text=True, timeout=60)
        assert second.returncode != 0
        assert second.stderr.strip().splitlines() == [
            f"hldgraph: port {first.port} on 127.0.0.1 is already in use (another server listens "
            f"there): choose another port with --port or HLDGRAPH_PORT"]
    finally:
        first.stopped_within(signal.SIGINT, 10)


def test_a_port_held_by_another_program(dist):
    with socket.socket() as other:
        other.bind(("127.0.0.1", 0))
        other.listen()
        port = other.getsockname()[1]
        rv = subprocess.run([sys.executable, "-m", "hldgraph", "--dist", str(dist), "serve",
                             "--port", str(port)], capture_output=True, text=True, timeout=60)
    assert rv.returncode == 1
    assert "Traceback" not in rv.stderr
    assert f"port {port} on 127.0.0.1 is already in use" in rv.stderr
    assert "--port or HLDGRAPH_PORT" in rv.stderr


def test_serve_says_what_it_does(dist):
    server = Served(dist)
    server.stopped_within(signal.SIGINT, 10)
    err = server.err
    assert "hldgraph: reusing the build of " in err
    assert f"serving on http://127.0.0.1:{server.port}/ (open it in a browser" in err
    assert "[WARNING]" not in err + server.out  # nothing to worry a newcomer on a normal start


def test_health_says_a_newer_build_failed(dist, tmp_path):
    """Broken data/: the last good build is served, and health says so, and why."""
    data, out = tmp_path / "data", tmp_path / "dist"
    shutil.copytree(ROOT / "data", data)
    shutil.copytree(dist, out)
    events = data / "events.csv"
    lines = events.read_text(encoding="utf-8").splitlines(keepends=True)
    events.write_text(lines[0] + lines[1].replace("2006-", "2006-13-", 1) + "".join(lines[2:]),
                      encoding="utf-8")
    server = Served(out, "--data", str(data))
    try:
        health = requests.get(server.url + "/-/health", timeout=10).json()
        assert health["ok"] is False and health["stale"] is True
        assert "events.csv" in health["error"] and "line 2" in health["error"]
        assert health["build"]["triples"] > 0 and health["build"]["made"].startswith("20")
        assert health["failed_at"]
        # the last good build is still served
        assert requests.get(server.url + "/id/event/1", allow_redirects=False,
                            timeout=10).status_code == 303
    finally:
        server.stopped_within(signal.SIGINT, 10)
    assert "build failed, serving the last good build" in server.err


def test_health_of_an_up_to_date_build(dist):
    rv = subprocess.run([sys.executable, "-m", "hldgraph", "--dist", str(dist), "serve",
                         "--get", "/-/health"], capture_output=True, text=True, timeout=120)
    assert rv.returncode == 0
    assert '"ok":true' in rv.stdout and '"stale":false' in rv.stdout
    assert "hldgraph: releases 1.0 served under /release/" in rv.stderr.splitlines()


def test_get_shows_a_redirect_and_follows_it_when_asked(dist):
    command = [sys.executable, "-m", "hldgraph", "--dist", str(dist), "serve", "--get",
               "/id/event/1"]
    rv = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert rv.returncode == 0
    assert rv.stdout.splitlines() == ["303 SEE OTHER", "Location: /doc/event/1.ttl"]
    followed = subprocess.run([*command, "--follow"], capture_output=True, text=True, timeout=120)
    assert followed.returncode == 0
    assert "@prefix" in followed.stdout
    assert "303 SEE OTHER" in followed.stderr
    missing = subprocess.run([*command[:-1], "/id/event/99999"], capture_output=True, text=True,
                             timeout=120)
    assert missing.returncode == 1
